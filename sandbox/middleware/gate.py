"""Requests that may write run the app one at a time in each process; reads run beside them.

Werkzeug's threaded server (`serve` without `--workers`) lets a slow client, or a request
delayed by a latency fault, hold one connection without holding up the rest. Running the app
itself, threads only take turns on Python's lock (the GIL), and for writes every turn costs:
at 16 connections on two workers a declaration POST cost 2.6 ms of CPU with eight threads
running the app, 1.8-2.0 ms with one. So a POST (any method but GET, HEAD and OPTIONS) runs
behind a lock per process, its body read before it queues (a slow upload holds its own
thread only). Reads are left out: they take no write lock, and behind the lock a page of 100
or one record lost about a tenth of its req/s, measured. Under `serve --workers` connections
are greenlets, which hand over only where they wait, and the lock is gevent's: it holds back
only a write that meets another waiting inside the app (a journal read's). Latency faults
sleep outside it (`Faults` wraps this layer). The lock is reentrant: the dashboard's views
call the API through this same pipeline, on the request's own thread (`web.calls`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from npq_sandbox.middleware.wsgi import StartResponse, WsgiApp, call, hand_on, take_body

READS = frozenset({"GET", "HEAD", "OPTIONS"})  # methods that change nothing: never gated


class Gate:
    """WSGI middleware running the app for one request that may write at a time."""

    def __init__(self, app: WsgiApp, max_body: int | None) -> None:
        self.app, self._max_body = app, max_body
        self._lock = threading.RLock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD", "GET") in READS:
            return self.app(environ, start_response)
        take_body(environ, self._max_body)
        with self._lock:
            answer, sent = call(self.app, environ)
        return hand_on(start_response, answer, sent)
