"""A database file written by an older schema is rebuilt, not half-used."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from npq_sandbox.store.db import Database
from npq_sandbox.store.schema import SCHEMA_VERSION


def test_an_older_database_is_rebuilt_empty(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE participants (id TEXT PRIMARY KEY, legacy TEXT)")
        old.execute("CREATE TABLE retired (id TEXT)")
        old.execute("INSERT INTO participants VALUES ('p1', 'x')")
        old.execute("PRAGMA user_version = 1")
    db = Database(str(path))
    assert db.rebuilt and db.is_empty()
    db.dispose()
    with sqlite3.connect(path) as again:
        tables = {name for (name,) in again.execute("SELECT name FROM sqlite_master")}
        assert "retired" not in tables and "applications" in tables
        assert again.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_a_current_database_is_kept(tmp_path: Path) -> None:
    path = str(tmp_path / "current.db")
    Database(path).dispose()
    db = Database(path)
    assert not db.rebuilt
    db.dispose()


def test_a_current_database_gets_the_indexes_made_since_and_keeps_its_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "current.db"
    Database(str(path)).dispose()
    with sqlite3.connect(path) as before:
        before.execute("DROP INDEX ix_statements_next")  # as a file made before it was added
        before.execute("INSERT INTO sandbox_clocks VALUES ('p1', 10)")
    db = Database(str(path))
    assert not db.rebuilt
    db.dispose()
    with sqlite3.connect(path) as again:
        names = {name for (name,) in again.execute("SELECT name FROM sqlite_master")}
        assert "ix_statements_next" in names
        assert again.execute("SELECT * FROM sandbox_clocks").fetchall() == [("p1", 10)]
