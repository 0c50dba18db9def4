"""The raw table rows behind an export (`_database/<table>.json`), written and loaded back."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from npq_sandbox.store import derived
from npq_sandbox.store.db import Database
from npq_sandbox.store.schema import UTCDateTime, metadata
from sqlalchemy import Column, Connection, Date, Table, select
from sqlalchemy.exc import StatementError

TABLE_STEPS = len(metadata.sorted_tables)
_BATCH = 5000
_SHAPE = ("columns", "rows")
Progress = Callable[[int], None]


class CorruptExport(ValueError):
    """An export that cannot be loaded; the message names the file and the problem."""


def dump_tables(db: Database, out: Path, progress: Progress) -> int:
    """Write each table's rows, ordered by primary key, one row per line; return files written."""
    out.mkdir(parents=True, exist_ok=True)
    with db.transaction() as conn:
        for table in metadata.sorted_tables:
            (out / f"{table.name}.json").write_text(_dumped(conn, table), encoding="utf-8")
            progress(1)
    return TABLE_STEPS


def _dumped(conn: Connection, table: Table) -> str:
    rows = conn.execute(select(table).order_by(*table.primary_key.columns))
    lines = [json.dumps([_encode(v) for v in row], ensure_ascii=False) for row in rows]
    columns = json.dumps([c.name for c in table.columns])
    return f'{{"columns": {columns}, "rows": [\n' + ",\n".join(lines) + "\n]}\n"


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def load_rows(conn: Connection, folder: Path, progress: Progress) -> dict[str, int]:
    """Replace every row with the dumped rows in `folder`; return rows per table."""
    counts: dict[str, int] = {}
    derived.suspend(conn)  # a trigger per row would cost more than the rows
    for table in reversed(metadata.sorted_tables):
        conn.execute(table.delete())
    for table in metadata.sorted_tables:
        counts[table.name] = _load_table(conn, table, folder / f"{table.name}.json")
        progress(1)
    derived.resume(conn)
    return counts


def _load_table(conn: Connection, table: Table, path: Path) -> int:
    """Insert a table's rows; a table missing from an older export stays empty."""
    if not path.exists():
        return 0
    columns, rows = _read(path, table)
    try:
        for batch in _batches(rows):
            conn.execute(table.insert(), [_decoded(columns, row) for row in batch])
    except (TypeError, ValueError, StatementError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise CorruptExport(f"{path}: a row does not fit table {table.name} ({reason})") from None
    return len(rows)


def _read(path: Path, table: Table) -> tuple[list[Column[Any]], list[Any]]:
    """A dumped table's columns and rows, or CorruptExport saying what is wrong with the file."""
    try:
        dumped = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:  # UnicodeDecodeError and JSONDecodeError included
        raise CorruptExport(f"{path}: not readable JSON ({error})") from None
    if not (isinstance(dumped, dict) and all(isinstance(dumped.get(k), list) for k in _SHAPE)):
        raise CorruptExport(f'{path}: not a table dump ({{"columns": [...], "rows": [...]}})')
    for name in dumped["columns"]:
        if not isinstance(name, str) or name not in table.c:
            raise CorruptExport(f"{path}: table {table.name} has no column {name!r}")
    return [table.c[name] for name in dumped["columns"]], dumped["rows"]


def _batches(rows: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), _BATCH):
        yield rows[start : start + _BATCH]


def _decoded(columns: list[Column[Any]], row: list[Any]) -> dict[str, Any]:
    return {c.name: _decode(c, v) for c, v in zip(columns, row, strict=True)}


def _decode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value
