"""Whose a database file is: the sandbox opens only files it made, or none at all."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from npq_sandbox.store.schema import APPLICATION_ID, SCHEMA_VERSION
from sqlalchemy import MetaData

MEMORY = ":memory:"


class ForeignDatabase(Exception):
    """A database file the sandbox did not create, which it therefore refuses to touch."""


def claim(path: str, schema: MetaData) -> None:
    """Raise ForeignDatabase unless the file is missing, empty or the sandbox's own.

    The file is only read: a refused file keeps every byte, and nothing is created beside it.
    """
    file = Path(path)
    if path == MEMORY or not file.exists() or (file.is_file() and file.stat().st_size == 0):
        return
    try:
        problem = _foreignness(file, {table.name for table in schema.sorted_tables})
    except sqlite3.DatabaseError as error:
        problem = f"is not a SQLite database ({error})"
    if problem:
        raise ForeignDatabase(f"{path} {problem}: the sandbox leaves it untouched")


def _foreignness(file: Path, ours: set[str]) -> str | None:
    """Why the SQLite file is not the sandbox's, or None when it is.

    Files made before the marker existed count as ours when they carry a schema version the
    sandbox has used (1 to SCHEMA_VERSION) and at least one of its tables.
    """
    with closing(sqlite3.connect(_read_only(file), uri=True)) as conn:
        marker = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if marker == APPLICATION_ID or (not marker and not version and not names):
        return None
    if marker:
        return f"belongs to another program (application_id {marker})"
    if 0 < version <= SCHEMA_VERSION and names & ours:
        return None
    return "was not created by npq-sandbox"


def _read_only(file: Path) -> str:
    """How to read the file without changing it, or leaving files beside it.

    A file with its write-ahead log beside it is open elsewhere (a sandbox serving it, say) or
    was left so by a crash: it is read as SQLite's readers read it, through that log, under a
    read lock. Read as immutable, the log is ignored: tables still in it go unseen, and pages
    are seen half-copied while the other process checkpoints (four looks in ten at the file
    of a `serve --workers 2` under declaration POSTs failed as "database disk image is
    malformed"). Without a log nobody writes the file: immutable then takes no lock and
    creates no -wal or -shm beside a file that is not ours.
    """
    in_use = Path(f"{file}-wal").exists()
    return f"{file.resolve().as_uri()}?mode=ro" + ("" if in_use else "&immutable=1")
