"""Reading the sandbox's journal: entries, list reads, and the requests each instruction sent.

Entries are the `attributes` of `GET /sandbox/journal`'s records (a whole record is
accepted too), plus an optional `run` (which run of the client sent it; the runner adds it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Entry = dict[str, Any]

API = "/api/v3"
# The list endpoints a sync reads, by the resource names of the protocol.
LISTS = {
    "applications": f"{API}/npq-applications",
    "participants": f"{API}/participants/npq",
    "declarations": f"{API}/participant-declarations",
}
LIST_PATHS = {
    *LISTS.values(),
    f"{API}/participants/npq/outcomes",
    f"{API}/statements",
    f"{API}/delivery-partners",
}
PAGE_KEYS = ("page[page]", "page[per_page]")
SYNC_FILTERS = {"filter[updated_since]", "sort"}


def entries(journal: list[dict[str, Any]]) -> list[Entry]:
    """Plain entries, oldest first, whatever shape they came in."""
    flat = [{**e.get("attributes", e), "run": e.get("run", 0)} for e in journal]
    return sorted(flat, key=lambda e: (e["run"], str(e.get("time", ""))))


def moment(entry: Entry) -> datetime:
    """When the request arrived."""
    return datetime.fromisoformat(str(entry["time"]).replace("Z", "+00:00"))


def query(entry: Entry) -> dict[str, Any]:
    return dict(entry.get("query") or {})


def request(entry: Entry) -> str:
    """`METHOD /path?query`, for reasons."""
    raw = entry.get("query_string") or ""
    return f"{entry['method']} {entry['path']}{'?' + raw if raw else ''}"


def identity(entry: Entry) -> tuple[str, str, str, str]:
    """What makes two requests identical: method, path, query and body."""
    body = json.dumps(entry.get("request_body"), sort_keys=True)
    return entry["method"], entry["path"], json.dumps(query(entry), sort_keys=True), body


def details(entry: Entry) -> list[str]:
    """The `errors[].detail` texts (or the `error`) of an entry's answer."""
    body = entry.get("response_body")
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return [str(e.get("detail")) for e in body["errors"] if isinstance(e, dict)]
    if isinstance(body, dict) and "error" in body:
        return [str(body["error"])]
    return [body.strip()] if isinstance(body, str) and body.strip() else []


def answer(entry: Entry) -> str:
    """`answered 422 "detail"` for reasons."""
    if entry.get("fault") and entry["fault"].get("kind") == "lost-response":
        return f"was processed ({entry['status']}) but its answer was dropped"
    text = "; ".join(details(entry))
    return f"answered {entry['status']}" + (f' "{text}"' if text else "")


def is_refusal(entry: Entry) -> bool:
    """A 4xx other than the throttle's 429: the API's decision, not a reason to retry."""
    return 400 <= int(entry["status"]) < 500 and int(entry["status"]) != 429


def is_decisive(entry: Entry) -> bool:
    """The answer that settled a request: a 2xx that reached the client, or a refusal."""
    lost = bool(entry.get("fault")) and entry["fault"].get("kind") == "lost-response"
    return (200 <= int(entry["status"]) < 300 and not lost) or is_refusal(entry)


@dataclass
class ListRead:
    """A read of one list with one set of filters, from page 1 on."""

    path: str
    filters: dict[str, Any]
    run: int
    pages: list[Entry] = field(default_factory=list)
    finished: bool = False

    def describe(self) -> str:
        where = "&".join(f"{k}={v}" for k, v in sorted(self.filters.items()))
        numbers = sorted({_page(e) for e in self.pages})
        return f"GET {self.path}{'?' + where if where else ''} (pages {numbers})"

    @property
    def is_sync(self) -> bool:
        """A read of everything (or of everything changed): not a lookup by filter."""
        return set(self.filters) <= SYNC_FILTERS


