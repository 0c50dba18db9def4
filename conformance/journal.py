"""Reading the sandbox's journal: entries, list reads, and the requests each instruction sent.

Entries are the `attributes` of `GET /sandbox/journal`'s records (a whole record is
accepted too), plus an optional `run` (which run of the client sent it; the runner adds it).

A list read is a *sync* when it reads a whole list, or the whole of one cohort of it, or
everything in it changed since a moment (`filter[updated_since]`, the outcomes'
`filter[created_since]`), in any `sort`. Any other filter (`filter[participant_id]`,
`filter[training_status]`, ...) makes it a *lookup*, as is a GET of a single record: a client
looks a record up to answer one question, and need not read on or ask only for changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

Entry = dict[str, Any]

API = "/api/v3"
# The list endpoints a sync reads, by the resource names of the protocol.
LISTS = {
    "applications": f"{API}/npq-applications",
    "participants": f"{API}/participants/npq",
    "declarations": f"{API}/participant-declarations",
}
RESOURCES = {path: resource for resource, path in LISTS.items()}
LIST_PATHS = {
    *LISTS.values(),
    f"{API}/participants/npq/outcomes",
    f"{API}/statements",
    f"{API}/delivery-partners",
}
PAGE_KEYS = ("page[page]", "page[per_page]")
# The filters that ask only for changes; with `sort` they leave a read's scope whole.
CHANGE_FILTERS = {"filter[updated_since]", "filter[created_since]"}
SYNC_KEYS = {*CHANGE_FILTERS, "filter[cohort]", "sort"}
PER_PAGE, MAX_PER_PAGE = 100, 3000  # DfE's default page size, and the most a page holds
LEADING_INTEGER = re.compile(r"\s*[+-]?\d+")


def entries(journal: list[dict[str, Any]]) -> list[Entry]:
    """Plain entries, oldest first, whatever shape they came in."""
    flat = [{**e.get("attributes", e), "run": e.get("run", 0)} for e in journal]
    return sorted(flat, key=lambda e: (e["run"], str(e.get("time", ""))))


def moment(entry: Entry) -> datetime:
    """When the request arrived."""
    return datetime.fromisoformat(str(entry["time"]).replace("Z", "+00:00"))


def query(entry: Entry) -> dict[str, Any]:
    """The request's query parameters, decoded."""
    return dict(entry.get("query") or {})


def request(entry: Entry) -> str:
    """`METHOD /path?query`, the query decoded (`filter[cohort]=2025`, not `%5B`), for reasons."""
    raw = entry.get("query_string") or "&".join(f"{k}={v}" for k, v in query(entry).items())
    return f"{entry['method']} {entry['path']}{'?' + unquote(raw) if raw else ''}"


def identity(entry: Entry) -> tuple[str, str, str, str]:
    """What makes two requests identical: method, path, query and body."""
    body = json.dumps(entry.get("request_body"), sort_keys=True)
    return entry["method"], entry["path"], json.dumps(query(entry), sort_keys=True), body


def details(entry: Entry) -> list[str]:
    """The `errors[].detail` texts (or the `error`, or a text body) of an entry's answer."""
    body = entry.get("response_body")
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        found = (e.get("detail") for e in body["errors"] if isinstance(e, dict))
        return [d for d in found if isinstance(d, str)]
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return [body["error"]]
    return [body.strip()] if isinstance(body, str) and body.strip() else []


