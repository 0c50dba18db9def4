"""Optimistic writes that survive a lost race: the reads are kept, and replayed under the lock.

A request that may write reads without any lock (`db.Unit`, optimistic). At its first write it
queues for the lock (`writers.WriterQueue`) and writes. SQLite refuses that write when another
connection committed after this one's reads began: the reads may be stale. Rather than run
the whole request again, the transaction is begun afresh, locked (`BEGIN IMMEDIATE`), and the
reads are replayed: when each answers the rows it answered before, the request decided on
current data, so its writes go ahead; when any differs, `StaleRead` is raised, and the
request runs again from the start (`api/context.dispatch`). A read counts only what it handed
over: a lookup that took one row of many is compared on that row alone. A read of tables that
nobody wrote to meanwhile is not replayed: a counter per table tells (`versions.py`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from npq_sandbox.store import checkpoints, versions
from npq_sandbox.store.checkpoints import Checkpointer

T = TypeVar("T")

# Statements that change nothing and are never replayed: the transaction's own control.
_PASSING = ("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END")
_READING = ("SELECT", "WITH", "VALUES", "EXPLAIN")
SQLITE_BUSY_SNAPSHOT = 517


class Queue(Protocol):
    def acquire(self) -> None: ...

    def release(self) -> None: ...


class StaleRead(sqlite3.OperationalError):
    """A replayed read answered differently: the request must run again from the start."""

    def __init__(self) -> None:
        super().__init__("database is locked (a read changed before the write)")
        # As SQLite's own error for a stale snapshot, so `db.is_busy` knows it.
        self.sqlite_errorcode = SQLITE_BUSY_SNAPSHOT


class Read:
    """One read: its statement and the rows it handed over (`ended`: it told there were no more)."""

    __slots__ = ("ended", "parameters", "rows", "sql")

    def __init__(self, sql: str, parameters: Any) -> None:
        self.sql = sql
        self.parameters = parameters
        self.rows: list[Any] = []
        self.ended = False

    def handed(self, rows: list[Any], asked: int | None) -> None:
        self.rows.extend(rows)
        if asked is None or len(rows) < asked:
            self.ended = True

    def holds(self, conn: sqlite3.Connection) -> bool:
        """Whether the read, run again on `conn`, hands over the same rows."""
        cursor = sqlite3.Cursor(conn)
        try:
            cursor.execute(self.sql, self.parameters)
            wanted = len(self.rows) + (1 if self.ended else 0)
            again = cursor.fetchmany(wanted) if wanted else []
        finally:
            cursor.close()
        return again == self.rows


class Race:
    """An optimistic transaction's reads until its first write, and that write's upgrade."""

    def __init__(
        self, conn: RaceConnection, queue: Queue, checkpoints: Checkpointer | None
    ) -> None:
        self._conn = conn
        self._queue = queue
        # Who checkpoints after this transaction's write, if not SQLite.
        self._checkpoints = checkpoints
        self.reads: list[Read] | None = []  # None once writing
        self.queued = False
        conn.race = self

    def read(self, sql: str, parameters: Any) -> Read | None:
        if self.reads is None:
            return None
        read = Read(sql, parameters)
        self.reads.append(read)
        return read

    def write(self, do: Callable[[], T]) -> T:
        """Run the transaction's first write, in the writers' queue; replay the reads if refused."""
        reads, self.reads = self.reads, None
        if reads is None:
            return do()
        self._queue.acquire()
        self.queued = True
        if self._checkpoints is not None:
            self._conn.checkpoint_on_commit(False)
        try:
            return do()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                raise
        conn = self._conn
        # The refused write left the read snapshot open: the counters as the reads saw them,
        # read already if a lookup was answered from memory (`remembered`).
        seen = conn.counters
        before = seen[1] if seen and seen[0] == conn.total_changes else versions.read(conn)
        sqlite3.Connection.execute(conn, "ROLLBACK")
        sqlite3.Connection.execute(conn, "BEGIN IMMEDIATE")
        conn.counters = None  # another snapshot
        now = versions.read(conn)
        moved = versions.moved(before, now)
        for read in reads:
            untouched = moved is not None and versions.untouched(
                conn, read.sql, read.parameters, moved, now or {}
            )
            if not untouched and not read.holds(conn):
                raise StaleRead()
        return do()

    def finish(self, *, committed: bool) -> None:
        """End the race (before the connection goes back to the pool); leave the queue."""
        self._conn.race = None
        if not self.queued:
            return
        self.queued = False
        self._queue.release()
        if self._checkpoints is not None and committed:
            self._checkpoints.committed()


class Reading(sqlite3.Cursor):
    """A cursor of a `RaceConnection` in a race: it records reads and upgrades the first write."""

    connection: RaceConnection
    _read: Read | None = None

    def execute(self, sql: str, parameters: Any = (), /) -> Reading:
        race = self.connection.race
        kind = _kind(sql)
        if race is None or kind == "passing":
            super().execute(sql, parameters)
        elif kind == "writing":
            race.write(lambda: super(Reading, self).execute(sql, parameters))
        else:
            super().execute(sql, parameters)
            self._read = race.read(sql, parameters)
        return self

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Reading:
        race = self.connection.race
        if race is not None and _kind(sql) == "writing":
            race.write(lambda: super(Reading, self).executemany(sql, seq_of_parameters))
        else:
            super().executemany(sql, seq_of_parameters)
        return self

    def fetchone(self) -> Any:
        row = super().fetchone()
        if self._read is not None:
            self._read.handed([] if row is None else [row], 1)
        return row

    def fetchmany(self, size: int | None = None) -> list[Any]:
        asked = self.arraysize if size is None else size
        rows = super().fetchmany(asked)
        if self._read is not None:
            self._read.handed(rows, asked)
        return rows

    def fetchall(self) -> list[Any]:
        rows = super().fetchall()
        if self._read is not None:
            self._read.handed(rows, None)
        return rows

    def __next__(self) -> Any:
        try:
            row = super().__next__()
        except StopIteration:
            if self._read is not None:
                self._read.handed([], 1)
            raise
        if self._read is not None:
            self._read.handed([row], 1)
        return row


class RaceConnection(sqlite3.Connection):
    """The driver's connection, whose cursors join the transaction's `Race` while it runs one."""

    race: Race | None = None
    # (SQLite's count of rows changed, the counters) as this connection's transaction read
    # them for `remembered`; None when a transaction begins.
    counters: tuple[int, versions.Versions] | None = None
    # Whether SQLite checkpoints inside this connection's commits (its default), or leaves it
    # to a `Checkpointer` (request writes). Set when a transaction needs it otherwise, and left
    # so: a run of request writes on one pooled connection sets it once, not twice each.
    checkpoints_in_commit = True

    def checkpoint_on_commit(self, inside: bool) -> None:
        """Let SQLite checkpoint in this connection's commits, or not (`wal_autocheckpoint`)."""
        if inside != self.checkpoints_in_commit:
            pages = checkpoints.SQLITE_DEFAULT if inside else 0
            sqlite3.Connection.execute(self, f"PRAGMA wal_autocheckpoint = {pages}")
            self.checkpoints_in_commit = inside

    def cursor(self, factory: Any = None) -> Any:
        if factory is None:
            factory = Reading if self.race is not None else sqlite3.Cursor
        return super().cursor(factory)

    # The driver's own shortcuts make their cursor without calling `cursor`.
    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        if self.race is None:
            return super().execute(sql, parameters)
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Any:
        if self.race is None:
            return super().executemany(sql, seq_of_parameters)
        return self.cursor().executemany(sql, seq_of_parameters)


def _kind(sql: str) -> str:
    word = sql.lstrip()[:9].upper()
    if word.startswith(_PASSING):
        return "passing"
    if word.startswith(_READING):
        return "reading"
    return "writing"
