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
from collections.abc import Iterable
from typing import Any

from npq_sandbox.middleware.wsgi import (
    Answer,
    StartResponse,
    WsgiApp,
    call,
    is_api,
    request_version,
)
from npq_sandbox.store.db import Database

DEFAULT_BUDGET = 64 * 1024 * 1024


class AnswerCache:
    """WSGI middleware replaying successful GET answers until the database changes."""

    def __init__(self, app: WsgiApp, db: Database, budget: int = DEFAULT_BUDGET) -> None:
        self.app, self._db, self._budget = app, db, budget
        self._answers: OrderedDict[tuple[str, ...], Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._version: int | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # DfE's API only: the control plane under /sandbox shows the real time (its clocks).
        if environ.get("REQUEST_METHOD") != "GET" or not is_api(environ):
            return self.app(environ, start_response)
        key = _key(environ)
        with self._lock:
            version = self._current_version(environ)
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
        if found is None:
            found = self._answer(environ, key, version)
        start_response(found.status, found.headers)
        return [found.body]

    def _answer(self, environ: dict[str, Any], key: tuple[str, ...], version: int) -> Answer:
        """Compute an answer; keep it if it succeeded and nothing committed meanwhile."""
        answer, _ = call(self.app, environ)
        if answer.status.startswith("200"):
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
        if len(answer.body) > self._budget // 4:
            return
        self._answers[key] = answer
        self._size += len(answer.body)
        while self._size > self._budget:
            _, dropped = self._answers.popitem(last=False)
            self._size -= len(dropped.body)


def _key(environ: dict[str, Any]) -> tuple[str, ...]:
    return (
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_AUTHORIZATION", ""),
        environ.get("HTTP_X_WITH_SERVER_DATE", ""),
    )
