"""A fresh sandbox on a free loopback port, served from a background thread."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from sandbox import Settings, create_app
from sandbox.seeding import seed_database
from sandbox.store.db import Database

HOST = "127.0.0.1"


class QuietHandler(WSGIRequestHandler):
    """No access log: the kit's report is the output."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Say nothing."""


@contextmanager
def local_sandbox(participants: int = 0) -> Iterator[str]:
    """Serve a newly seeded sandbox (a temporary database file) and yield its root URL.

    Real sockets and threads, as `npq-sandbox serve` has them, so faults that drop a
    connection behave as they would against a running sandbox.
    """
    with tempfile.TemporaryDirectory(prefix="npq-conformance-") as tmp:
        db = Database(str(Path(tmp) / "sandbox.db"))
        seed_database(db, participants=participants)
        server = make_server(
            HOST, 0, create_app(Settings(database=db)), threaded=True, request_handler=QuietHandler
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{HOST}:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            db.dispose()
