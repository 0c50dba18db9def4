"""A table's counter, read outside any transaction (`Database.table_version`).

The faults check skips the faults table while its counter stands still: it must move when
anyone writes a fault, and stand still when others write other tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from npq_sandbox.domain.faults import FaultSpec
from npq_sandbox.store import faults
from npq_sandbox.store.db import MEMORY, Database
from npq_sandbox.store.schema import sandbox_clocks
from sqlalchemy import insert

PROVIDER = "provider-1"
SPEC = FaultSpec(path="/api/v3/*", status=503, times=1)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(str(tmp_path / "sandbox.db"))
    yield database
    database.dispose()


def test_another_table_s_write_leaves_the_counter_while_the_file_s_moves(db: Database) -> None:
    before, file_before = db.table_version(faults.TABLE), db.data_version()
    other = Database(db.path)  # another worker's connections
    with other.transaction(write=True) as conn:
        conn.execute(insert(sandbox_clocks).values(lead_provider_id=PROVIDER, offset_seconds=5))
    other.dispose()
    assert before is not None
    assert db.data_version() != file_before
    assert db.table_version(faults.TABLE) == before


def test_adding_using_and_removing_a_fault_each_move_it(db: Database) -> None:
    seen = [db.table_version(faults.TABLE)]
    with db.transaction(write=True) as conn:
        added = faults.add(conn, PROVIDER, SPEC)
    seen.append(db.table_version(faults.TABLE))
    with db.transaction(write=True) as conn:
        assert faults.consume(conn, added)
    seen.append(db.table_version(faults.TABLE))
    with db.transaction(write=True) as conn:
        faults.remove(conn, PROVIDER)
    seen.append(db.table_version(faults.TABLE))
    assert None not in seen
    assert len(set(seen)) == 4


def test_none_without_a_file_or_without_counters(db: Database) -> None:
    memory = Database(MEMORY)
    assert memory.table_version(faults.TABLE) is None
    memory.dispose()
    assert db.table_version("no_such_table") is None
    with db.transaction(write=True) as conn:
        conn.exec_driver_sql("DROP TABLE table_versions")
    assert db.table_version(faults.TABLE) is None
