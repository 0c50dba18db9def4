"""Which tables changed: a counter per table, moved by a trigger on every write to it.

An optimistic writer (`replay.Race`) whose first write is refused reads the counters in the
read snapshot it still holds, and again once it holds the lock; it runs again only its reads
of a table whose counter moved, or of a table no counter follows. The derived tables
(`derived.py`) have none: bodies kept by reads would move them on every page, and no write
reads them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

TABLE = "table_versions"
_READ = f"SELECT name, version FROM {TABLE}"
VERSION_OF = f"SELECT version FROM {TABLE} WHERE name = ?"
# Table-valued functions the store's queries read from: no rows of the file.
_NOT_TABLES = frozenset({"json_each"})
Versions = dict[str, int]


def create(conn: Connection, tables: Iterable[str]) -> None:
    """Create the counters where missing, one per table."""
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY, version INTEGER NOT NULL)"
    )
    for name in tables:
        conn.exec_driver_sql(f"INSERT OR IGNORE INTO {TABLE} VALUES ('{name}', 0)")


def move_all(conn: Connection) -> None:
    """Move every counter: rows were written with the triggers off (a bulk load)."""
    conn.exec_driver_sql(f"UPDATE {TABLE} SET version = version + 1")


def triggers(tables: Iterable[str]) -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER statement): each write to a table moves its counter."""
    made = []
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"derived_version_{table}_{event.lower()}"
            move = f"UPDATE {TABLE} SET version = version + 1 WHERE name = '{table}';"
            made.append((name, f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {move} END"))
    return made


def read(conn: sqlite3.Connection) -> Versions | None:
    """The counters as this connection's transaction sees them; None if there are none."""
    cursor = sqlite3.Cursor(conn)
    try:
        return dict(cursor.execute(_READ).fetchall())
    except sqlite3.OperationalError:  # a file made before the counters: every read is replayed
        return None
    finally:
        cursor.close()


def moved(before: Versions | None, after: Versions | None) -> frozenset[str] | None:
    """The tables whose counter moved; None when either reading is missing (assume all)."""
    if before is None or after is None or before.keys() != after.keys():
        return None
    return frozenset(name for name, version in after.items() if before[name] != version)


def untouched(
    conn: sqlite3.Connection, sql: str, parameters: Any, moved: frozenset[str], followed: Versions
) -> bool:
    """Whether a read of `sql` reads only tables a counter follows, none of them `moved`."""
    tables = tables_read(conn, sql, parameters)
    return tables <= followed.keys() and not tables & moved


_READS: dict[str, frozenset[str]] = {}


def tables_read(conn: sqlite3.Connection, sql: str, parameters: Any) -> frozenset[str]:
    """The tables a statement reads, as SQLite's authorizer reports them while preparing it.

    Learnt once per statement and process: the statement is prepared (under EXPLAIN, not run)
    with an authorizer that notes each table read.
    """
    found = _READS.get(sql)
    if found is not None:
        return found
    names: set[str] = set()

    def note(action: int, first: str | None, *_: Any) -> int:
        if action == sqlite3.SQLITE_READ and first:
            names.add(first)
        return sqlite3.SQLITE_OK

    conn.set_authorizer(note)
    try:
        sqlite3.Cursor(conn).execute(f"EXPLAIN {sql}", parameters).close()
    finally:
        conn.set_authorizer(None)
    found = _READS[sql] = frozenset(names - _NOT_TABLES)
    return found