def shown(value: Any) -> str:
    """A value as JSON (`"accepted"`, `["a", "b"]`), never as a Python repr."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def answer(entry: Entry) -> str:
    """`answered 422 "detail"` for reasons."""
    if is_lost(entry):
        return f"was processed ({entry['status']}) but its answer was dropped"
    said = ", ".join(shown(d) for d in details(entry))
    return f"answered {entry['status']}" + (f" {said}" if said else "")


def is_lost(entry: Entry) -> bool:
    """Whether the sandbox dropped the answer, as a lost-response fault does."""
    return bool(entry.get("fault")) and entry["fault"].get("kind") == "lost-response"


def is_refusal(entry: Entry) -> bool:
    """A 4xx other than the throttle's 429: the API's decision, not a reason to retry."""
    return 400 <= int(entry["status"]) < 500 and int(entry["status"]) != 429


def is_decisive(entry: Entry) -> bool:
    """The answer that settled a request: a 2xx that reached the client, or a refusal."""
    return (200 <= int(entry["status"]) < 300 and not is_lost(entry)) or is_refusal(entry)


def showing(items: list[Entry], id_: str) -> list[Entry]:
    """The entries whose request or answer names the record `id_`, the latest last."""
    return [e for e in items if id_ in e["path"] or id_ in _ids(e.get("response_body"))]


def _ids(body: Any) -> set[str]:
    data = body.get("data") if isinstance(body, dict) else None
    records = data if isinstance(data, list) else [data]
    return {str(r["id"]) for r in records if isinstance(r, dict) and "id" in r}


@dataclass
class ListRead:
    """A read of one list with one set of filters, from page 1 on."""

    path: str
    filters: dict[str, Any]
    run: int
    pages: list[Entry] = field(default_factory=list)

    def describe(self) -> str:
        """`GET /path?filters (pages 1, 2)`, the filters decoded, for reasons."""
        where = "&".join(f"{k}={v}" for k, v in sorted(self.filters.items()))
        numbers = sorted({page_number(e) for e in self.pages})
        pages = f"page{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"
        return f"GET {self.path}{'?' + where if where else ''} ({pages})"

    @property
    def is_sync(self) -> bool:
        """A read of a whole list, a cohort of it, or what changed in it: not a lookup."""
        return set(self.filters) <= SYNC_KEYS

    @property
    def scope(self) -> str:
        """What the read covers, changes or not: the whole list, or one cohort's part."""
        return str(self.filters.get("filter[cohort]", ""))

    @property
    def asks_changes(self) -> bool:
        """Whether the read asks only for what changed since a moment."""
        return bool(CHANGE_FILTERS & set(self.filters))


def list_reads(items: list[Entry]) -> list[ListRead]:
    """Group list GETs into reads: a read starts at page 1, and a page 1 after an answered
    page 1 starts another; pages read past the end belong to the read they follow."""
    reads: list[ListRead] = []
    open_: dict[tuple[str, str, int], ListRead] = {}
    for entry in items:
        path = entry["path"].rstrip("/")
        if entry["method"] != "GET" or path not in LIST_PATHS:
            continue
        filters = {k: v for k, v in query(entry).items() if k not in PAGE_KEYS}
        key = (path, json.dumps(filters, sort_keys=True), entry["run"])
        current = open_.get(key)
        if current is None or (page_number(entry) == 1 and _answered(current)):
            current = open_[key] = ListRead(path, filters, entry["run"])
            reads.append(current)
        current.pages.append(entry)
    return reads


def is_page(entry: Entry) -> bool:
    """Whether the client saw a page: a 200 whose answer reached it."""
    return int(entry["status"]) == 200 and not is_lost(entry)


def records(entry: Entry) -> list[Any] | None:
    """The records of a page the client saw, when the journal kept its body (large answers
    are journaled by size only)."""
    body = entry.get("response_body")
    data = body.get("data") if isinstance(body, dict) else None
    return data if is_page(entry) and isinstance(data, list) else None


def selects(filters: dict[str, Any], attributes: dict[str, Any]) -> bool:
    """Whether a sync with these filters lists a record (its attributes as served)."""
    cohorts = filters.get("filter[cohort]")
    if cohorts is not None and str(attributes.get("cohort")) not in str(cohorts).split(","):
        return False
    since = filters.get("filter[updated_since]")
    if since is None or not isinstance(attributes.get("updated_at"), str):
        return True
    # Served times drop fractions: compare whole seconds, so no listed record is missed.
    return str(attributes["updated_at"])[:19] >= _utc(str(since))[:19]


def _utc(moment: str) -> str:
    try:
        parsed = datetime.fromisoformat(moment.strip().replace(" ", "+").replace("Z", "+00:00"))
    except ValueError:
        return ""
    return (parsed.astimezone(UTC) if parsed.tzinfo else parsed).isoformat()


def page_size(entry: Entry) -> int:
    """The records a full page holds: `page[per_page]`, 100 when not given, at most 3000."""
    return min(_number(query(entry).get("page[per_page]"), PER_PAGE), MAX_PER_PAGE)


def page_number(entry: Entry) -> int:
    """The page asked for (`page[page]`, 1 when not given)."""
    return _number(query(entry).get("page[page]"), 1)


def _number(value: Any, default: int) -> int:
    """Read a page parameter as the API does: its leading integer (`10abc` is 10)."""
    if value is None:
        return default
    found = LEADING_INTEGER.match(str(value))
    return int(found.group(0)) if found else 0


def _answered(read: ListRead) -> bool:
    """Whether page 1 of this read already got its answer (a repeat is a new read)."""
    return any(page_number(e) == 1 and is_page(e) for e in read.pages)


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
