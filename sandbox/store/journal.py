"""The journal of /api/v3 requests: one row per request, read back per provider.

Requests without a provider's token (none, or one that is no provider's) are kept apart, in
`unrecognised_requests`, under the same cap: the owner `None` below names them. They are no
provider's journal, so `GET /sandbox/journal` never serves them; the dashboard shows them.

Entries are written off the request path, in batches, by one `JournalWriter` per process: a
request only queues its entry and a daemon thread writes whatever is queued in one transaction,
so journaling costs a request microseconds, not a write transaction of its own. Reading the
journal first waits until this process's queue is written and every other worker's writer has
written what it had queued (`settle`, `watermarks`), so a client that reads the journal after
its own requests finds them, whichever worker served them. In-memory databases (tests,
throwaway runs) are written at once, in the request.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from npq_sandbox.domain.listing import Page
from npq_sandbox.store import lean
from npq_sandbox.store.db import MEMORY, Database
from npq_sandbox.store.paging import paged
from npq_sandbox.store.rows import scalar
from npq_sandbox.store.schema import journal as table
from npq_sandbox.store.schema import unrecognised_requests as unrecognised
from npq_sandbox.store.watermarks import Watermarks
from sqlalchemy import ColumnElement, Connection, Select, Table, delete, func, insert, select, true
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)
Entry = tuple[str | None, Mapping[str, Any]]  # (lead provider id or None, columns)
IDLE = 2.0  # seconds without entries after which the writer thread ends
# Seconds the writer waits for more entries before writing a batch. A batch's transaction costs
# a worker under load about half a millisecond of CPU, however few its entries: at 5 ms a batch
# held four entries, and journaling cost a declaration POST a fifth of its time (in process).
# Readers do not wait it out: they cut their own process's linger short (`flush`), and wait for
# other workers only while those hold entries queued before the read (`settle`).
LINGER = 0.05
BATCH = 200  # entries that make it write at once
# Entries kept per provider (`serve --journal-max-rows`): each write drops the provider's
# oldest beyond it, so that a client polling for days cannot fill the disk.
MAX_ROWS = 100_000


@dataclass(frozen=True)
class JournalFilters:
    """What `GET /sandbox/journal` may filter on; None means not given."""

    method: str | None = None
    path: str | None = None  # an fnmatch glob
    since: datetime | None = None


def record_many(conn: Connection, entries: list[Entry]) -> None:
    """Append entries (the columns of `journal` but id and provider) in order."""
    rows = [{"lead_provider_id": owner, **entry} for owner, entry in entries if owner is not None]
    if rows:
        lean.change_many(conn, _RECORD, rows)
    names = set(unrecognised.c.keys())
    apart = [{k: v for k, v in e.items() if k in names} for owner, e in entries if owner is None]
    if apart:
        lean.change_many(conn, _RECORD_APART, apart)


# Built once: every request is recorded with them.
_RECORD, _RECORD_APART = insert(table), insert(unrecognised)


def count(conn: Connection, provider_id: str | None) -> int:
    """How many entries the provider (or the unrecognised, None) has."""
    kept, mine = _scope(provider_id)
    found: int = conn.scalar(select(func.count()).select_from(kept).where(mine)) or 0
    return found


def span(conn: Connection, provider_id: str | None) -> int:
    """How many ids lie between the oldest and newest entries of the owner's table.

    A bound on the owner's count: two lookups of the key, where counting reads every entry.
    """
    found: int | None = scalar(conn, _SPANS[_table_of(provider_id).name])
    return found or 0


def _span_of(kept: Table) -> Select[Any]:
    oldest, newest = (select(f(kept.c.id)).scalar_subquery() for f in (func.min, func.max))
    return select(newest - oldest + 1)


# Built once: the writer asks whenever another worker wrote since its last batch.
_SPANS = {kept.name: _span_of(kept) for kept in (table, unrecognised)}


def drop_oldest(conn: Connection, provider_id: str | None, excess: int) -> None:
    """Delete the provider's (or the unrecognised) `excess` oldest entries."""
    kept, mine = _scope(provider_id)
    oldest = select(kept.c.id).where(mine).order_by(kept.c.id).limit(excess)
    conn.execute(delete(kept).where(kept.c.id.in_(oldest)))


