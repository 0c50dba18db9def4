"""Small synthetic journals, scenarios and truths for judging verdicts without a sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from npq_conformance.judging import Verdict
from npq_conformance.scenarios import Run, Scenario, Step

START = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
APP, PERSON, DECL = "app-1", "person-1", "decl-1"
ALREADY = "A declaration has already been submitted that will be, or has been, paid for this event"
Json = dict[str, Any]


class Journal:
    """Entries in the shape of GET /sandbox/journal, each a little later than the last."""

    def __init__(self) -> None:
        self.items: list[Json] = []
        self.clock = START

    def add(
        self,
        method: str,
        path: str,
        status: int = 200,
        *,
        body: Any = None,
        answer: Any = None,
        query: dict[str, str] | None = None,
        after: float = 0.1,
        fault: str | None = None,
        run: int = 0,
    ) -> Journal:
        self.clock += timedelta(seconds=after)
        attributes = {
            "time": self.clock.isoformat().replace("+00:00", "Z"),
            "method": method,
            "path": "/api/v3" + path,
            "query": query or {},
            "query_string": "&".join(f"{k}={v}" for k, v in (query or {}).items()),
            "request_body": body,
            "status": status,
            "response_body": answer if answer is not None else {"data": {}},
            "duration_ms": 1.0,
            "fault": {"id": "f1", "kind": fault} if fault else None,
        }
        entry = {"id": str(len(self.items) + 1), "type": "journal-entry", "attributes": attributes}
        self.items.append({**entry, "run": run} if run else entry)
        return self

    def page(
        self,
        path: str,
        page: int,
        records: int,
        per_page: str | None = "100",
        *,
        kept: bool = True,
        run: int = 0,
        **filters: str,
    ) -> Journal:
        """A list page of `records` records; `kept=False` journals it by size only, as the
        sandbox does large answers."""
        paging = {"page[page]": str(page)} | ({"page[per_page]": per_page} if per_page else {})
        self.add(
            "GET",
            path,
            answer={"data": [{"id": str(n)} for n in range(records)]},
            query={**filters, **paging},
            run=run,
        )
        if not kept:
            self.items[-1]["attributes"]["response_body"] = None
        return self


def refusal(*details: str) -> Json:
    return {"errors": [{"title": "x", "detail": d} for d in details]}


def scenario(
    *instructions: Json,
    expect: dict[str, Json] | None = None,
    truth: dict[str, dict[str, str]] | None = None,
    setup: tuple[Step, ...] = (),
    later: tuple[Run, ...] = (),
) -> Scenario:
    return Scenario(
        name="case",
        summary="A case.",
        runs=(Run(setup, tuple(instructions)), *later),
        expect=expect or {},
        truth=truth or {},
    )


def accept(id_: str = "accept") -> Json:
    return {"id": id_, "action": "accept_application", "application_id": APP}


def declare(id_: str = "declare", date: str = "2026-10-01T10:00:00Z") -> Json:
    return {
        "id": id_,
        "action": "submit_declaration",
        "participant_id": PERSON,
        "course_identifier": "npq-headship",
        "declaration_type": "started",
        "declaration_date": date,
    }


def declaration_body(date: str = "2026-10-01T10:00:00Z") -> Json:
    attributes = {k: v for k, v in declare(date=date).items() if k not in ("id", "action")}
    return {"data": {"type": "participant-declaration", "attributes": attributes}}


def truth(**states: dict[str, Json]) -> Json:
    return {"applications": {}, "participants": {}, "declarations": {}, **states}


def result(id_: str, outcome: str = "done", error: str | None = None, **record: str) -> Json:
    found: Json = {"id": id_, "outcome": outcome}
    if error is not None:
        found["error"] = error
    if record:
        found["record"] = record
    return found


def results(*found: Json, **view: dict[str, str]) -> Json:
    return {"results": list(found), "view": view}


ACCEPT = f"/npq-applications/{APP}/accept"
REJECTED = "Once rejected an application cannot change state"
ACCEPTED = truth(applications={APP: {"status": "accepted"}})


def verdict(found: list[Verdict], name: str) -> Verdict:
    """The one verdict called `name` among those a judge gave."""
    (match,) = [v for v in found if v.name == name]
    return match


def names(found: list[Verdict]) -> list[str]:
    return [v.name for v in found]
