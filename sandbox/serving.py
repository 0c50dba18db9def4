"""Serving the app: Werkzeug's threaded server, or gunicorn with worker processes."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask
from npq_sandbox.store.db import MEMORY, Database
from npq_sandbox.store.journal import JournalWriter

Announce = Callable[[str], None]
# Connections each gunicorn worker serves at once: a slow client, or a request held by a
# latency fault, takes one thread, not a whole worker and every provider queued behind it.
THREADS = 8
# Seconds a stopping worker is given to finish its requests: Ctrl+C must not wait out a
# 30-second latency fault.
GRACE = 5


def serve_threaded(app: Flask, host: str, port: int, announce: Announce) -> None:
    """Serve `app` with Werkzeug's threaded server until interrupted."""
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True)
    announce(f"http://{host}:{server.server_port}/api/v3")
    with _interrupted_by_sigterm(), contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    flush_journal(app)


def flush_journal(app: Flask) -> None:
    """Write the journal entries this process has queued, before it exits."""
    writer: JournalWriter = app.extensions["npq_journal_writer"]  # see `api.context`
    writer.flush()


@contextlib.contextmanager
def _interrupted_by_sigterm() -> Iterator[None]:
    """Treat SIGTERM as Ctrl+C, so that a stopped server still writes its journal."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
            for key, value in _settings(app, host, port, workers, announce).items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    Gunicorn().run()


def _settings(app: Flask, host: str, port: int, workers: int, announce: Announce) -> dict[str, Any]:
    def when_ready(server: Any) -> None:
        bound_port = server.LISTENERS[0].sock.getsockname()[1]
        announce(f"http://{host}:{bound_port}/api/v3")

    def worker_exit(_server: Any, _worker: Any) -> None:
        flush_journal(app)  # a worker stopped by SIGTERM or SIGINT keeps its last entries

    return {
        "bind": [f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS,
        "graceful_timeout": GRACE,
        "loglevel": "warning",
        "accesslog": None,
        "when_ready": when_ready,
        "worker_exit": worker_exit,
    }
