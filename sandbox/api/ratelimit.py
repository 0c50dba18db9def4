"""An optional rate limit on /api/v3, as DfE's Rack::Attack throttle applies it.

DfE allows 1,000 requests per 5 minutes per Authorization header value on its API; beyond that
it answers 429 with a plain-text `Retry later`. The sandbox does the same when the app config
`RATE_LIMIT` is set (e.g. ``"1000/300"``: requests per seconds); it is off by default. Like
Rack::Attack, it counts in fixed windows aligned to the epoch. Counts are kept in the process,
so with several worker processes each one counts its own requests.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, request

PATH_PREFIX = "/api/v3/"
SPEC = re.compile(r"(\d+)/(\d+)")


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int

    @classmethod
    def parse(cls, spec: str) -> Limit:
        """Read ``"<requests>/<seconds>"``, both positive whole numbers."""
        match = SPEC.fullmatch(spec.strip())
        if match is None or int(match[1]) < 1 or int(match[2]) < 1:
            raise ValueError(f"a rate limit is <requests>/<seconds>, e.g. 1000/300; got {spec!r}")
        return cls(int(match[1]), int(match[2]))


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


def init_app(app: Flask) -> None:
    """Install the throttle when `RATE_LIMIT` is configured."""
    spec = app.config.get("RATE_LIMIT")
    if not spec:
        return
    app.extensions["npq_throttle"] = Throttle(Limit.parse(str(spec)))
    app.before_request(_throttle)


def _throttle() -> Response | None:
    # Rack::Attack's discriminator is the Authorization header: requests without one are not
    # counted by this throttle.
    key = request.headers.get("Authorization")
    if not key or not request.path.startswith(PATH_PREFIX):
        return None
    throttle: Throttle = current_app.extensions["npq_throttle"]
    retry_after = throttle.hit(key)
    if retry_after is None:
        return None
    response = Response("Retry later\n", status=429)
    response.headers["Content-Type"] = "text/plain"
    response.headers["Retry-After"] = str(retry_after)
    return response
