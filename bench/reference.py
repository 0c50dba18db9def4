"""The upper bound: a WSGI app answering each benchmarked request with pre-serialised bytes.

`bench/run.py` saves the sandbox's own answer to each benchmarked request and points
`NPQ_BENCH_BODIES` at the index of them; this app replays them, doing no other work, so under
the same server it shows how fast an answer of the same size can possibly be served.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_INDEX = Path(os.environ.get("NPQ_BENCH_BODIES", "bodies.json"))
# "GET /api/v3/participants/npq" -> the body bytes (the query string is ignored).
BODIES: dict[str, bytes] = {
    key: (_INDEX.parent / name).read_bytes() for key, name in json.loads(_INDEX.read_text()).items()
}


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answer with the saved body for the request's method and path, or 404."""
    body = BODIES.get(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}")
    if body is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"error":"Resource not found"}']
    if environ["REQUEST_METHOD"] == "POST":
        environ["wsgi.input"].read()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    start_response("200 OK", headers)
    return [body]
