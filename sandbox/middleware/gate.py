"""One request at a time runs the app in each process; the server's other threads wait their turn.

gunicorn's threads let a slow client, or a request delayed by a latency fault, hold one
connection without holding up the rest. Running the app itself, threads only take turns on
Python's lock (the GIL), and every turn costs: at 16 connections on two workers a declaration
POST cost 2.6 ms of CPU with eight threads running the app, 1.7 ms with one. So the app runs
behind a lock per process, and a request's body is read before queueing for it (a slow upload
holds its own thread only). Latency faults sleep outside it (`Faults` wraps this layer).
The lock is reentrant: the dashboard's views call the API through this same pipeline, on the
request's own thread (`web.calls`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from npq_sandbox.middleware.wsgi import StartResponse, WsgiApp, call, hand_on, take_body


class Gate:
    """WSGI middleware running the app for one request at a time."""

    def __init__(self, app: WsgiApp, max_body: int | None) -> None:
        self.app, self._max_body = app, max_body
        self._lock = threading.RLock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        take_body(environ, self._max_body)
        with self._lock:
            answer, sent = call(self.app, environ)
        return hand_on(start_response, answer, sent)
