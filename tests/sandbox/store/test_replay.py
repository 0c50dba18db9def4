"""A writer that read without a lock writes only if what it read still holds (`store/replay.py`).

Two units of work on one database file play the racing requests: the first reads, the
second commits, then the first writes. Its write goes ahead when its reads answer as before,
and is refused as busy (the request then runs again, `api/context.dispatch`) when they do not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from npq_sandbox.store import derived, versions
from npq_sandbox.store.db import Database, Unit, is_busy
from npq_sandbox.store.replay import StaleRead
from npq_sandbox.store.schema import metadata, sandbox_clocks, sandbox_settings
from sqlalchemy import delete, insert, select, update

ONE, TWO, THREE = "provider-1", "provider-2", "provider-3"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(str(tmp_path / "sandbox.db"))
    with database.transaction(write=True) as conn:
        conn.execute(
            insert(sandbox_clocks),
            [{"lead_provider_id": p, "offset_seconds": 10} for p in (ONE, TWO)],
        )
    yield database
    database.dispose()


def optimistic(db: Database) -> Unit:
    return db.begin(write=True, optimistic=True)


def commit(db: Database, statement: object) -> None:
    with db.transaction(write=True) as conn:
        conn.execute(statement)  # type: ignore[call-overload]


def offsets(db: Database) -> dict[str, int]:
    with db.transaction() as conn:
        return {p: s for p, s in conn.execute(select(sandbox_clocks))}


def another_sets(db: Database, provider: str, seconds: int) -> None:
    """Another connection moves the provider's clock, and commits."""
    clock = sandbox_clocks.c.lead_provider_id == provider
    commit(db, update(sandbox_clocks).where(clock).values(offset_seconds=seconds))


def refused(unit: Unit, statement: object) -> BaseException:
    """Run a write the unit must be refused, as busy; return the error."""
    with pytest.raises(Exception) as caught:
        unit.connection.execute(statement)  # type: ignore[call-overload]
    assert is_busy(caught.value)
    return caught.value


def clock_of(provider: str) -> object:
    return select(sandbox_clocks.c.offset_seconds).where(
        sandbox_clocks.c.lead_provider_id == provider
    )


def test_a_write_after_another_commit_goes_ahead_when_its_reads_still_hold(db: Database) -> None:
    unit = optimistic(db)
    assert unit.connection.scalar(clock_of(ONE)) == 10
    another_sets(db, TWO, 20)
    unit.connection.execute(insert(sandbox_clocks).values(lead_provider_id=THREE, offset_seconds=1))
    unit.finish(commit=True)
    assert offsets(db) == {ONE: 10, TWO: 20, THREE: 1}


def test_a_write_whose_read_changed_is_refused_as_busy_and_writes_nothing(db: Database) -> None:
    unit = optimistic(db)
    assert unit.connection.scalar(clock_of(ONE)) == 10
    another_sets(db, ONE, 30)
    error = refused(unit, insert(sandbox_clocks).values(lead_provider_id=THREE, offset_seconds=1))
    assert isinstance(getattr(error, "orig", None), StaleRead)
    unit.finish(commit=False)
    assert offsets(db) == {ONE: 30, TWO: 10}


def test_a_row_that_appears_where_a_lookup_found_none_refuses_the_write(db: Database) -> None:
    unit = optimistic(db)
    assert unit.connection.scalar(clock_of(THREE)) is None
    commit(db, insert(sandbox_clocks).values(lead_provider_id=THREE, offset_seconds=5))
    refused(unit, delete(sandbox_clocks).where(sandbox_clocks.c.lead_provider_id == ONE))
    unit.finish(commit=False)
    assert offsets(db) == {ONE: 10, TWO: 10, THREE: 5}


