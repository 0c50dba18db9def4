"""Writing a data set: empty every table, then bulk inserts a few hundred people at a time.

Rows go straight to the SQLite driver's `executemany`, converted as SQLAlchemy would store
them (same text for times, dates, booleans and JSON), from generators: a 100,000-person seed
never holds its records twice, nor all of them at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from itertools import chain
from operator import attrgetter
from typing import Any

from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.store import derived
from npq_sandbox.store.schema import UTCDateTime, metadata
from sqlalchemy import JSON, Boolean, Column, Connection, Date, Table

TABLE_COUNT = len(metadata.sorted_tables)
LOAD_CACHE_KIB = -64 * 1024
Convert = Callable[[Any], Any]


class Writer:
    """Bulk-writes a data set in installments inside one write transaction.

    Opening empties every table and drops the secondary indexes (built once over all the rows
    at `finish`, faster than row by row); `write` inserts what the data set holds and makes it
    forget those records, so a large seed never holds its whole population at once.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        # Dirty pages past the cache spill into the WAL mid-transaction, and the parents of
        # appended pages are written again at each spill: 64 MiB for the load, not 512 KiB.
        self._cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()  # given back at finish
        conn.exec_driver_sql(f"PRAGMA cache_size = {LOAD_CACHE_KIB}")
        derived.suspend(conn)  # a trigger per row would cost more than the rows
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
            _drop_indexes(conn, table)
        self._cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        self.counts = {table.name: 0 for table in metadata.sorted_tables}

    def write(self, ds: Dataset) -> None:
        """Insert every record the data set holds, in creation order, then forget them."""
        records = _records(ds)
        for table in metadata.sorted_tables:
            found = iter(records.get(table.name, ()))
            self.counts[table.name] += _insert(self._cursor, table, found)
        ds.forget_written()

    def finish(self, progress: Callable[[int], None]) -> dict[str, int]:
        """Rebuild the indexes, reporting one step per table; return the row counts."""
        for table in metadata.sorted_tables:
            _create_indexes(self._conn, table)
            progress(1)
        self._cursor.close()
        derived.resume(self._conn)
        analyze(self._conn)
        self._conn.exec_driver_sql(f"PRAGMA cache_size = {self._cache}")  # pooled: as lent
        return self.counts


def analyze(conn: Connection) -> None:
    """Give SQLite's planner the tables' statistics.

    Without them it takes `lead_provider_id = ?` (eight values) for a selective test and walks a
    provider's whole index to avoid a sort, where one person's rows were a lookup away.
    """
    conn.exec_driver_sql("ANALYZE")


def _drop_indexes(conn: Connection, table: Table) -> None:
    for index in table.indexes:
        index.drop(conn)


def _create_indexes(conn: Connection, table: Table) -> None:
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        index.create(conn)


def _insert(cursor: Any, table: Table, records: Iterator[Any]) -> int:
    """Stream `records` into `table` in one executemany; return how many."""
    first = next(records, None)
    if first is None:
        return 0
    fields = first.__dataclass_fields__
    columns = [c for c in table.columns if c.name in fields]
    names = ", ".join(c.name for c in columns)
    marks = ", ".join("?" for _ in columns)
    count = 0

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal count
        get = attrgetter(*(c.name for c in columns))
        converters = _converters(columns)
        for record in chain((first,), records):
            count += 1
            values = list(get(record))
            for i, convert in converters:
                if values[i] is not None:
                    values[i] = convert(values[i])
            yield tuple(values)

    cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows())
    return count


def _converters(columns: list[Column[Any]]) -> list[tuple[int, Convert]]:
    """Each column position whose values need converting, with its converter."""
    found = []
    for position, column in enumerate(columns):
        convert = _converter(column.type)
        if convert is not None:
            found.append((position, convert))
    return found


def _converter(type_: Any) -> Convert | None:
    """How SQLAlchemy stores a value of this column type in SQLite; None if as it is."""
    if isinstance(type_, UTCDateTime):
        return _datetime
    if isinstance(type_, Date):
        return date.isoformat
    if isinstance(type_, Boolean):
        return int
    if isinstance(type_, JSON):
        return lambda value: json.dumps(list(value) if isinstance(value, tuple) else value)
    return None


def _datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        value = (value if value.tzinfo is UTC else value.astimezone(UTC)).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")  # as SQLAlchemy stores: 2024-01-02 03:04:05.000000


def _records(ds: Dataset) -> dict[str, Iterable[Any]]:
    """Map each table to its records, in creation order (autoincrement ids follow it).

    The sandbox's own tables (settings, clocks) start empty.
    """
    return {
        "participants": ds.participants.values(),
        "participant_id_changes": ds.id_changes,
        "applications": ds.applications.values(),
        "training_status_changes": ds.history,
        "delivery_partners": ds.delivery_partners,
        "delivery_partnerships": ds.partnerships,
        "statements": ds.statements,
        "declarations": ds.declarations.values(),
        "statement_items": chain.from_iterable(ds.items.values()),
        "outcomes": chain.from_iterable(ds.outcomes.values()),
        "contracts": ds.contracts,
    }
