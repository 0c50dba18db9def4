"""The journal: every /api/v3 request of a lead provider and its answer, faults included.

A test kit's own requests (`X-Sandbox-Kit`) are not recorded: the journal is the client's.
A request without a provider's token is recorded apart (`store.journal`), with only the start
of whatever token it carried, so that a client refused with 401s can see what it sent.

This is the pipeline's outermost layer, so the request's own transaction has committed or
rolled back before its entry is queued: a refused request, whose work is undone, is still
recorded. Answers are buffered (they are small JSON documents) so that the entry is queued
before the client gets its answer, and a client that reads the journal next finds it (reading
flushes the queue, see `store.journal.JournalWriter`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from npq_sandbox.api import clock
from npq_sandbox.domain.faults import Fault
from npq_sandbox.middleware.wsgi import (
    FAULT_KEY,
    Answer,
    StartResponse,
    WsgiApp,
    call,
    caller,
    hand_on,
    is_client,
    take_body,
)
from npq_sandbox.store.journal import JournalWriter
from werkzeug.wsgi import get_path_info

# Bodies larger than this (pages of lists, oversized requests) are journaled by size only: what
# a client's conduct is judged on (errors, single records, empty pages) is far smaller, and
# keeping every polled page would grow the journal by megabytes a second.
BODY_LIMIT = 16 * 1024
# Characters of an unknown token kept (at most a third of it): enough for its sender to know
# it again, too few to be of use to anyone reading the journal.
TOKEN_PREFIX = 4


class Journal:
    """WSGI middleware queueing one journal entry per request of a lead provider."""

    def __init__(self, app: WsgiApp, writer: JournalWriter, max_body: int | None) -> None:
        self.app, self._writer, self._max_body = app, writer, max_body

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        found = caller(environ)
        if found is None and not is_client(environ):
            return self.app(environ, start_response)
        arrived, started = clock.real_now(), time.perf_counter()
        request_body = take_body(environ, self._max_body)
        answer, sent = call(self.app, environ)
        entry = _entry(environ, request_body, answer, environ.get(FAULT_KEY))
        entry["time"] = arrived
        entry["duration_ms"] = round((time.perf_counter() - started) * 1000, 3)
        if found is None:  # no provider's token: kept apart, so its sender sees why (401)
            entry["credential"] = credential(environ.get("HTTP_AUTHORIZATION", ""))
        self._writer.add(None if found is None else found.id, entry)
        if entry["fault"] is not None:
            # A faulted request is written before the client sees the fault, so a journal read
            # that follows (on any worker) shows it; faults are rare, so the wait is too.
            self._writer.flush()
        return hand_on(start_response, answer, sent)


def credential(header: str) -> str | None:
    """What an Authorization header held, with only the start of its token; None if absent."""
    words = header.split(None, 1)
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in ("bearer", "token"):
        return f"{words[0]}, without a token"
    scheme, token = (words[0], words[1].strip()) if len(words) == 2 else ("", words[0])
    length = f"{len(token)} character{'' if len(token) == 1 else 's'}"
    shown = f"{token[: min(TOKEN_PREFIX, len(token) // 3)]}… ({length})"
    return f"{scheme} {shown}" if scheme else f"{shown}, without a scheme such as Bearer"


def _entry(
    environ: dict[str, Any], request_body: bytes, answer: Answer, fault: Fault | None
) -> dict[str, Any]:
    """The entry's columns but its time and duration."""
    raw_query = environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8", "replace")
    return {
        "method": environ.get("REQUEST_METHOD", "GET"),
        "path": get_path_info(environ),
        "query": dict(parse_qsl(raw_query, keep_blank_values=True)),
        "query_string": raw_query,
        "request_body": _text(request_body),
        "request_size": len(request_body),
        "status": int(answer.status.split(None, 1)[0]),
        "response_body": _text(answer.body),
        "response_size": len(answer.body),
        "fault": None if fault is None else {"id": fault.id, "kind": fault.spec.kind},
    }


def _text(raw: bytes) -> str | None:
    """The body as text, None when empty or kept by size only; parsed when the journal is read."""
    if len(raw) > BODY_LIMIT or not raw.strip():
        return None
    return raw.decode("utf-8", "replace")
