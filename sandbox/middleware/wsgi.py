"""What the pipeline's layers share: buffered answers, the caller, the data file's version.

The layers pass two things down the environ: the data version, read once per request (counters
of different readings do not compare), and the fault that fired, which the journal records.
"""

from __future__ import annotations

import contextlib
import errno
import io
import socket
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from npq_sandbox.api.context import provider_of
from npq_sandbox.domain import messages as m
from npq_sandbox.domain.reference import LeadProvider
from npq_sandbox.store.db import Database
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_path_info

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
API_PREFIX = "/api/v3/"
VERSION_KEY = "npq.data_version"
FAULT_KEY = "npq.fault"  # the `Fault` that fired on the request, for the journal
CALLER_KEY = "npq.caller"  # the caller found by the first layer that asked (`caller`)
BODY_KEY = "npq.body"  # the request body, as read by the first layer that asked (`take_body`)
# A test kit's own request (its setup, its reads of the truth) carries this header: it is not
# the provider's client at work, so faults, the rate limit and the journal leave it alone.
KIT_KEY = "HTTP_X_SANDBOX_KIT"


class Answer(NamedTuple):
    """A whole answer: status line, headers (Content-Length included) and body."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes


class ResponseLost(BrokenPipeError):
    """The answer was deliberately not sent (an injected lost response)."""

    def __init__(self) -> None:
        super().__init__(errno.EPIPE, "the sandbox dropped the connection (injected fault)")


class Undelivered:
    """An answer computed, committed and journaled, whose sending fails as on a closed socket.

    Iterating it shuts the client's socket down and raises a broken-pipe error: Werkzeug's
    server and gunicorn both take that for a client hanging up, so they send nothing and carry
    on. In-process (Flask's test client) the error reaches the caller, as a dropped connection.
    """

    def __init__(self, answer: Answer, environ: dict[str, Any]) -> None:
        self.answer, self._environ = answer, environ

    def __iter__(self) -> Iterator[bytes]:
        conn = self._environ.get("gunicorn.socket") or self._environ.get("werkzeug.socket")
        if conn is not None:
            with contextlib.suppress(OSError):  # already gone
                conn.shutdown(socket.SHUT_RDWR)
        raise ResponseLost()


def is_api(environ: dict[str, Any]) -> bool:
    """Whether the request is for DfE's API (the control plane under /sandbox is not)."""
    return get_path_info(environ).startswith(API_PREFIX)


def is_client(environ: dict[str, Any]) -> bool:
    """Whether the request is for DfE's API and made by a client, not by a test kit."""
    return is_api(environ) and KIT_KEY not in environ


def caller(environ: dict[str, Any]) -> LeadProvider | None:
    """The lead provider whose client makes an /api/v3 request, if its token is one of theirs.

    Found once per request: the journal and faults both ask.
    """
    if CALLER_KEY not in environ:
        found = provider_of(environ.get("HTTP_AUTHORIZATION", "")) if is_client(environ) else None
        environ[CALLER_KEY] = found
    known: LeadProvider | None = environ[CALLER_KEY]
    return known


def request_version(db: Database, environ: dict[str, Any] | None) -> int | None:
    """The data file's change counter, read once per request and kept in its environ.

    Every reading comes from the database's one watching connection; None for an in-memory
    database. Without an environ, a fresh reading.
    """
    if environ is None:
        return db.data_version()
    if VERSION_KEY not in environ:
        environ[VERSION_KEY] = db.data_version()
    found: int | None = environ[VERSION_KEY]
    return found


def call(app: WsgiApp, environ: dict[str, Any]) -> tuple[Answer, Iterable[bytes]]:
    """Call `app` and buffer its answer; also return what to hand on to the server.

    That is the buffered body, or the same `Undelivered` answer when it is not to be sent.
    """
    started: list[Any] = []
    written: list[bytes] = []

    def start(status: str, headers: list[tuple[str, str]], _exc_info: Any = None) -> Any:
        started[:] = [status, list(headers)]
        return written.append

    chunks = app(environ, start)
    if isinstance(chunks, Undelivered):
        return chunks.answer, chunks
    try:
        body = b"".join([*written, *chunks])
    finally:
        getattr(chunks, "close", lambda: None)()
    return Answer(started[0], started[1], body), [body]


def hand_on(
    start_response: StartResponse, answer: Answer, sent: Iterable[bytes]
) -> Iterable[bytes]:
    """Give the server an answer `call` buffered (an undelivered one starts no response)."""
    if not isinstance(sent, Undelivered):
        start_response(answer.status, answer.headers)
    return sent


def status_line(status: int) -> str:
    """Werkzeug's status line for a code, e.g. ``503 SERVICE UNAVAILABLE``."""
    return f"{status} {HTTP_STATUS_CODES[status].upper()}"


def retry_later(retry_after: int) -> Answer:
    """DfE's rate limiter's 429: plain text, `Retry-After`, never cached."""
    return plain_answer(429, m.RETRY_LATER.encode(), "text/plain", retry_after)


def plain_answer(status: int, body: bytes, kind: str, retry_after: int | None) -> Answer:
    """An answer made here rather than by the app, with the headers the app's would have."""
    headers = [("Content-Type", kind), ("Content-Length", str(len(body)))]
    if retry_after is not None:
        headers.append(("Retry-After", str(retry_after)))
    headers.append(("Cache-Control", "no-store"))
    return Answer(status_line(status), headers, body)


def take_body(environ: dict[str, Any], limit: int | None) -> bytes:
    """Read the request body, and put it back for the app to read again.

    Read once per request: the journal and the gate both ask. A body declared larger than the
    app accepts is left unread: the app refuses it (413).
    """
    if BODY_KEY not in environ:
        environ[BODY_KEY] = _read_body(environ, limit)
    taken: bytes = environ[BODY_KEY]
    return taken


def _read_body(environ: dict[str, Any], limit: int | None) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    try:
        length: int | None = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        length = None
    if length is not None and (length < 0 or (limit is not None and length > limit)):
        return b""  # the app refuses what it cannot read
    if length is None and not environ.get("wsgi.input_terminated"):
        return b""  # no length and not chunked: there is no body
    try:
        raw: bytes = stream.read(length if length is not None else (limit or 2**20) + 1)
    except OSError as error:  # a chunked body whose framing is broken: the app refuses it
        environ["wsgi.input"] = _Unreadable(error)
        return b""
    environ["wsgi.input"] = io.BytesIO(raw)
    environ["CONTENT_LENGTH"] = str(len(raw))
    return raw


class _Unreadable(io.RawIOBase):
    """A request body that fails to read again as it failed the first time."""

    def __init__(self, error: OSError) -> None:
        self._error = error

    def readable(self) -> bool:
        return True

    def readinto(self, _buffer: Any) -> int:
        raise self._error
