"""GET /journal: the provider's recorded API requests, newest first, filterable, kept live.

The entries are the ones `GET /sandbox/journal` serves (its store query and its rendering),
newest first. The page's script asks `/journal/rows?after=ID` for what arrived since.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from npq_sandbox.api.context import database, journal_writer
from npq_sandbox.control.journal import entry
from npq_sandbox.store import journal as store
from npq_sandbox.web.provider import chosen, to_choose

bp = Blueprint("web_journal", __name__)
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
SHOWN = 100


def newest(provider_id: str, given: Mapping[str, str], limit: int = SHOWN) -> list[dict[str, Any]]:
    """The provider's newest entries matching the page's filters, as the API renders them."""
    method = given.get("method", "").strip().upper() or None
    path = given.get("path", "").strip() or None
    status = given.get("status", "").strip()
    filters = store.JournalFilters(method=method, path=path)
    journal_writer().flush()  # this process's entries, queued a moment ago, first
    with database().journal.transaction() as conn:
        rows = store.newest(conn, provider_id, filters, _status(status), limit)
    after = _status(given.get("after", "").strip()) or 0
    return [entry(row) for row in rows if row["id"] > after]


@bp.get("/journal")
def show_journal() -> ResponseReturnValue:
    caller = chosen()
    if caller is None:
        return to_choose()
    entries = newest(caller.id, request.args)
    return render_template(
        "web/journal.html", provider=caller, entries=entries, given=request.args, methods=METHODS
    )


@bp.get("/journal/rows")
def journal_rows() -> ResponseReturnValue:
    """The rows newer than `after`, for the page's script to put on top."""
    caller = chosen()
    if caller is None:
        return to_choose()
    return render_template("web/journal_rows.html", entries=newest(caller.id, request.args))


def _status(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None
