"""Serving the app: Werkzeug's threaded server, or gunicorn with worker processes.

A request too malformed to reach the app (a request line or header too long, a broken head)
is refused by the server itself; both servers answer it in the app's JSON error envelope.
"""

from __future__ import annotations

import contextlib
import gc
import json
import signal
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http import HTTPStatus
from typing import Any

from flask import Flask
from npq_sandbox.domain import messages
from npq_sandbox.store import checkpoints, writers
from npq_sandbox.store.db import MEMORY, Database
from npq_sandbox.store.journal import JournalWriter
from werkzeug.serving import WSGIRequestHandler

Announce = Callable[[str], None]
# Connections a worker holds at most (busy, kept alive, or waiting for a slow client's bytes),
# each on a greenlet of its own: a slow client, or a request held by a latency fault, holds
# one, not the worker. Past this the worker stops accepting and another takes the next
# connection. gunicorn's default of 1,000 let one worker take every connection of a burst of
# clients and keep them alive, its sibling idle (a third of the throughput, measured); a
# connection beyond every worker's share waits until one closes (an idle one after gunicorn's
# 2 s keep-alive).
WORKER_CONNECTIONS = 12
# Seconds a stopping worker is given to finish its requests: Ctrl+C must not wait out a
# 30-second latency fault.
GRACE = 5
# gunicorn's largest request line (its default is 4094): 120 participant ids in one filter,
# which DfE's server takes, need about 4,700 characters.
REQUEST_LINE_LIMIT = 8190


def serve_threaded(app: Flask, host: str, port: int, announce: Announce) -> None:
    """Serve `app` with Werkzeug's threaded server until interrupted."""
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True, request_handler=_JsonErrors)
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


def make_cooperative() -> None:
    """Make this process's waits cooperative (gevent's), before `serve_workers` builds anything.

    gunicorn's gevent workers serve each connection on a greenlet, which gives way to the
    others whenever it waits: for a client's bytes, a latency fault's sleep, or the journal's
    writer. Patched first, so that the database's and the app's locks and threads are gevent's
    too: a lock of the operating system's, waited on by one greenlet while another held it,
    would stop every connection of the worker. Greenlets hand over without the operating
    system, where gunicorn's threads took turns on Python's lock: a declaration POST costs a
    tenth less CPU, and waits less behind the others (CHANGELOG).
    """
    import warnings

    from gevent import monkey

    with warnings.catch_warnings():
        # The sandbox serves plain HTTP and calls nothing over TLS: `ssl` being imported
        # already (by the standard library's HTTP modules) changes nothing here.
        warnings.simplefilter("ignore", monkey.MonkeyPatchWarning)
        # Locks made before now (the standard library's own, as logging's) are left as they
        # are: upgraded, logging's would fail as the interpreter exits, printing tracebacks.
        # None is held while a greenlet waits.
        monkey.patch_thread(existing_locks=False, logging=False)
        monkey.patch_all(thread=False)
    # A writer waiting for another process's write lock (a reset there can take seconds)
    # waits on a thread of gevent's pool: its worker's other connections are served meanwhile.
    writers.wait_for_lock = partial(_on_a_thread, writers.wait_for_lock)
    checkpoints.run_checkpoint = partial(_on_a_thread, checkpoints.run_checkpoint)


def _on_a_thread(call: Callable[[Any], None], argument: Any) -> None:
    import gevent

    gevent.get_hub().threadpool.apply(call, (argument,))


def serve_workers(
    app: Flask, db: Database, host: str, port: int, workers: int, announce: Announce
) -> None:
    """Serve `app` under gunicorn with `workers` processes sharing `db`'s file (WAL).

    The app is built before the fork; each worker opens its own connections on first use.
    `make_cooperative` must have run before `db` and `app` were made: their locks are then
    gevent's, which the workers' greenlets need.
    """
    from gevent import monkey
    from gunicorn.app.base import BaseApplication

    if not monkey.is_module_patched("threading"):
        raise RuntimeError("make_cooperative() must run before the database and the app are made")
    if db.path == MEMORY and workers > 1:
        raise ValueError("an in-memory database cannot be shared by several workers")
    # Workers open their own connections after the fork; none may be inherited. (A single
    # worker keeps the one connection an in-memory database lives in.)
    if db.path != MEMORY:
        db.dispose()
    # Workers are forked from this process and share its memory until they write to a page;
    # the collector's bookkeeping writes to every object it tracks, so keep it off the objects
    # built so far (the app, its modules), and those pages stay shared.
    gc.collect()
    gc.freeze()

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
        "worker_class": _cooperative(_json_errors("gevent")),
        "worker_connections": WORKER_CONNECTIONS,
        "graceful_timeout": GRACE,
        "limit_request_line": REQUEST_LINE_LIMIT,
        "loglevel": "warning",
        "accesslog": None,
        "when_ready": when_ready,
        "worker_exit": worker_exit,
    }


