"""Around every /api/v3 request of a lead provider: injected faults, then the journal.

This runs outside Flask (and outside any WSGI middleware wrapped around `app.wsgi_app`), so
the request's own transaction has committed or rolled back before the journal's short write
transaction starts: a refused request, whose work is undone, is still recorded. Answers are
buffered (they are small JSON documents) so that the entry is written before the client gets
its answer, and a client that reads the journal next finds it.

A lost response is processed and committed normally; then the client's socket is shut down
and the server is told, by a broken-pipe error from the answer's iterator, that the
connection has gone, so it sends nothing and carries on. Werkzeug's server and gunicorn both
treat that error as a client hanging up. In-process (Flask's test client) the error reaches
the caller, which sees the dropped connection as a real client would.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import logging
import random
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_path_info

from sandbox.api import clock
from sandbox.api.context import provider_of
from sandbox.api.journal_writer import JournalWriter
from sandbox.caching import request_version
from sandbox.domain import messages as m
from sandbox.domain.faults import Fault
from sandbox.domain.reference import LeadProvider
from sandbox.store import faults as fault_store
from sandbox.store.db import Database

PATH_PREFIX = "/api/v3/"
# Answers larger than this (pages of lists) are journaled by size only: what a client's
# conduct is judged on (errors, single records, empty pages) is far smaller, and keeping every
# polled page would grow the journal by megabytes a second.
BODY_LIMIT = 16 * 1024
StartResponse = Callable[..., Any]
Answer = tuple[str, list[tuple[str, str]], bytes]
log = logging.getLogger(__name__)


class ResponseLost(BrokenPipeError):
    """The answer was deliberately not sent (an injected lost response)."""

    def __init__(self) -> None:
        super().__init__(errno.EPIPE, "the sandbox dropped the connection (injected fault)")


def around(app: Flask, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """Serve one WSGI request through `app.wsgi_app`, with faults and the journal applied."""
    caller = _caller(environ)
    if caller is None:
        return app.wsgi_app(environ, start_response)  # type: ignore[no-any-return]
    arrived, started = clock.real_now(), time.perf_counter()
    request_body = _take_body(environ, app.config.get("MAX_CONTENT_LENGTH"))
    method, path = environ.get("REQUEST_METHOD", "GET"), get_path_info(environ)
    fault = _fire(app, environ, caller, method, path)
    if fault is not None and fault.spec.latency_ms:
        time.sleep(fault.spec.latency_ms / 1000)
    if fault is not None and fault.spec.status is not None:
        answer = _fault_answer(fault.spec.status, fault.spec.retry_after)
    else:
        answer = _run(app, environ)
    if app.config.get("JOURNAL", True):
        entry = _entry(environ, arrived, started, request_body, answer, fault)
        _record(app, caller, entry)
    if fault is not None and fault.spec.lost_response:
        return _lose(environ)
    start_response(answer[0], answer[1])
    return [answer[2]]


def _caller(environ: dict[str, Any]) -> LeadProvider | None:
    if not get_path_info(environ).startswith(PATH_PREFIX):
        return None
    return provider_of(environ.get("HTTP_AUTHORIZATION", ""))


def _take_body(environ: dict[str, Any], limit: int | None) -> bytes:
    """Read the request body, and put it back for the app to read again.

    A body declared larger than the app accepts is left unread: the app refuses it (413).
    """
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    try:
        length: int | None = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        length = None
    if length is not None and limit is not None and length > limit:
        return b""
    if length is None and not environ.get("wsgi.input_terminated"):
        return b""  # no length and not chunked: there is no body
    raw: bytes = stream.read(length if length is not None else (limit or 2**20) + 1)
    environ["wsgi.input"] = io.BytesIO(raw)
    environ["CONTENT_LENGTH"] = str(len(raw))
    return raw


def _fire(
    app: Flask, environ: dict[str, Any], caller: LeadProvider, method: str, path: str
) -> Fault | None:
    """Consume the caller's first fault that fires on the request, if any."""
    db: Database = app.extensions["npq_db"]
    clear: dict[str, int] = app.extensions.setdefault("npq_faults_clear", {})
    version = request_version(db, environ)  # read first: a later commit makes the next look
    if version is not None and clear.get(caller.id) == version:
        return None  # nothing committed since the caller was seen without a usable fault
    with db.transaction() as conn:  # most requests meet no fault: no write lock for them
        mine = fault_store.of_provider(conn, caller.id)
    if version is not None and not any(f.usable for f in mine):
        clear[caller.id] = version
    candidates = [f for f in mine if f.usable and f.matches(method, path)]
    if not candidates:
        return None
    draw: Callable[[], float] = app.config.get("FAULT_RANDOM") or random.random
    with db.transaction(write=True) as conn:
        return fault_store.fire(conn, caller.id, method, path, draw)


