"""GET and DELETE /sandbox/journal: the caller's recorded /api/v3 requests, oldest first.

Rules: docs/rules.md §18.7.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response
from npq_sandbox.api import query
from npq_sandbox.api.context import database, journal_writer, params, provider
from npq_sandbox.api.render import render
from npq_sandbox.domain import messages
from npq_sandbox.domain.errors import BadRequest
from npq_sandbox.store import journal as store

bp = Blueprint("control_journal", __name__)
# A body nested deeper than this is shown as its text: parsed, it could not be rendered again.
MAX_DEPTH = 100


@bp.get("/journal")
def list_journal() -> Response:
    given = params()
    found = query.filters(given)
    filters = store.JournalFilters(
        method=query.text_filter(found, "method"),
        path=query.text_filter(found, "path"),
        since=_since(found.get("since")),
    )
    journal_writer().settle()  # entries queued a moment ago, by any worker, first
    with database().journal.transaction() as conn:
        rows = store.entries(conn, provider().id, filters, query.page(given))
    return render([entry(row) for row in rows])


@bp.delete("/journal")
def clear_journal() -> Response:
    clear(provider().id)
    return render([])


def clear(provider_id: str | None) -> None:
    """Empty one provider's journal, or everyone's (None)."""
    journal_writer().settle()  # requests answered before the clear are cleared too
    with database().journal.transaction(write=True) as conn:
        store.clear(conn, provider_id)


def _since(value: Any) -> datetime | None:
    """Read `filter[since]` (RFC 3339, fractions allowed); an unencoded `+` arrives as a space."""
    if value is None:
        return None
    moment = query.parse_iso8601(value.replace(" ", "+")) if isinstance(value, str) else None
    if moment is None:
        raise BadRequest(messages.invalid_date_filter("since"))
    return moment


def entry(row: dict[str, Any]) -> dict[str, Any]:
    """A journal row as the API shows it (a `journal-entry` resource)."""
    attributes = {
        "time": row["time"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "method": row["method"],
        "path": row["path"],
        "query": row["query"],
        "query_string": row["query_string"],
        "request_body": _document(row["request_body"]),
        "request_size": row["request_size"],
        "status": row["status"],
        "response_body": _document(row["response_body"]),
        "response_size": row["response_size"],
        "duration_ms": row["duration_ms"],
        "fault": row["fault"],
    }
    return {"id": str(row["id"]), "type": "journal-entry", "attributes": attributes}


def _document(text: str | None) -> Any:
    """A recorded body as the journal shows it: parsed JSON, else the text, else None."""
    if text is None:
        return None
    try:
        document = json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        return text
    return document if _depth(document) <= MAX_DEPTH else text


def _depth(document: Any) -> int:
    """How deeply arrays and objects nest in a parsed document, counted without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            stack.extend(
                (v, level + 1) for v in (value.values() if isinstance(value, dict) else value)
            )
    return deepest


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity are kept as text
