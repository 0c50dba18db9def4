"""Per-request state: the caller, the parsed query, and the request's one transaction."""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request
from npq_sandbox.api import query
from npq_sandbox.domain import messages
from npq_sandbox.domain.errors import Forbidden, Unauthenticated
from npq_sandbox.domain.reference import PROVIDERS_BY_TOKEN, LeadProvider
from npq_sandbox.store.db import Database, Unit, is_busy
from npq_sandbox.store.journal import JournalWriter
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

T = TypeVar("T")

_SCHEMES = ("Bearer ", "Token ")


def init_app(app: Flask, db: Database, writer: JournalWriter, admin_token: str) -> None:
    """Give `app`'s requests the database, the journal's writer and one transaction each."""
    app.extensions["npq_db"] = db
    app.extensions["npq_admin_token"] = admin_token
    app.extensions["npq_journal_writer"] = writer
    app.after_request(_finish)
    app.teardown_request(_abandon)


def database() -> Database:
    db: Database = current_app.extensions["npq_db"]
    return db


def journal_writer() -> JournalWriter:
    """The app's journal writer (one per app and process)."""
    writer: JournalWriter = current_app.extensions["npq_journal_writer"]
    return writer


def connection() -> Connection:
    """The request's connection, in one transaction committed only if the answer is a success.

    A request that may write starts optimistic (`Database.begin`): reads take no lock, so
    refusals run side by side; `dispatch` runs it again, locking up front, if it lost a race.
    """
    unit: Unit | None = g.get("npq_unit")  # one look through Flask's proxy when it is open
    if unit is None:
        write = request.method not in ("GET", "HEAD")
        optimistic = write and "npq_locked" not in g
        unit = g.npq_unit = database().begin(write=write, optimistic=optimistic)
    return unit.connection


def dispatch(view: Callable[[], T]) -> T:
    """Run the request's view, and once more, locking up front, if it lost a race for the lock.

    Its optimistic transaction's reads changed before its first write (`replay.StaleRead`):
    it decided on rows that are gone. That first run wrote nothing, so running it again is safe.
    """
    try:
        return view()
    except (OperationalError, sqlite3.OperationalError) as error:
        unit: Unit | None = g.get("npq_unit")
        if unit is None or not unit.optimistic or not is_busy(error):
            raise
        g.pop("npq_unit").finish(commit=False)
        g.npq_locked = True
        return view()


def _finish(response: Response) -> Response:
    unit: Unit | None = g.pop("npq_unit", None)
    if unit is not None:
        unit.finish(commit=response.status_code < 400)
    return response


def _abandon(_error: BaseException | None) -> None:
    unit: Unit | None = g.pop("npq_unit", None)
    if unit is not None:
        unit.finish(commit=False)


def params() -> dict[str, Any]:
    """The query string folded into nested dicts, parsed once per request."""
    parsed: dict[str, Any] | None = g.get("npq_params")
    if parsed is None:
        parsed = g.npq_params = query.nested(request.args.items(multi=True))
    return parsed


def authenticate() -> LeadProvider:
    """Find the lead provider of the request's token, as Rails' token authentication does."""
    found = provider_of(request.headers.get("Authorization", ""))
    if found is None:
        raise Unauthenticated()
    return found


def authenticate_administrator() -> None:
    """Refuse a request without the administrator's token: 401 for strangers, 403 for providers."""
    token = _token(request.headers.get("Authorization", ""))
    admin: str = current_app.extensions["npq_admin_token"]
    if hmac.compare_digest(token.encode(), admin.encode()):
        return
    if token not in PROVIDERS_BY_TOKEN:
        raise Unauthenticated()
    raise Forbidden(messages.SANDBOX_ADMINISTRATOR_ONLY_TITLE, messages.SANDBOX_ADMINISTRATOR_ONLY)


def provider_of(header: str) -> LeadProvider | None:
    """Return the lead provider whose token an Authorization header carries, if any."""
    return PROVIDERS_BY_TOKEN.get(_token(header))


def _token(header: str) -> str:
    scheme = next((s for s in _SCHEMES if header.startswith(s)), None)
    token = header[len(scheme) :].strip() if scheme else ""
    if token.startswith('token="') and token.endswith('"'):
        token = token[7:-1]
    return token


def provider() -> LeadProvider:
    caller: LeadProvider = g.npq_provider
    return caller