def _status_line(status: int) -> str:
    return f"{status} {HTTP_STATUS_CODES[status].upper()}"


def _fault_answer(status: int, retry_after: int) -> Answer:
    """DfE's rate limiter's 429 (plain text), or a JSON 500 or 503."""
    if status == 429:
        body, kind = m.SANDBOX_RETRY_LATER.encode(), "text/plain"
    else:
        entry = {"title": m.SANDBOX_FAULT_TITLES[status], "detail": m.SANDBOX_FAULT_INJECTED}
        kind = "application/json"
        body = json.dumps({"errors": [entry]}, separators=(",", ":")).encode()
    headers = [("Content-Type", kind), ("Content-Length", str(len(body)))]
    if status in (429, 503):
        headers.append(("Retry-After", str(retry_after)))
    headers.append(("Cache-Control", "no-store"))
    return _status_line(status), headers, body


def _run(app: Flask, environ: dict[str, Any]) -> Answer:
    """Call the app and buffer its answer (headers, Content-Length included, pass unchanged)."""
    started: list[Any] = []
    written: list[bytes] = []

    def start(status: str, headers: list[tuple[str, str]], _exc_info: Any = None) -> Any:
        started[:] = [status, list(headers)]
        return written.append

    chunks = app.wsgi_app(environ, start)
    try:
        body = b"".join([*written, *chunks])
    finally:
        getattr(chunks, "close", lambda: None)()
    return started[0], started[1], body


def _entry(
    environ: dict[str, Any],
    arrived: datetime,
    started: float,
    request_body: bytes,
    answer: Answer,
    fault: Fault | None,
) -> dict[str, Any]:
    raw_query = environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8", "replace")
    return {
        "time": arrived,
        "method": environ.get("REQUEST_METHOD", "GET"),
        "path": get_path_info(environ),
        "query": dict(parse_qsl(raw_query, keep_blank_values=True)),
        "query_string": raw_query,
        "request_body": _text(request_body),
        "status": int(answer[0].split(None, 1)[0]),
        "response_body": _text(answer[2]) if len(answer[2]) <= BODY_LIMIT else None,
        "response_size": len(answer[2]),
        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        "fault": None if fault is None else {"id": fault.id, "kind": fault.spec.kind},
    }


def _text(raw: bytes) -> str | None:
    """The body as text, None when empty; it is parsed only when the journal is read."""
    return raw.decode("utf-8", "replace") if raw.strip() else None


def document(text: str | None) -> Any:
    """A recorded body as the journal shows it: parsed JSON, else the text, else None."""
    if text is None:
        return None
    try:
        return json.loads(text, parse_constant=_no_constants)
    except ValueError:
        return text


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity are kept as text


def _record(app: Flask, caller: LeadProvider, entry: dict[str, Any]) -> None:
    writer(app).add(caller.id, entry)


def writer(app: Flask) -> JournalWriter:
    """The app's journal writer (one per app and process)."""
    found: JournalWriter = app.extensions["npq_journal_writer"]
    return found


def _lose(environ: dict[str, Any]) -> Iterable[bytes]:
    """Shut the client's socket down and make the server give up on the answer."""
    conn = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    if conn is not None:
        with contextlib.suppress(OSError):  # already gone
            conn.shutdown(socket.SHUT_RDWR)
    return _Lost()


class _Lost:
    """An answer whose iteration fails as a write to a closed connection would."""

    def __iter__(self) -> Iterator[bytes]:
        raise ResponseLost()