def error_answer(status: int, detail: str) -> bytes:
    """A whole HTTP answer refusing a request in the app's JSON error envelope."""
    # Only a malformed request reaches here without the app: a 501 or 505 is the client's fault.
    status = 400 if status in (501, 505) else status
    titles = {400: messages.BAD_REQUEST_TITLE, 500: messages.SANDBOX_INTERNAL_ERROR_TITLE}
    title = titles.get(status, HTTPStatus(status).phrase)
    body = json.dumps({"errors": [{"title": title, "detail": detail or title}]}).encode()
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class _JsonErrors(WSGIRequestHandler):
    """Werkzeug's request handler, refusing a malformed request in JSON rather than HTML."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        self.log_error("code %d, message %s", code, message)
        self.wfile.write(error_answer(code, message or ""))
        self.close_connection = True


class _Capture:
    """Stands in for a client's socket, to learn what gunicorn would have answered."""

    def __init__(self) -> None:
        self.sent = b""

    def gettimeout(self) -> float:
        return 0.0

    def sendall(self, data: bytes) -> None:
        self.sent += data


def _json_errors(worker_class: str) -> type:
    """gunicorn's worker class `worker_class`, refusing a malformed request in JSON."""
    from gunicorn.util import load_class

    class JsonErrors(load_class(worker_class)):  # type: ignore[misc]
        def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
            capture = _Capture()
            super().handle_error(req, capture, addr, exc)
            status = int(capture.sent.split(b" ", 2)[1])
            detail = messages.SANDBOX_INTERNAL_ERROR if status == 500 else str(exc)
            with contextlib.suppress(OSError):
                client.sendall(error_answer(status, detail))

    return JsonErrors


class _HeadWithBody:
    """A client's socket that holds an answer's head until its body, to send both in one write.

    gunicorn writes the head and the body apart: two system calls, two packets, two wake-ups of
    the client. Held here, the head leaves with the body's first bytes; an answer without a body
    (a HEAD) has it sent when the request ends (`flush`). Only the request's first write (its
    head) is held, and any other way of sending sends it first, so bytes keep their order.
    """

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._head: bytes | None = None
        self._wrote = False

    def sendall(self, data: bytes) -> None:
        if not self._wrote:
            self._wrote, self._head = True, bytes(data)
            return
        head, self._head = self._head, None
        self._sock.sendall(data if head is None else head + data)

    def flush(self) -> None:
        """Send a head still held."""
        head, self._head = self._head, None
        if head is not None:
            self._sock.sendall(head)

    def send(self, data: bytes, *flags: int) -> int:
        self.flush()
        return int(self._sock.send(data, *flags))

    def sendfile(self, file: Any, offset: int = 0, count: int | None = None) -> int:
        self.flush()
        return int(self._sock.sendfile(file, offset, count))

    def __getattr__(self, name: str) -> Any:  # reading, closing: the socket's own
        return getattr(self._sock, name)


def _cooperative(worker: type) -> type:
    """A gevent worker class whose connections take turns, request by request."""
    import gevent

    class TakingTurns(worker):  # type: ignore[misc,valid-type]
        sockets: list[Any]  # gunicorn's, as it sets them
        alive: bool
        _main: Any

        def patch(self) -> None:
            # The arbiter's process was patched before it forked (`make_cooperative`); gunicorn
            # would patch again, upgrading the locks made before, which then fail as the
            # interpreter exits. Only its listening sockets become gevent's, as gunicorn does.
            from gevent import socket

            self.sockets = [
                socket.socket(s.FAMILY, socket.SOCK_STREAM, fileno=s.sock.detach())
                for s in self.sockets
            ]

        def run(self) -> None:
            self._main = gevent.getcurrent()  # the greenlet that serves until told to stop
            super().run()

        def handle_quit(self, _signal: int, _frame: Any) -> None:
            # Ctrl+C: stop at once, as the other workers do, and quietly. gunicorn's gevent
            # worker exits from a greenlet of its own, whose SystemExit is printed as a
            # failure; raised in the serving greenlet, it ends the worker as a thread
            # worker's does, and `worker_exit` writes its journal first.
            if self.alive:  # once: Ctrl+C reaches the worker, then the arbiter's SIGQUIT
                self.alive = False
                gevent.get_hub().loop.run_callback(self._main.throw, SystemExit(0))

        def handle_request(self, listener_name: Any, req: Any, sock: Any, addr: Any) -> Any:
            held = _HeadWithBody(sock)
            try:
                return super().handle_request(listener_name, req, held, addr)
            finally:
                with contextlib.suppress(OSError):  # a client gone: the next read tells
                    held.flush()
                # A client that sends its next request at once would otherwise find it already
                # there, and be served again before the others: under wrk's 16 connections,
                # half the answers took 1 ms and the slowest hundredth 400-800 ms. Waiting
                # until every other ready connection has had its turn evens them out.
                gevent.idle()

    return TakingTurns