def list_reads(items: list[Entry]) -> list[ListRead]:
    """Group list GETs into reads: a read starts at page 1 and ends at an empty page."""
    reads: list[ListRead] = []
    open_: dict[tuple[str, str, int], ListRead] = {}
    for entry in items:
        if entry["method"] != "GET" or entry["path"].rstrip("/") not in LIST_PATHS:
            continue
        path = entry["path"].rstrip("/")
        filters = {k: v for k, v in query(entry).items() if k not in PAGE_KEYS}
        key = (path, json.dumps(filters, sort_keys=True), entry["run"])
        current = open_.get(key)
        if current is None or current.finished or (_page(entry) == 1 and _answered(current)):
            current = open_[key] = ListRead(path, filters, entry["run"])
            reads.append(current)
        current.pages.append(entry)
        body = entry.get("response_body")
        if int(entry["status"]) == 200 and isinstance(body, dict) and body.get("data") == []:
            current.finished = True
    return reads


def _answered(read: ListRead) -> bool:
    """Whether page 1 of this read already got its answer (a repeat is a new read)."""
    return any(_page(e) == 1 and int(e["status"]) == 200 for e in read.pages)


def _page(entry: Entry) -> int:
    try:
        return int(query(entry).get("page[page]", 1))
    except (TypeError, ValueError):
        return 1


# The request each kind of instruction sends (relative to /api/v3).
PATHS = {
    "accept_application": ("POST", "/npq-applications/{application_id}/accept"),
    "reject_application": ("POST", "/npq-applications/{application_id}/reject"),
    "change_funded_place": ("PUT", "/npq-applications/{application_id}/change-funded-place"),
    "defer_participant": ("PUT", "/participants/npq/{participant_id}/defer"),
    "resume_participant": ("PUT", "/participants/npq/{participant_id}/resume"),
    "withdraw_participant": ("PUT", "/participants/npq/{participant_id}/withdraw"),
    "change_schedule": ("PUT", "/participants/npq/{participant_id}/change-schedule"),
    "submit_declaration": ("POST", "/participant-declarations"),
    "void_declaration": ("PUT", "/participant-declarations/{declaration_id}/void"),
    "record_outcome": ("POST", "/participants/npq/{participant_id}/outcomes"),
}
DECLARATION_KEYS = ("participant_id", "course_identifier", "declaration_type", "declaration_date")


def _signature(instruction: Entry) -> tuple[str, str, tuple[Any, ...]] | None:
    known = PATHS.get(str(instruction.get("action")))
    if known is None:
        return None
    try:
        path = API + known[1].format(**instruction)
    except KeyError:
        return None
    keys = DECLARATION_KEYS if instruction["action"] == "submit_declaration" else ()
    return known[0], path, tuple(instruction.get(k) for k in keys)


def _matches(entry: Entry, signature: tuple[str, str, tuple[Any, ...]]) -> bool:
    method, path, values = signature
    if entry["method"] != method or entry["path"].rstrip("/") != path:
        return False
    if not values:
        return True
    body = entry.get("request_body")
    attributes = (body.get("data") or {}).get("attributes") if isinstance(body, dict) else None
    given = attributes if isinstance(attributes, dict) else {}
    return tuple(given.get(k) for k in DECLARATION_KEYS) == values


def attribute(instructions: tuple[Entry, ...], items: list[Entry]) -> dict[str, list[Entry]]:
    """The requests each instruction sent. Instructions sending identical requests share them
    in order: each but the last takes them up to its first decisive answer."""
    by_id: dict[str, list[Entry]] = {}
    taken: set[int] = set()
    for index, instruction in enumerate(instructions):
        signature = _signature(instruction)
        if signature is None:
            continue
        later = any(_signature(i) == signature for i in instructions[index + 1 :])
        mine = []
        for n, entry in enumerate(items):
            if n in taken or not _matches(entry, signature):
                continue
            mine.append(entry)
            taken.add(n)
            if later and is_decisive(entry):
                break
        by_id[str(instruction["id"])] = mine
    return by_id
