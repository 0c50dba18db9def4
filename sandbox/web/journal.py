"""GET /journal: the provider's recorded API requests, newest first, filterable, kept live.

The entries are the ones `GET /sandbox/journal` serves (its store query and its rendering),
newest first. Below them, apart, the requests that came with a missing or unknown token: no
provider's, so shown before a provider is chosen too. The page's script asks
`/journal/rows?after=ID` (and `/journal/unrecognised/rows`) for what arrived since.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from npq_sandbox.api.context import database, journal_writer
from npq_sandbox.control.journal import entry
from npq_sandbox.domain import messages
from npq_sandbox.store import journal as store
from npq_sandbox.web.provider import chosen, to_choose

bp = Blueprint("web_journal", __name__)
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
SHOWN = 100


def newest(
    provider_id: str | None, given: Mapping[str, str], limit: int = SHOWN
) -> list[dict[str, Any]]:
    """The newest entries matching the page's filters, as the API renders them.

    The provider's, or (`None`) those of requests with a missing or unknown token.
    """
    method = given.get("method", "").strip().upper() or None
    path = given.get("path", "").strip() or None
    status = given.get("status", "").strip()
    filters = store.JournalFilters(method=method, path=path)
    journal_writer().settle()  # entries queued a moment ago, by any worker, first
    with database().journal.transaction() as conn:
        rows = store.newest(conn, provider_id, filters, _status(status), limit)
    after = _status(given.get("after", "").strip()) or 0
    return [_shown(row) for row in rows if row["id"] > after]


def _shown(row: Mapping[str, Any]) -> dict[str, Any]:
    """An entry as the API renders it, with what a token-less request's header held."""
    rendered = entry(dict(row))
    if "credential" in row:
        rendered["credential"] = row["credential"]
    return rendered


@bp.get("/journal")
def show_journal() -> ResponseReturnValue:
    caller = chosen()
    return render_template(
        "web/journal.html",
        provider=caller,
        entries=[] if caller is None else newest(caller.id, request.args),
        unrecognised=newest(None, request.args),
        given=request.args,
        methods=METHODS,
        denied=messages.ACCESS_DENIED,
    )


@bp.get("/journal/rows")
def journal_rows() -> ResponseReturnValue:
    """The provider's rows newer than `after`, for the page's script to put on top."""
    caller = chosen()
    if caller is None:
        return to_choose()
    return render_template("web/journal_rows.html", entries=newest(caller.id, request.args))


@bp.get("/journal/unrecognised/rows")
def unrecognised_rows() -> ResponseReturnValue:
    """The rows of requests with a missing or unknown token newer than `after`."""
    entries = newest(None, request.args)
    return render_template("web/journal_rows.html", entries=entries, unrecognised=True)


def _status(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None
