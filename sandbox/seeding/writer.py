"""Writing a built data set: empty every table, then one bulk insert per table."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from sqlalchemy import Connection

from sandbox.seeding.dataset import Dataset
from sandbox.store.rows import insert_all
from sandbox.store.schema import metadata

TABLE_COUNT = len(metadata.sorted_tables)


def write_dataset(conn: Connection, ds: Dataset, progress: Callable[[int], None]) -> dict[str, int]:
    """Replace every row of every table with the data set; return the row count per table."""
    for table in reversed(metadata.sorted_tables):
        conn.execute(table.delete())
    records = _records(ds)
    counts: dict[str, int] = {}
    for table in metadata.sorted_tables:
        counts[table.name] = insert_all(conn, table, records.get(table.name, ()))
        progress(1)
    return counts


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
    }
