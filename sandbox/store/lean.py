"""A statement run straight on the SQLite driver, converting values exactly as SQLAlchemy would.

SQLAlchemy spends more on running a short query (an execution context, events, a result
object) than SQLite spends answering it: about 50 microseconds a statement, a third of a
refused declaration's time. The store's queries, inserts and updates are built once, at
import, so each is compiled once here (an insert or update once per set of columns), with
its parameters' and columns' type conversions taken from that compilation; a run is then one
call to the driver. A query this cannot run exactly (a list expanded into `IN`, a parameter
computed at run time, two result columns of one name) is left to SQLAlchemy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from npq_sandbox.store import remembered
from sqlalchemy import ClauseElement, Connection, Dialect

Convert = Callable[[Any], Any] | None
_REQUIRED = object()


class Lean:
    """A compiled query: its SQL, where each parameter comes from, and its columns."""

    __slots__ = ("columns", "converted", "keys", "slots", "sql")

    def __init__(
        self,
        sql: str,
        slots: Sequence[tuple[str, Convert, Any]],
        keys: tuple[str, ...],
        columns: Sequence[Convert],
    ) -> None:
        self.sql = sql
        self.slots = tuple(slots)
        self.keys = keys
        self.columns = tuple(columns)
        self.converted = tuple(i for i, convert in enumerate(columns) if convert is not None)

    def arguments(self, params: Mapping[str, Any] | None) -> list[Any]:
        given = params or {}
        values = []
        for name, convert, literal in self.slots:
            value = given[name] if literal is _REQUIRED else given.get(name, literal)
            values.append(value if convert is None else convert(value))
        return values

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        if not self.converted:
            return tuple(raw)
        row = list(raw)
        columns = self.columns
        for i in self.converted:
            row[i] = columns[i](row[i])  # type: ignore[misc]
        return tuple(row)


# Keyed by the query's identity; the query is kept beside its compilation, so an id is never
# reused while its entry lives. Store queries are module constants: the cache stays small.
_COMPILED: dict[int, tuple[ClauseElement, Lean | None]] = {}
_LOCK = threading.Lock()


def compiled(query: ClauseElement, dialect: Dialect) -> Lean | None:
    """The query's `Lean` form, or None when SQLAlchemy must run it."""
    entry = _COMPILED.get(id(query))
    if entry is not None and entry[0] is query:
        return entry[1]
    lean = _compile(query, dialect)
    with _LOCK:
        _COMPILED[id(query)] = (query, lean)
    return lean


def _compile(query: ClauseElement, dialect: Dialect) -> Lean | None:
    done: Any = query.compile(dialect=dialect)
    columns = done._result_columns
    if not columns:
        return None
    keys = tuple(column.keyname for column in columns)
    if len(set(keys)) != len(keys):
        return None
    converts = [column.type._cached_result_processor(dialect, None) for column in columns]
    return _lean(done, keys, converts)


def _lean(done: Any, keys: tuple[str, ...], converts: list[Convert]) -> Lean | None:
    if done.positiontup is None or "POSTCOMPILE" in done.string:
        return None
    slots = []
    for name in done.positiontup:
        bind = done.binds[name]
        if bind.expanding or bind.callable is not None:
            return None
        literal = _REQUIRED if bind.required else bind.value
        slots.append((name, done._bind_processors.get(name), literal))
    return Lean(done.string, slots, keys, converts)


_CHANGES: dict[tuple[int, tuple[str, ...]], tuple[ClauseElement, Lean | None]] = {}


def change_many(
    conn: Connection, statement: ClauseElement, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Run an INSERT of rows that all set the same columns, in one executemany on the driver."""
    columns = tuple(rows[0])
    lean = _changing(conn, statement, columns)
    if lean is None or any(tuple(row) != columns for row in rows):
        conn.execute(statement, rows)  # type: ignore[call-overload]
        return
    raw = conn.connection.driver_connection
    raw.executemany(lean.sql, [lean.arguments(row) for row in rows])  # type: ignore[union-attr]


def _changing(conn: Connection, statement: ClauseElement, columns: tuple[str, ...]) -> Lean | None:
    key = (id(statement), columns)
    entry = _CHANGES.get(key)
    if entry is None or entry[0] is not statement:
        done: Any = statement.compile(dialect=conn.dialect, column_keys=list(columns))
        entry = (statement, None if done._result_columns else _lean(done, (), []))
        with _LOCK:
            _CHANGES[key] = entry
    return entry[1]


def change(conn: Connection, statement: ClauseElement, params: Mapping[str, Any]) -> int:
    """Run an INSERT or UPDATE setting these columns on the driver; return the rows it changed."""
    lean = _changing(conn, statement, tuple(params))
    if lean is None:
        return int(conn.execute(statement, params).rowcount)  # type: ignore[call-overload]
    raw = conn.connection.driver_connection
    cursor = raw.execute(lean.sql, lean.arguments(params))  # type: ignore[union-attr]
    try:
        return int(cursor.rowcount)
    finally:
        cursor.close()


Ran = tuple[tuple[str, ...], list[tuple[Any, ...]]]  # column names, rows


def fetch(
    conn: Connection, query: ClauseElement, params: Mapping[str, Any] | None, *, one: bool
) -> Ran:
    """Run `query`: its column names and its rows (the first only, if `one`), as tuples.

    On the driver, unless it is a query SQLAlchemy must run (`compiled`).
    """
    ran = run(conn, query, params, one=one)
    if ran is not None:
        return ran
    result = conn.execute(query, params)  # type: ignore[call-overload]
    keys = tuple(result.keys())
    if one:  # first() closes the result, as the driver's cursor is closed in `run`
        first = result.first()
        return keys, [] if first is None else [tuple(first)]
    return keys, [tuple(row) for row in result.all()]


def run(
    conn: Connection, query: ClauseElement, params: Mapping[str, Any] | None, *, one: bool
) -> Ran | None:
    """Run `query` on the driver: its column names and its rows (the first only, if `one`).

    None when the query is one SQLAlchemy must run (`compiled`).
    """
    lean = compiled(query, conn.dialect)
    if lean is None:
        return None
    raw: Any = conn.connection.driver_connection
    arguments = lean.arguments(params)
    if remembered.is_marked(query):
        found = remembered.fetch(conn.engine, raw, lean.sql, arguments, one=one, run=driver_rows)
    else:
        found = driver_rows(raw, lean.sql, arguments, one=one)
    return lean.keys, [lean.row(row) for row in found]


def driver_rows(raw: Any, sql: str, arguments: list[Any], *, one: bool) -> list[Any]:
    """The driver's rows for `sql` (the first only, if `one`), its cursor closed."""
    cursor = raw.execute(sql, arguments)
    try:
        if one:
            found = cursor.fetchone()
            return [] if found is None else [found]
        return cursor.fetchall()
    finally:
        cursor.close()