def test_only_the_rows_a_read_handed_over_are_compared(db: Database) -> None:
    """A lookup that took the first row of a list is not refused when a later row appears."""
    everyone = select(sandbox_clocks.c.lead_provider_id).order_by(sandbox_clocks.c.lead_provider_id)
    unit = optimistic(db)
    assert unit.connection.execute(everyone).first() == (ONE,)
    commit(db, insert(sandbox_clocks).values(lead_provider_id=THREE, offset_seconds=5))
    unit.connection.execute(update(sandbox_clocks).values(offset_seconds=11))
    unit.finish(commit=True)
    assert offsets(db) == {ONE: 11, TWO: 11, THREE: 11}


def test_a_read_of_the_whole_list_is_refused_when_the_list_grew(db: Database) -> None:
    everyone = select(sandbox_clocks.c.lead_provider_id)
    unit = optimistic(db)
    assert len(unit.connection.execute(everyone).all()) == 2
    commit(db, insert(sandbox_clocks).values(lead_provider_id=THREE, offset_seconds=5))
    refused(unit, update(sandbox_clocks).values(offset_seconds=0))
    unit.finish(commit=False)
    assert offsets(db) == {ONE: 10, TWO: 10, THREE: 5}


def test_reads_straight_to_the_driver_are_replayed_too(db: Database) -> None:
    unit = optimistic(db)
    raw = unit.connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    query = "SELECT offset_seconds FROM sandbox_clocks WHERE lead_provider_id = ?"
    assert raw.execute(query, (TWO,)).fetchone() == (10,)
    another_sets(db, TWO, 20)
    with pytest.raises(StaleRead):
        raw.execute("DELETE FROM sandbox_clocks")
    unit.finish(commit=False)
    assert offsets(db) == {ONE: 10, TWO: 20}


def test_a_write_with_no_commit_in_between_takes_the_lock_at_once(db: Database) -> None:
    unit = optimistic(db)
    assert unit.connection.scalar(clock_of(ONE)) == 10
    unit.connection.execute(update(sandbox_clocks).values(offset_seconds=0))
    unit.finish(commit=True)
    assert offsets(db) == {ONE: 0, TWO: 0}


def runs_of_reads(unit: Unit, table: str) -> list[str]:
    """Start noting the reads of `table` the unit's connection runs (not merely prepares)."""
    raw = unit.connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    ran: list[str] = []
    raw.set_trace_callback(
        lambda sql: ran.append(sql) if sql.startswith("SELECT") and f"FROM {table}" in sql else None
    )
    return ran


def test_a_read_of_a_table_nobody_wrote_to_is_not_run_again(db: Database) -> None:
    unit = optimistic(db)
    ran = runs_of_reads(unit, "sandbox_clocks")
    assert unit.connection.scalar(clock_of(ONE)) == 10
    commit(db, insert(sandbox_settings).values(key="elsewhere", value={}))
    unit.connection.execute(insert(sandbox_clocks).values(lead_provider_id=THREE, offset_seconds=1))
    unit.finish(commit=True)
    assert len(ran) == 1  # the read itself, not again under the lock
    assert offsets(db) == {ONE: 10, TWO: 10, THREE: 1}


def test_a_read_of_a_table_written_meanwhile_is_run_again(db: Database) -> None:
    unit = optimistic(db)
    ran = runs_of_reads(unit, "sandbox_clocks")
    assert unit.connection.scalar(clock_of(ONE)) == 10
    another_sets(db, TWO, 20)
    unit.connection.execute(insert(sandbox_settings).values(key="mine", value={}))
    unit.finish(commit=True)
    assert len(ran) == 2


def test_a_bulk_write_without_triggers_moves_every_counter(db: Database) -> None:
    """Seeding and fixtures loads write with the triggers off: no read may be trusted after."""
    with db.transaction() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        before = versions.read(raw)
    with db.transaction(write=True) as conn:
        derived.suspend(conn)
        derived.resume(conn)
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        after = versions.read(raw)
    assert before is not None and after is not None
    assert versions.moved(before, after) == frozenset(t.name for t in metadata.sorted_tables)
