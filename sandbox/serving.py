"""Serving the app: Werkzeug's threaded server, or gunicorn with worker processes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from flask import Flask
from npq_sandbox.store.db import MEMORY, Database

Announce = Callable[[str], None]


def serve_threaded(app: Flask, host: str, port: int, announce: Announce) -> None:
    """Serve `app` with Werkzeug's threaded server until interrupted."""
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True)
    announce(f"http://{host}:{server.server_port}/api/v3")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def serve_workers(
    app: Flask, db: Database, host: str, port: int, workers: int, announce: Announce
) -> None:
    """Serve `app` under gunicorn with `workers` processes sharing `db`'s file (WAL).

    The app is built before the fork; each worker opens its own connections on first use.
    """
    from gunicorn.app.base import BaseApplication

    if db.path == MEMORY and workers > 1:
        raise ValueError("an in-memory database cannot be shared by several workers")
    # Workers open their own connections after the fork; none may be inherited. (A single
    # worker keeps the one connection an in-memory database lives in.)
    if db.path != MEMORY:
        db.dispose()

    class Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in _settings(host, port, workers, announce).items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Gunicorn().run()


def _settings(host: str, port: int, workers: int, announce: Announce) -> dict[str, Any]:
    def when_ready(server: Any) -> None:
        bound_port = server.LISTENERS[0].sock.getsockname()[1]
        announce(f"http://{host}:{bound_port}/api/v3")

    return {
        "bind": [f"{host}:{port}"],
        "workers": workers,
        "worker_class": "sync",
        "loglevel": "warning",
        "accesslog": None,
        "when_ready": when_ready,
    }
