"""A cache of whole GET answers, emptied as soon as anything commits to the database file.

Clients poll: a CI job reads the same lists again and again while nothing changes. Every answer
is a pure function of the database and the request (path, query, token), so an answer computed
once can be replayed until the next commit. SQLite tells us of commits cheaply: `PRAGMA
data_version` on a connection that never writes changes whenever any other connection, in any
process, commits. Only file databases can be watched so; `:memory:` ones are never cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from sandbox.store.db import Database

Answer = tuple[str, list[tuple[str, str]], bytes]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
DEFAULT_BUDGET = 64 * 1024 * 1024
API_PREFIX = "/api/v3/"
VERSION_KEY = "npq.data_version"


def request_version(db: Database, environ: dict[str, Any] | None) -> int | None:
    """The data file's change counter, read once per request and kept in its environ.

    Every reading comes from the database's one watching connection (counters of different
    connections do not compare); None for an in-memory database. Without an environ, a fresh
    reading.
    """
    if environ is None:
        return db.data_version()
    if VERSION_KEY not in environ:
        environ[VERSION_KEY] = db.data_version()
    found: int | None = environ[VERSION_KEY]
    return found


class AnswerCache:
    """WSGI middleware replaying successful GET answers until the database changes."""

    def __init__(self, app: WsgiApp, db: Database, budget: int = DEFAULT_BUDGET) -> None:
        self._app, self._db, self._budget = app, db, budget
        self._answers: OrderedDict[tuple[str, ...], Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._version: int | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or not _is_api(environ):
            return self._app(environ, start_response)
        key = _key(environ)
        with self._lock:
            version = self._current_version(environ)
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
        if found is None:
            found = self._answer(environ, key, version)
        status, headers, body = found
        start_response(status, headers)
        return [body]

    def _answer(self, environ: dict[str, Any], key: tuple[str, ...], version: int) -> Answer:
        """Compute an answer; keep it if it succeeded and nothing committed meanwhile."""
        started: list[Any] = []
        chunks = self._app(environ, lambda status, headers, *_: started.extend((status, headers)))
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        answer: Answer = (started[0], list(started[1]), body)
        if answer[0].startswith("200"):
            with self._lock:
                if self._current_version(None) == version:
                    self._keep(key, answer)
        return answer

    def _current_version(self, environ: dict[str, Any] | None) -> int:
        """The database's change counter; forget every answer when it has moved."""
        version = request_version(self._db, environ) or 0
        if version != self._version:
            self._answers.clear()
            self._size, self._version = 0, version
        return version

    def _keep(self, key: tuple[str, ...], answer: Answer) -> None:
        if len(answer[2]) > self._budget // 4:
            return
        self._answers[key] = answer
        self._size += len(answer[2])
        while self._size > self._budget:
            _, dropped = self._answers.popitem(last=False)
            self._size -= len(dropped[2])


def _is_api(environ: dict[str, Any]) -> bool:
    """DfE's API only: the control plane under /sandbox shows the real time (its clocks)."""
    return str(environ.get("PATH_INFO", "")).startswith(API_PREFIX)


def _key(environ: dict[str, Any]) -> tuple[str, ...]:
    return (
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_AUTHORIZATION", ""),
        environ.get("HTTP_X_WITH_SERVER_DATE", ""),
    )
