"""Writing journal entries off the request path, in batches, one writer thread per process.

A request only queues its entry; a daemon thread writes whatever is queued in one transaction,
so journaling costs a request microseconds, not a write transaction of its own. Reading the
journal first waits until this process's queue is written (`flush`), so a client that reads the
journal after its own requests finds them; with several gunicorn workers, another worker's
entries follow within milliseconds. In-memory databases (tests, throwaway runs) are written at
once, in the request.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from sandbox.store import journal as journal_store
from sandbox.store.db import MEMORY, Database

log = logging.getLogger(__name__)
Entry = tuple[str, Mapping[str, Any]]  # (lead provider id, columns)
IDLE = 2.0  # seconds without entries after which the writer thread ends
LINGER = 0.005  # seconds the writer waits for more entries before writing a batch
BATCH = 200  # entries that make it write at once


class JournalWriter:
    """A queue of entries and the thread that writes them (restarted after a fork)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._pending: list[Entry] = []
        self._queued = 0  # entries ever queued
        self._written = 0  # entries ever written (or given up on)
        self._changed = threading.Condition()
        self._pid: int | None = None
        self._running = False
        self._flushing = 0  # readers waiting in `flush`

    def add(self, provider_id: str, entry: Mapping[str, Any]) -> None:
        """Queue one entry for writing (an in-memory database's is written at once)."""
        if self._db.path == MEMORY:
            # One shared connection, closed whenever its owner says: no thread may outlive it.
            self._write([(provider_id, entry)])
            return
        with self._changed:
            self._start_if_needed()
            self._pending.append((provider_id, entry))
            self._queued += 1
            self._changed.notify_all()

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every entry queued so far in this process is written."""
        with self._changed:
            target = self._queued
            self._flushing += 1
            self._changed.notify_all()
            try:
                self._changed.wait_for(lambda: self._written >= target, timeout=timeout)
            finally:
                self._flushing -= 1

    def _start_if_needed(self) -> None:
        # Threads do not survive gunicorn's fork: each worker starts its own on first use.
        if self._pid != os.getpid():
            self._pid, self._running = os.getpid(), False
            self._pending, self._queued, self._written = [], 0, 0
        if not self._running:
            self._running = True
            threading.Thread(target=self._run, name="npq-journal", daemon=True).start()

    def _run(self) -> None:
        """Write batches until idle for a while; the next entry starts a new thread."""
        while True:
            with self._changed:
                if not self._changed.wait_for(lambda: bool(self._pending), timeout=IDLE):
                    self._running = False
                    return
                # Linger a moment so that a busy server writes many entries per transaction
                # (each costs a tenth as much in a batch of ten); a reader waiting cuts it short.
                self._changed.wait_for(
                    lambda: self._flushing > 0 or len(self._pending) >= BATCH, timeout=LINGER
                )
                batch, self._pending = self._pending, []
            self._write(batch)
            with self._changed:
                self._written += len(batch)
                self._changed.notify_all()

    def _write(self, batch: list[Entry]) -> None:
        try:
            with self._db.journal.transaction(write=True) as conn:
                journal_store.record_many(conn, batch)
        except SQLAlchemyError:  # the clients' answers matter more than their journal
            log.exception("could not record %d journal entries", len(batch))
