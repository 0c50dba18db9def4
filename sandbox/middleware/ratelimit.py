"""An optional rate limit on /api/v3, as DfE's Rack::Attack throttle applies it.

DfE allows 1,000 requests per 5 minutes per Authorization header value on its API; beyond that
it answers 429 with a plain-text `Retry later`. The sandbox does the same when its settings
carry a `Limit` (``serve --rate-limit 1000/300``); it is off by default. Like Rack::Attack, it
counts in fixed windows aligned to the epoch, before routing. Counts are kept in the process,
so `serve` refuses a rate limit with more than one worker process rather than let each count
its own share of a token's requests.

Rules: docs/rules.md §12.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from npq_sandbox.middleware.wsgi import StartResponse, WsgiApp, is_client, retry_later
from npq_sandbox.settings import Limit


@dataclass
class Throttle:
    """Counts requests per key in the current fixed window; `clock` gives epoch seconds."""

    limit: Limit
    clock: Callable[[], float] = time.time
    _counts: dict[str, int] = field(default_factory=dict)
    _window: int = -1
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hit(self, key: str) -> int | None:
        """Count one request; return the seconds until the window frees if it is over."""
        now = self.clock()
        window = int(now // self.limit.seconds)
        with self._lock:
            if window != self._window:  # a new window forgets every count
                self._window, self._counts = window, {}
            self._counts[key] = count = self._counts.get(key, 0) + 1
        if count <= self.limit.requests:
            return None
        return max(1, int((window + 1) * self.limit.seconds - now))


class RateLimit:
    """WSGI middleware answering DfE's 429 to a token over its limit."""

    def __init__(self, app: WsgiApp, limit: Limit) -> None:
        self.app, self._throttle = app, Throttle(limit)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # Rack::Attack's discriminator is the Authorization header: requests without one are
        # not counted by this throttle, nor are a test kit's own.
        key = environ.get("HTTP_AUTHORIZATION")
        retry_after = self._throttle.hit(key) if key and is_client(environ) else None
        if retry_after is None:
            return self.app(environ, start_response)
        answer = retry_later(retry_after)
        start_response(answer.status, answer.headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [answer.body]
