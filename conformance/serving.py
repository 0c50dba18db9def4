"""Serve a WSGI app on a free loopback port in a background thread (the kit's live servers)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def serving(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve `app` with Werkzeug's threaded server and yield its origin (`http://host:port`)."""
    from werkzeug.serving import make_server

    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="npq-serving", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
