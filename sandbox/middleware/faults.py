"""Injected faults on a lead provider's own /api/v3 requests (see `sandbox.domain.faults`).

A test kit's own requests (`X-Sandbox-Kit`) never meet one: a fault is for the client under test.

A fault that fires is consumed in its own short write transaction, before the app runs: a 401,
429, 500 or 503 answers instead of the app, latency delays the request, and a lost response lets
the app process and commit the request and then drops the connection (`wsgi.Undelivered`).
The fault is left in the environ for the journal around this layer to record.

Rules: docs/rules.md §18.8.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.faults import Fault
from npq_sandbox.domain.reference import LeadProvider
from npq_sandbox.middleware.wsgi import (
    FAULT_KEY,
    Answer,
    StartResponse,
    Undelivered,
    WsgiApp,
    call,
    caller,
    plain_answer,
    request_version,
    retry_later,
)
from npq_sandbox.store import faults as fault_store
from npq_sandbox.store.db import Database
from werkzeug.wsgi import get_path_info


class Faults:
    """WSGI middleware firing the caller's faults."""

    def __init__(self, app: WsgiApp, db: Database, draw: Callable[[], float]) -> None:
        self.app, self._db, self._draw = app, db, draw
        # Per provider, the counters read when they were last seen without a usable fault: the
        # faults table's, and (for a GET) the file's.
        self._clear: dict[str, int] = {}
        self._clear_file: dict[str, int] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        found = caller(environ)
        fault = None if found is None else self._fire(environ, found)
        if fault is None:
            return self.app(environ, start_response)
        environ[FAULT_KEY] = fault
        if fault.spec.latency_ms:
            time.sleep(fault.spec.latency_ms / 1000)
        if fault.spec.status is not None:
            answer = _fault_answer(fault.spec.status, fault.spec.retry_after)
            start_response(answer.status, answer.headers)
            return [answer.body]
        if fault.spec.lost_response:
            return Undelivered(call(self.app, environ)[0], environ)
        return self.app(environ, start_response)

    def _fire(self, environ: dict[str, Any], provider: LeadProvider) -> Fault | None:
        """Consume the provider's first fault that fires on the request, if any."""
        method, path = environ.get("REQUEST_METHOD", "GET"), get_path_info(environ)
        # Read before looking: a fault added after these readings moves them, and the next
        # request looks. A GET reads the file's change counter, which the answer cache (the
        # next layer, when on) reads anyway: while it stands still, nothing was written. Else
        # the faults table's own counter tells: every POST commits, few touch faults.
        file = request_version(self._db, environ) if method == "GET" else None
        if file is not None and self._clear_file.get(provider.id) == file:
            return None
        version = self._db.table_version(fault_store.TABLE)
        if version is not None and self._clear.get(provider.id) == version:
            self._seen_clear(provider.id, file, version)
            return None  # no fault written since the caller was seen without a usable one
        with self._db.transaction() as conn:  # most requests meet no fault: no write lock
            mine = fault_store.of_provider(conn, provider.id)
        if not any(f.usable for f in mine):
            self._seen_clear(provider.id, file, version)
        if not any(f.usable and f.matches(method, path) for f in mine):
            return None
        with self._db.transaction(write=True) as conn:
            return fault_store.fire(conn, provider.id, method, path, self._draw)

    def _seen_clear(self, provider_id: str, file: int | None, version: int | None) -> None:
        """The provider was seen without a usable fault at these readings of the counters."""
        if file is not None:
            self._clear_file[provider_id] = file
        if version is not None:
            self._clear[provider_id] = version


def _fault_answer(status: int, retry_after: int) -> Answer:
    """DfE's 401 for a refused token, DfE's rate limiter's 429 (plain text), or a JSON 500
    or 503."""
    if status == 401:
        return _json_answer(401, {"error": m.ACCESS_DENIED}, None)
    if status == 429:
        return retry_later(retry_after)
    entry = {"title": m.SANDBOX_FAULT_TITLES[status], "detail": m.SANDBOX_FAULT_INJECTED}
    return _json_answer(status, {"errors": [entry]}, retry_after if status == 503 else None)


def _json_answer(status: int, body: Any, retry_after: int | None) -> Answer:
    encoded = json.dumps(body, separators=(",", ":")).encode()
    return plain_answer(status, encoded, "application/json", retry_after)