def entries(
    conn: Connection, provider_id: str, filters: JournalFilters, page: Page
) -> list[dict[str, Any]]:
    """Return a page of the provider's entries matching `filters`, oldest first."""
    query = select(table).where(table.c.lead_provider_id == provider_id)
    if filters.method is not None:
        query = query.where(table.c.method == filters.method.upper())
    if filters.since is not None:
        query = query.where(table.c.time >= filters.since)
    if filters.path is not None:
        query = query.where(_glob(filters.path))
    rows = conn.execute(paged(query.order_by(table.c.id), page)).mappings()
    return [dict(row) for row in rows]


def newest(
    conn: Connection,
    provider_id: str | None,
    filters: JournalFilters,
    status: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Return the newest `limit` entries matching `filters` and `status`.

    The provider's, or those of no provider (`None`: a missing or unknown token).
    """
    kept, mine = _scope(provider_id)
    query = select(kept).where(mine)
    if filters.method is not None:
        query = query.where(kept.c.method == filters.method.upper())
    if filters.path is not None:
        query = query.where(_glob(filters.path, kept))
    if status is not None:
        query = query.where(kept.c.status == status)
    rows = conn.execute(query.order_by(kept.c.id.desc()).limit(limit)).mappings()
    return [dict(row) for row in rows]


def clear(conn: Connection, provider_id: str | None = None) -> None:
    """Delete the provider's entries, or every entry (the unrecognised too) when None."""
    query = delete(table)
    if provider_id is not None:
        query = query.where(table.c.lead_provider_id == provider_id)
    else:
        conn.execute(delete(unrecognised))
    conn.execute(query)
    # After the deletes, which hold the write lock until they commit: no writer can count the
    # entries between this mark and the commit, so none keeps a count from before the clear.
    Tally.changed()  # this process's tallies no longer hold


def _scope(provider_id: str | None) -> tuple[Table, ColumnElement[bool]]:
    """Where an owner's entries are: the provider's rows of `journal`, or `unrecognised`."""
    kept = _table_of(provider_id)
    return kept, true() if provider_id is None else table.c.lead_provider_id == provider_id


def _table_of(provider_id: str | None) -> Table:
    """The table of an owner's entries (`_scope`'s, without building its filter)."""
    return unrecognised if provider_id is None else table


def _glob(pattern: str, kept: Table = table) -> Any:
    """Match the path against an fnmatch pattern, translated to SQLite's GLOB.

    fnmatch and GLOB agree on `*`, `?` and `[...]` except that fnmatch negates a class with
    `!` and GLOB with `^`.
    """
    return kept.c.path.op("GLOB")(pattern.replace("[!", "[^"))


class Tally:
    """How many entries each owner has, carried from one of the writer's transactions to the next.

    SQLite's indexes keep no counts: counting an owner's entries, or finding its newest
    `keep`, reads every one of them, milliseconds per write at 100,000 entries. So the writer
    counts nothing while the table's ids span no more than `keep` (`span`: two lookups), and
    past that counts an owner once, then adds what it writes and subtracts what it drops.
    The tally holds while no other connection has written to the journal (SQLite's
    `data_version`, on the connection the writer uses, moves when one has) and nothing else in
    this process wrote to it (connections are pooled: another writer, or a clear, may have used
    the same one).
    """

    _changes = 0  # writes to any journal in this process, by tallies and clears
    _lock = threading.Lock()

    @classmethod
    def changed(cls) -> int:
        """Count one more write to a journal in this process; return the new count."""
        with cls._lock:
            cls._changes += 1
            return cls._changes

    def __init__(self) -> None:
        self._counts: dict[str | None, int] = {}
        # (connection, its data_version, this process's journal writes) after this tally's
        # last commit (during a write, as it began): all must match for the counts to hold.
        self._seen: tuple[Any, int, int] | None = None
        self._next: tuple[Any, int, int] | None = None

    def begin(self, conn: Connection) -> None:
        """Start a write: forget the counts if anyone else may have changed them since."""
        driver, version = conn.connection.driver_connection, _data_version(conn)
        if (driver, version, Tally._changes) != self._seen:
            self._counts = {}
        self._seen, self._next = None, (driver, version, Tally.changed())

    def trim(self, conn: Connection, provider_id: str | None, added: int, keep: int) -> None:
        """Drop the owner's oldest entries beyond `keep`, now that `added` more are written."""
        known = self._counts.get(provider_id)
        if known is None and span(conn, provider_id) <= keep:
            return  # no owner has more entries than the table's ids span: none to count
        total = count(conn, provider_id) if known is None else known + added
        if total > keep:
            drop_oldest(conn, provider_id, total - keep)
        self._counts[provider_id] = min(total, keep)

    def committed(self) -> None:
        """The write committed: its counts hold until someone else writes."""
        self._seen = self._next


def _data_version(conn: Connection) -> int:
    # On the driver: SQLAlchemy's execution costs more than the pragma, once per batch.
    raw = conn.connection.driver_connection
    found: int = raw.execute("PRAGMA data_version").fetchone()[0]  # type: ignore[union-attr]
    return found


class JournalWriter:
    """A queue of entries and the thread that writes them (restarted after a fork)."""

    def __init__(self, db: Database, max_rows: int = MAX_ROWS) -> None:
        self._db, self._max_rows = db, max_rows
        self._pending: list[Entry] = []
        self._queued = 0  # entries ever queued
        self._written = 0  # entries ever written (or given up on)
        self._changed = threading.Condition()
        self._pid: int | None = None
        self._running = False
        self._flushing = 0  # readers waiting in `flush`
        self._tally = Tally()
        # This writer's counters, shared with the other workers' readers (a file: not in memory).
        self._marks = None if db.path == MEMORY else Watermarks(f"{db.journal.path}-writers")
        self._slot: int | None = None

    def add(self, provider_id: str | None, entry: Mapping[str, Any]) -> None:
        """Queue one entry for writing (an in-memory database's is written at once).

        `provider_id` None: a request with a missing or unknown token, kept apart.
        """
        if self._db.path == MEMORY:
            # One shared connection, closed whenever its owner says: no thread may outlive it.
            self._write([(provider_id, entry)])
            return
        with self._changed:
            self._start_if_needed()
            self._pending.append((provider_id, entry))
            self._queued += 1
            self._count()
            # Wake the writer only when it has something new to do: a first entry to linger
            # over, or a full batch. Waking it per entry costs every request a thread switch.
            if len(self._pending) in (1, BATCH):
                self._changed.notify_all()

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every entry queued so far, by this process or another, is written."""
        self.flush(timeout)
        if self._marks is not None:
            self._marks.wait_for_others(self._slot, timeout)

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
            self._pid, self._running, self._slot = os.getpid(), False, None
            self._pending, self._queued, self._written = [], 0, 0
        if not self._running:
            self._running = True
            if self._marks is not None and self._slot is None:
                self._slot = self._marks.claim()
            threading.Thread(target=self._run, name="npq-journal", daemon=True).start()

    def _count(self) -> None:
        """Share this writer's counters (called holding `_changed`)."""
        if self._marks is not None and self._slot is not None:
            self._marks.count(self._slot, self._queued, self._written)

    def _run(self) -> None:
        """Write batches until idle for a while; the next entry starts a new thread."""
        while True:
            with self._changed:
                if not self._changed.wait_for(lambda: bool(self._pending), timeout=IDLE):
                    self._running = False
                    if self._marks is not None and self._slot is not None:
                        self._marks.release(self._slot)  # all written: no reader waits on it
                        self._slot = None
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
                self._count()
                self._changed.notify_all()

    def _write(self, batch: list[Entry]) -> None:
        added = Counter(provider_id for provider_id, _ in batch)
        try:
            with self._db.journal.transaction(write=True) as conn:
                self._tally.begin(conn)
                record_many(conn, batch)
                for provider_id, written in added.items():
                    self._tally.trim(conn, provider_id, written, self._max_rows)
            self._tally.committed()
        except SQLAlchemyError:  # the clients' answers matter more than their journal
            log.exception("could not record %d journal entries", len(batch))
