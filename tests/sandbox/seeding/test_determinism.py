"""Same seed, same rows; another seed, other rows; progress adds up."""

from __future__ import annotations

from pathlib import Path

from npq_sandbox.seeding import default_recipe, progress_total, seed_database
from npq_sandbox.store.db import CACHE_KIB, Database

from tests.sandbox.seeding.world import dump, seeded_rows


def test_same_seed_gives_identical_rows() -> None:
    assert seeded_rows(7) == seeded_rows(7)


def test_another_seed_gives_other_rows() -> None:
    first, other = seeded_rows(1, 0), seeded_rows(2, 0)
    assert all(first[name] != other[name] for name in ("participants", "applications"))


def test_reseeding_replaces_every_row() -> None:
    db = Database(":memory:")
    first, again = seed_database(db, participants=16), seed_database(db, participants=16)
    assert first == again
    assert {name: len(rows) for name, rows in dump(db).items()} == again.counts


def test_progress_adds_up_to_the_announced_total() -> None:
    steps: list[int] = []
    seed_database(Database(":memory:"), participants=37, progress=steps.append)
    assert sum(steps) == progress_total(default_recipe().with_background(37)) and min(steps) > 0


def test_a_file_seeds_as_in_memory_and_its_connection_goes_back_as_lent(tmp_path: Path) -> None:
    # The load runs with a larger page cache; the pooled connection must not keep it.
    db = Database(str(tmp_path / "sandbox.db"))
    memory = Database(":memory:")
    assert seed_database(db, participants=16) == seed_database(memory, participants=16)
    assert dump(db) == dump(memory)
    with db.transaction() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == CACHE_KIB
    db.dispose()
