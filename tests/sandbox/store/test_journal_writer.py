"""The journal's writer keeps each owner's newest entries exactly, however many write to it.

docs/rules.md §18.7.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from npq_sandbox.store import journal as store
from npq_sandbox.store.db import Database
from npq_sandbox.store.journal import JournalWriter

from tests.helpers import AMBITION, BEST_PRACTICE


def entry(number: int) -> dict[str, Any]:
    return {
        "time": datetime(2026, 1, 1, tzinfo=UTC),
        "method": "GET",
        "path": f"/api/v3/statements/{number}",
        "query": {},
        "query_string": "",
        "request_body": None,
        "request_size": 0,
        "status": 200,
        "response_body": None,
        "response_size": 0,
        "duration_ms": 1.0,
        "fault": None,
    }


def kept(db: Database, owner: str | None) -> list[int]:
    """The numbers of the owner's entries, oldest first."""
    with db.journal.transaction() as conn:
        rows = store.newest(conn, owner, store.JournalFilters(), None, 100)
    return sorted(int(row["path"].rsplit("/", 1)[1]) for row in rows)


@pytest.fixture
def db(tmp_path: Path) -> Any:
    database = Database(str(tmp_path / "sandbox.db"))
    yield database
    database.dispose()


def test_two_writers_on_one_file_keep_exactly_the_newest(db: Database) -> None:
    # Two writers on one file, as two gunicorn workers are: each sees the other's entries.
    first, second = JournalWriter(db, max_rows=3), JournalWriter(db, max_rows=3)
    for number in range(1, 9):
        writer = first if number % 3 else second
        writer.add(AMBITION.id, entry(number))
        writer.add(None, entry(number))
        writer.flush()
        assert kept(db, AMBITION.id) == list(range(max(1, number - 2), number + 1))
    assert kept(db, None) == [6, 7, 8]


def test_a_clear_is_counted_by_the_next_write(db: Database) -> None:
    writer = JournalWriter(db, max_rows=2)
    for number in range(1, 4):
        writer.add(AMBITION.id, entry(number))
        writer.add(BEST_PRACTICE.id, entry(number))
    writer.flush()
    with db.journal.transaction(write=True) as conn:
        store.clear(conn, AMBITION.id)
    for number in (4, 5):
        writer.add(AMBITION.id, entry(number))
        writer.flush()
        assert kept(db, AMBITION.id) == list(range(4, number + 1))
    writer.add(BEST_PRACTICE.id, entry(6))
    writer.flush()
    assert kept(db, BEST_PRACTICE.id) == [3, 6]


def test_other_owners_entries_between_its_own_drop_none_of_them(db: Database) -> None:
    # The provider's ids span past the cap, others' entries between them; it is still within.
    writer = JournalWriter(db, max_rows=3)
    writer.add(AMBITION.id, entry(1))
    for number in range(2, 7):
        writer.add(BEST_PRACTICE.id, entry(number))
    writer.flush()
    for number in (7, 8):
        writer.add(AMBITION.id, entry(number))
        writer.flush()
    assert kept(db, AMBITION.id) == [1, 7, 8]
    assert kept(db, BEST_PRACTICE.id) == [4, 5, 6]
