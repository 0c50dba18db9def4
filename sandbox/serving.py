"""Serving the app: Werkzeug's threaded server, or gunicorn with worker processes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from flask import Flask

from sandbox.app import create_app
from sandbox.caching import AnswerCache
from sandbox.store.db import MEMORY, Database

Announce = Callable[[str], None]


def served_app(db: Database, *, cache: bool) -> Flask:
    """The app as served: with the answer cache in front, unless off or nothing to watch."""
    app = create_app({"DB": db})
    if cache and db.path != MEMORY:
        app.wsgi_app = AnswerCache(app.wsgi_app, db.path)  # type: ignore[method-assign]
    return app


def serve_threaded(db: Database, host: str, port: int, announce: Announce, *, cache: bool) -> None:
    """Serve with Werkzeug's threaded server until interrupted."""
    from werkzeug.serving import make_server

    server = make_server(host, port, served_app(db, cache=cache), threaded=True)
    announce(f"http://{host}:{server.server_port}/api/v3")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def serve_workers(
    db: Database, host: str, port: int, workers: int, announce: Announce, *, cache: bool
) -> None:
    """Serve under gunicorn with `workers` processes sharing the database file (WAL)."""
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
            return served_app(db, cache=cache)

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
