"""The kit's one launcher: a sandbox on a free loopback port, served from a background thread.

`local_sandbox` seeds a temporary database file and serves the sandbox over it; `npq-conformance
run`, the pytest plugin and the kit's tests start their sandboxes with it. `serving` is its
second half, for any WSGI app (a test's broken stub, say).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from npq_sandbox import Database, Limit, Settings, create_app, seed_database
from werkzeug.serving import WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

HOST = "127.0.0.1"


class QuietHandler(WSGIRequestHandler):
    """No access log: the kit's report is the output."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Say nothing."""


@contextmanager
def local_sandbox(
    *, participants: int = 0, seed: int = 1, rate_limit: Limit | None = None
) -> Iterator[str]:
    """Serve a newly seeded sandbox (a temporary database file) and yield its root URL.

    Real sockets and threads, as `npq-sandbox serve` has them, so faults that drop a
    connection behave as they would against a running sandbox; `rate_limit` is DfE's
    throttle, as `serve --rate-limit` sets it.
    """
    with tempfile.TemporaryDirectory(prefix="npq-conformance-") as tmp:
        db = Database(str(Path(tmp) / "sandbox.db"))
        try:
            seed_database(db, seed=seed, participants=participants)
            with serving(create_app(Settings(database=db, rate_limit=rate_limit))) as root:
                yield root
        finally:
            db.dispose()


@contextmanager
def serving(app: WSGIApplication) -> Iterator[str]:
    """Serve `app` with Werkzeug's threaded server on a free port; yield its root URL."""
    server = make_server(HOST, 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="npq-serving", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
