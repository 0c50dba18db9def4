"""Two apps on one database file behave as two gunicorn workers: each sees the other's writes.

The faults check skips the faults table while no fault was written since a caller was seen
without a usable one, and the journal is written in batches off the request path; both must
still see what another worker did a moment ago.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from npq_sandbox import Settings, create_app
from npq_sandbox.seeding import seed_database
from npq_sandbox.store.db import Database

AUTH = {"Authorization": "Bearer ambition-token"}
FAULT = {"data": {"attributes": {"path": "/api/v3/statements", "status": 503}}}


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[tuple[FlaskClient, FlaskClient]]:
    path = str(tmp_path / "sandbox.db")
    seeding = Database(path)
    seed_database(seeding, participants=0)
    seeding.dispose()
    first, second = Database(path), Database(path)
    yield (
        create_app(Settings(database=first)).test_client(),
        create_app(Settings(database=second)).test_client(),
    )
    first.dispose()
    second.dispose()


def test_a_fault_added_by_another_worker_fires_at_once(
    workers: tuple[FlaskClient, FlaskClient],
) -> None:
    one, other = workers
    assert one.get("/api/v3/statements", headers=AUTH).status_code == 200
    assert other.post("/sandbox/faults", json=FAULT, headers=AUTH).status_code == 200
    assert one.get("/api/v3/statements", headers=AUTH).status_code == 503
    assert one.get("/api/v3/statements", headers=AUTH).status_code == 200  # used up


def test_journal_entries_of_both_workers_are_read_back(
    workers: tuple[FlaskClient, FlaskClient],
) -> None:
    one, other = workers
    for _ in range(5):
        assert one.get("/api/v3/statements", headers=AUTH).status_code == 200
    assert other.get("/api/v3/npq-applications", headers=AUTH).status_code == 200
    other.get("/sandbox/journal", headers=AUTH)  # flushes `other`'s own queue only
    read = one.get("/sandbox/journal", headers=AUTH).get_json()["data"]
    paths = [entry["attributes"]["path"] for entry in read]
    assert paths.count("/api/v3/statements") == 5
    assert "/api/v3/npq-applications" in paths


def test_a_fault_added_after_other_writes_still_fires(
    workers: tuple[FlaskClient, FlaskClient],
) -> None:
    # `one` sees no fault; `other` writes something else (the file's counter moves, the faults
    # table's does not), `one` looks again; then `other` adds a fault: `one` meets it at once.
    one, other = workers
    assert one.get("/api/v3/statements", headers=AUTH).status_code == 200
    advance = {"data": {"type": "sandbox-clock", "attributes": {"days": 1}}}
    assert other.post("/sandbox/clock/advance", json=advance, headers=AUTH).status_code == 200
    assert one.get("/api/v3/statements", headers=AUTH).status_code == 200
    assert other.post("/sandbox/faults", json=FAULT, headers=AUTH).status_code == 200
    assert one.get("/api/v3/statements", headers=AUTH).status_code == 503


def test_a_journal_read_finds_what_the_other_worker_answered_a_moment_ago(
    workers: tuple[FlaskClient, FlaskClient],
) -> None:
    # `one` is still lingering over its entries (`store.journal.LINGER`) when `other` is read.
    one, other = workers
    for _ in range(3):
        assert one.get("/api/v3/statements", headers=AUTH).status_code == 200
    read = other.get("/sandbox/journal", headers=AUTH).get_json()["data"]
    assert [entry["attributes"]["path"] for entry in read] == ["/api/v3/statements"] * 3
