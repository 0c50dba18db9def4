"""WAL checkpoints off the writers' path: a thread per process copies the log into the file.

SQLite checkpoints inside the commit that grows the log past 1,000 pages, with an fsync, while
that writer still holds the writers' queue (`writers.WriterQueue`): every writer behind it waits
tens of milliseconds. Request writers switch that off on their connection
(`PRAGMA wal_autocheckpoint`, `replay.RaceConnection`); after every `EVERY` of their commits this
thread runs a passive checkpoint, which waits for no one and blocks no one. Other units of work
(seeding, fixtures, the control plane's resets, reads) switch SQLite's own back on.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable

# Commits between checkpoints: a request's commit adds about 15 pages to the log, so the log
# stays near SQLite's own 1,000-page mark.
EVERY = 64
SQLITE_DEFAULT = 1000  # pages: SQLite's own wal_autocheckpoint


def _checkpoint(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


# How a checkpoint runs: on the checkpointer's thread, or, where threads are greenlets
# (`serving.make_cooperative`), on a thread of the system's that leaves the worker serving.
run_checkpoint: Callable[[sqlite3.Connection], None] = _checkpoint


class Checkpointer:
    """Counts a process's request commits to one file; checkpoints it on a thread of its own."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._due = threading.Event()
        self._lock = threading.Lock()
        self._commits = 0
        self._pid: int | None = None  # the thread does not survive a fork: restarted after
        # The process that closed it: `serve --workers` closes the arbiter's before forking
        # its workers, whose own commits go on being checkpointed.
        self._closed_in: int | None = None

    def committed(self) -> None:
        with self._lock:
            self._commits += 1
            if self._commits % EVERY:
                return
            if self._closed_in == os.getpid():
                return
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._due = threading.Event()
                threading.Thread(target=self._run, name="npq-checkpoint", daemon=True).start()
        self._due.set()

    def close(self) -> None:
        """Stop this process's thread, after a last checkpoint."""
        with self._lock:
            self._closed_in = os.getpid()
        self._due.set()

    def _run(self) -> None:
        due = self._due
        conn = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        try:
            while self._closed_in != os.getpid():
                due.wait()
                due.clear()
                # A failed one is caught up by the next; a checkpoint changes no data.
                with contextlib.suppress(sqlite3.Error):
                    run_checkpoint(conn)
        finally:
            conn.close()
