"""The database engine: SQLite by default, one transaction per unit of work."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from npq_sandbox.store import derived, versions
from npq_sandbox.store.checkpoints import Checkpointer
from npq_sandbox.store.ownership import MEMORY, claim
from npq_sandbox.store.replay import Race, RaceConnection
from npq_sandbox.store.schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    journal_metadata,
    metadata,
    participants,
)
from npq_sandbox.store.writers import WriterQueue
from sqlalchemy import Connection, Engine, MetaData, create_engine, event, func, inspect, select
from sqlalchemy.pool import StaticPool

# How long a connection waits for another's write lock. SQLite answers an optimistic writer
# whose reads are stale at once (`replay.Race`): waiting cannot make them current.
BUSY_TIMEOUT_MS = 30_000
# A connection's page cache (SQLite's negative size: KiB). See `_take_over_transactions`.
CACHE_KIB = -512
# Connections a database keeps open between units of work (as SQLAlchemy's pool keeps five).
KEPT = 5


class Unit:
    """One open transaction; `finish` commits or rolls back, then frees the connection.

    An `optimistic` unit reads without a lock; its first write queues for the lock and, if
    SQLite refuses it because another connection committed meanwhile, replays the reads under
    the lock (`replay.Race`): `is_busy` is raised only when one of them changed.
    """

    def __init__(
        self,
        conn: Connection,
        lock: threading.RLock | None,
        queue: WriterQueue | None = None,
        *,
        race: WriterQueue | None = None,
        checkpoints: Checkpointer | None = None,
        done: Callable[[Connection], None],
    ) -> None:
        self.connection = conn
        self._done = done  # what becomes of the connection after `finish`
        self.optimistic = race is not None
        self._lock = lock
        self._queue = queue
        self._race: Race | None = None
        raw = conn.connection.driver_connection
        self._transaction = conn.begin()
        if race is not None and isinstance(raw, RaceConnection):
            self._race = Race(raw, race, checkpoints)
        elif isinstance(raw, RaceConnection):  # other writers keep SQLite's own checkpoints
            raw.checkpoint_on_commit(True)

    def finish(self, *, commit: bool) -> None:
        try:
            if commit:
                self._transaction.commit()
            else:
                self._transaction.rollback()
        finally:
            if self._race is not None:  # the next writer goes first
                self._race.finish(committed=commit)
            self._done(self.connection)
            if self._queue is not None:
                self._queue.release()
            if self._lock is not None:
                self._lock.release()


class Database:
    """An engine plus the locking SQLite needs; a `Unit` is one unit of work."""

    def __init__(self, path: str, *, schema: MetaData = metadata) -> None:
        claim(path, schema)
        if schema is metadata:  # refuse before touching either file
            claim(journal_path(path), journal_metadata)
        self.path = path
        self.engine = _make_engine(path)
        # One shared in-memory connection cannot run two transactions at once.
        self._lock: threading.RLock | None = threading.RLock() if path == MEMORY else None
        self._writers: WriterQueue | None = None if path == MEMORY else WriterQueue(path)
        # The journal's own thread writes it in batches: SQLite's checkpoints suit it.
        self._checkpoints = Checkpointer(path) if path != MEMORY and schema is metadata else None
        self._schema = schema
        self._watch: tuple[int, sqlite3.Connection] | None = None  # (pid, connection)
        self._watch_lock = threading.Lock()
        # Connections kept between units of work, with the process that opened them: taking
        # one from SQLAlchemy's pool and giving it back (its checkout, events and reset) cost a
        # unit 20 of its 34 us, measured; a kept connection only begins and commits again.
        self._kept: list[tuple[int, Connection]] = []
        self.rebuilt = self._create_tables()
        # The request journal: a sibling database, so that recording a request is never a
        # change to the data (nor waits for its write lock).
        self.journal: Database = (
            Database(journal_path(path), schema=journal_metadata) if schema is metadata else self
        )

    def _create_tables(self) -> bool:
        """Create missing tables; rebuild a database written by an older schema.

        Return True when existing tables were dropped, so the caller can re-seed and say so.
        """
        with self.engine.connect() as conn:
            # Take the write lock up front: a deferred transaction that reads and then writes
            # fails at once ("database is locked") if a running server committed in between.
            conn.info["begin_immediate"] = True
            try:
                with conn.begin():
                    return self._create_tables_in(conn)
            finally:
                conn.info["begin_immediate"] = False

    def _create_tables_in(self, conn: Connection) -> bool:
        version = conn.exec_driver_sql("PRAGMA user_version").scalar()
        stale = version != SCHEMA_VERSION and bool(inspect(conn).get_table_names())
        if stale:
            self._schema.drop_all(conn)
            for name in inspect(conn).get_table_names():  # tables a newer schema dropped
                conn.exec_driver_sql(f'DROP TABLE "{name}"')
        self._schema.create_all(conn)
        _create_missing_indexes(conn, self._schema)
        if self._schema is metadata:
            derived.create(conn)
        if version != SCHEMA_VERSION:
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        # Only when missing: a write would move the change counter the answer cache watches.
        if conn.exec_driver_sql("PRAGMA application_id").scalar() != APPLICATION_ID:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        return stale

    def begin(self, *, write: bool = False, optimistic: bool = False) -> Unit:
        """Open a transaction; writers queue (`WriterQueue`), then take SQLite's write lock.

        An optimistic writer (on a file) reads in a deferred transaction and queues only at its
        first write (`replay.Race`); a request that writes nothing never locks at all.
        """
        optimistic = optimistic and self.path != MEMORY
        queue = self._hold(write and not optimistic)
        conn: Connection | None = None
        try:
            conn = self._connect()
            conn.info["begin_immediate"] = write and not optimistic
            race = self._writers if optimistic else None
            return Unit(
                conn, self._lock, queue, race=race, checkpoints=self._checkpoints, done=self._keep
            )
        except BaseException:
            if conn is not None:
                conn.close()
            self._let_go(queue)
            raise

    def _connect(self) -> Connection:
        while True:
            try:
                pid, conn = self._kept.pop()
            except IndexError:
                return self.engine.connect()
            # One a fork inherited belongs to the parent, which may still be using it.
            if pid == os.getpid() and not conn.invalidated:
                return conn

    def _keep(self, conn: Connection) -> None:
        # One whose commit failed half-way may still be in its transaction: closed, as before.
        if len(self._kept) < KEPT and not conn.invalidated and not conn.in_transaction():
            self._kept.append((os.getpid(), conn))
        else:
            conn.close()

    def _hold(self, write: bool) -> WriterQueue | None:
        """Take the locks a unit of work needs; return the writers' queue if it was taken."""
        if self._lock is not None:
            self._lock.acquire()
        queue = self._writers if write else None
        try:
            if queue is not None:
                queue.acquire()
        except BaseException:
            self._let_go(None)
            raise
        return queue

    def _let_go(self, queue: WriterQueue | None) -> None:
        if queue is not None:
            queue.release()
        if self._lock is not None:
            self._lock.release()

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Connection]:
        """Yield a connection inside a transaction; commit on success, roll back on error."""
        unit = self.begin(write=write)
        try:
            yield unit.connection
        except BaseException:
            unit.finish(commit=False)
            raise
        unit.finish(commit=True)

    def copy(self) -> Database:
        """Return a private in-memory copy of this database (SQLite's backup API, milliseconds)."""
        copy = Database(MEMORY)
        source, target = self.engine.raw_connection(), copy.engine.raw_connection()
        try:
            source.driver_connection.backup(target.driver_connection)  # type: ignore[union-attr]
        finally:
            source.close()
            target.close()
        return copy

    def data_version(self) -> int | None:
        """SQLite's change counter of the file, as seen by a connection that never writes.

        It moves whenever any other connection, in any process, commits; None for an
        in-memory database, whose one connection sees no other.
        """
        found = self._watched("PRAGMA data_version")
        return None if found is None else int(found[0])

    def table_version(self, table: str) -> int | None:
        """The table's counter (`versions.py`), which moves whenever anyone writes to it.

        Read as `data_version` is, but unmoved by writes to other tables; None for an
        in-memory database, or a file opened by an older sandbox that keeps no counters.
        """
        try:
            found = self._watched(versions.VERSION_OF, (table,))
        except sqlite3.OperationalError:  # no counters (yet): never taken as unchanged
            return None
        return None if found is None else int(found[0])

    def _watched(self, sql: str, parameters: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        """One row read on the connection that never writes; None for an in-memory database."""
        if self.path == MEMORY:
            return None
        with self._watch_lock:
            if self._watch is None or self._watch[0] != os.getpid():  # not inherited by a fork
                self._watch = (os.getpid(), sqlite3.connect(self.path, check_same_thread=False))
            row: tuple[Any, ...] | None = self._watch[1].execute(sql, parameters).fetchone()
            return row

    def is_empty(self) -> bool:
        with self.transaction() as conn:
            return conn.scalar(select(func.count()).select_from(participants)) == 0

    def dispose(self) -> None:
        kept, self._kept = self._kept, []
        for pid, conn in kept:
            if pid == os.getpid():
                conn.close()
        self.engine.dispose()
        if self._checkpoints is not None:
            self._checkpoints.close()
        if self._writers is not None:
            self._writers.close()
        with self._watch_lock:
            if self._watch is not None and self._watch[0] == os.getpid():
                self._watch[1].close()
            self._watch = None
        if self.journal is not self:
            self.journal.dispose()


def _create_missing_indexes(conn: Connection, schema: MetaData) -> None:
    """Create the indexes a file made before them lacks (`create_all` adds only tables).

    An index changes no answer, so a newer one needs no schema version (and no rebuild).
    """
    rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
    present = {name for (name,) in rows}
    for table in schema.sorted_tables:
        for index in table.indexes:
            if index.name not in present:
                index.create(conn)


def is_busy(error: BaseException) -> bool:
    """Whether an error is SQLite's "database is locked" (held by another, or a stale read)."""
    cause = getattr(error, "orig", error)
    code = getattr(cause, "sqlite_errorcode", None)
    return isinstance(cause, sqlite3.OperationalError) and code is not None and code & 0xFF == 5


def journal_path(path: str) -> str:
    """Where the journal of a database file lives: `sandbox.db` -> `sandbox.requests.db`."""
    if path == MEMORY:
        return MEMORY
    file = Path(path)
    return str(file.with_name(f"{file.stem}.requests{file.suffix or '.db'}"))


def _make_engine(path: str) -> Engine:
    if path == MEMORY:
        engine = create_engine(
            "sqlite://",
            poolclass=StaticPool,
            connect_args={"check_same_thread": False, "factory": RaceConnection},
            json_deserializer=_json_loads,
        )
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "factory": RaceConnection},
            json_deserializer=_json_loads,
        )
    _take_over_transactions(engine, wal=path != MEMORY)
    return engine


def _json_loads(text: str) -> Any:
    """Decode a JSON column; most people's previous names are `[]`, decoded without a parse."""
    return [] if text == "[]" else json.loads(text)


def _take_over_transactions(engine: Engine, *, wal: bool) -> None:
    """Let SQLAlchemy, not pysqlite, emit BEGIN, so writers can take the lock up front."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # 512 KiB of pages per connection, not 2 MiB: a worker keeps several connections,
            # and the file's pages are in the OS's cache anyway (about 10 MiB of PSS per worker).
            cursor.execute(f"PRAGMA cache_size={CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Straight to the driver: nothing listens for this statement, and SQLAlchemy's own
        # execution (a context, events, a result) would cost every request's transaction more
        # than the BEGIN itself.
        begin = "BEGIN IMMEDIATE" if conn.info.get("begin_immediate") else "BEGIN"
        raw = conn.connection.driver_connection
        raw.execute(begin)  # type: ignore[union-attr]
        if isinstance(raw, RaceConnection):
            raw.counters = None  # a new snapshot: `remembered` reads them again
