"""Lookups answered from memory while their tables stand still (`store/remembered.py`).

`settings.clock_offset` is one: each test asks it in one unit of work, changes the clocks in
another (or the same), and asks again; the answer must always be what the table holds in the
asking transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from npq_sandbox.store import remembered
from npq_sandbox.store.db import MEMORY, Database, is_busy
from npq_sandbox.store.replay import StaleRead
from npq_sandbox.store.schema import sandbox_clocks, sandbox_settings
from npq_sandbox.store.settings import _OFFSET, clock_offset, set_clock_offset
from sqlalchemy import insert

ONE, TWO = "provider-1", "provider-2"


@pytest.fixture(params=["file", "memory"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    database = Database(str(tmp_path / "sandbox.db") if request.param == "file" else MEMORY)
    with database.transaction(write=True) as conn:
        set_clock_offset(conn, ONE, 10)
    yield database
    database.dispose()


def offset(db: Database, provider: str = ONE) -> int:
    with db.transaction() as conn:
        return clock_offset(conn, provider)


def test_the_clock_lookup_is_one_answered_from_memory() -> None:
    assert remembered.is_marked(_OFFSET)


def test_a_change_committed_by_another_unit_shows_in_the_next_lookup(db: Database) -> None:
    assert [offset(db), offset(db)] == [10, 10]  # the second from memory
    with db.transaction(write=True) as conn:
        set_clock_offset(conn, ONE, 20)
    assert offset(db) == 20
    with db.transaction(write=True) as conn:
        set_clock_offset(conn, ONE, None)
    assert offset(db) == 0


def test_a_change_to_another_table_leaves_the_answer_in_memory_and_right(db: Database) -> None:
    assert offset(db) == 10
    with db.transaction(write=True) as conn:
        conn.execute(insert(sandbox_settings).values(key="other", value={"x": 1}))
    assert offset(db) == 10


def test_a_transaction_sees_its_own_change_at_once(db: Database) -> None:
    assert offset(db) == 10
    unit = db.begin(write=True)
    assert clock_offset(unit.connection, ONE) == 10
    set_clock_offset(unit.connection, ONE, 30)
    assert clock_offset(unit.connection, ONE) == 30
    unit.finish(commit=False)
    assert offset(db) == 10


def test_answers_are_per_provider(db: Database) -> None:
    assert (offset(db, ONE), offset(db, TWO)) == (10, 0)
    with db.transaction(write=True) as conn:
        set_clock_offset(conn, TWO, 5)
    assert (offset(db, ONE), offset(db, TWO)) == (10, 5)


def test_two_databases_never_share_answers(tmp_path: Path) -> None:
    # Their counters may stand at the same numbers while their rows differ.
    first, second = Database(str(tmp_path / "a.db")), Database(str(tmp_path / "b.db"))
    try:
        for database, seconds in ((first, 1), (second, 2)):
            with database.transaction(write=True) as conn:
                conn.execute(
                    insert(sandbox_clocks).values(lead_provider_id=ONE, offset_seconds=seconds)
                )
        assert [offset(first), offset(second), offset(first), offset(second)] == [1, 2, 1, 2]
    finally:
        first.dispose()
        second.dispose()


def test_a_lookup_from_memory_is_replayed_when_a_writer_loses_its_race(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "sandbox.db"))
    try:
        with db.transaction(write=True) as conn:
            set_clock_offset(conn, ONE, 10)
        assert offset(db) == 10  # now in memory
        unit = db.begin(write=True, optimistic=True)
        assert clock_offset(unit.connection, ONE) == 10  # from memory, in the race's snapshot
        with db.transaction(write=True) as conn:  # another request moves the clock, and commits
            set_clock_offset(conn, ONE, 40)
        with pytest.raises(Exception) as caught:
            set_clock_offset(unit.connection, TWO, 1)
        assert is_busy(caught.value)
        assert isinstance(getattr(caught.value, "orig", caught.value), StaleRead)
        unit.finish(commit=False)
        assert (offset(db, ONE), offset(db, TWO)) == (40, 0)
    finally:
        db.dispose()
