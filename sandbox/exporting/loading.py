"""Loading an export: its `_database` rows, then the edits made to its per-resource files.

The edits are found on a scratch copy first, so a refused edit leaves the database untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from npq_sandbox.app import create_app
from npq_sandbox.exporting.edits import Edit, RefusedEdit, edited_files, find_edits
from npq_sandbox.exporting.endpoints import client_reader
from npq_sandbox.exporting.tables import TABLE_STEPS, CorruptExport, load_rows
from npq_sandbox.seeding.writer import analyze
from npq_sandbox.settings import Settings
from npq_sandbox.store.db import MEMORY, Database
from npq_sandbox.store.schema import metadata
from sqlalchemy import Connection, update

Progress = Callable[[int], None]


def load_steps(source: Path) -> int:
    """Return the sum of the steps `load_fixtures` reports for the export in `source`."""
    files = edited_files(source)
    return TABLE_STEPS + (TABLE_STEPS + len(files) if files else 0)


def load_fixtures(source: Path, db: Database, progress: Progress | None = None) -> dict[str, int]:
    """Replace every row of `db` with the export's, edits included; return rows per table.

    Raises CorruptExport, naming the file (and record and attribute), for what cannot load.
    """
    report = progress or (lambda _steps: None)
    folder = source / "_database"
    if not folder.is_dir():
        raise CorruptExport(f"{source} holds no _database folder: is it an export?")
    edits = _edits(source, report)
    with db.transaction(write=True) as conn:
        counts = load_rows(conn, folder, report)
        _apply(conn, edits)
        analyze(conn)
    return counts


def _edits(source: Path, report: Progress) -> list[Edit]:
    """Find the edits by comparing the files with a scratch database's answers."""
    files = edited_files(source)
    if not files:
        return []
    scratch = Database(MEMORY)
    with scratch.transaction(write=True) as conn:
        load_rows(conn, source / "_database", report)
    read = client_reader(create_app(Settings(database=scratch, testing=True)).test_client())
    try:
        return find_edits(read, source, files, report)
    except RefusedEdit as error:
        raise CorruptExport(str(error)) from None


def _apply(conn: Connection, edits: list[Edit]) -> None:
    for edit in edits:
        table = metadata.tables[edit.table]
        conn.execute(update(table).where(table.c.id == edit.row).values({edit.column: edit.value}))
