"""The reference clients' sandbox: one seeded database file, served afresh for each test.

Each test serves a fresh copy of one seeded database, writes an instructions file, runs a client
as `npq-conformance run` would (a subprocess with the protocol's environment variables) and
reads its results file: the careful client's answers are right, the naive one's wrong in the
ways it means to be.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from npq_sandbox.seeding import seed_database
from npq_sandbox.store.db import Database

from tests.examples.calls import AMBITION, PARTICIPANTS, serve


@pytest.fixture(scope="session")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One seeded database file, and Ambition Institute's cases in it (each test serves a copy)."""
    path = tmp_path_factory.mktemp("seeded") / "sandbox.db"
    db = Database(str(path))
    cases = seed_database(db, participants=int(PARTICIPANTS)).cases[AMBITION.id]
    db.dispose()
    return path, cases


@pytest.fixture
def cases(seed_file: tuple[Path, dict[str, str]]) -> dict[str, str]:
    """Ambition Institute's cases in `seed_file`, in place of the root conftest's `cases`."""
    return seed_file[1]


@pytest.fixture
def base_url(seed_file: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[str]:
    """A sandbox of its own for each test, so one client's writes never meet another's."""
    with serve(seed_file, tmp_path) as url:
        yield url
