"""Request writers leave checkpoints to a thread of their own (`store/checkpoints.py`)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from npq_sandbox.store import checkpoints
from npq_sandbox.store.db import Database
from npq_sandbox.store.schema import sandbox_clocks
from sqlalchemy import insert

from tests.helpers import in_file_itself


def in_main_file(path: Path) -> int:
    """Clocks in the database file itself, not counting what waits in its write-ahead log."""
    found = in_file_itself(path, "SELECT count(*) FROM sandbox_clocks")
    assert found is not None
    return int(found[0])


def write_one(db: Database, number: int) -> None:
    unit = db.begin(write=True, optimistic=True)
    unit.connection.execute(
        insert(sandbox_clocks).values(lead_provider_id=f"p{number}", offset_seconds=number)
    )
    unit.finish(commit=True)


def test_request_commits_reach_the_file_after_every_batch(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    db = Database(str(path))
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the tables themselves into the file
    setup.close()
    try:
        for number in range(checkpoints.EVERY - 1):
            write_one(db, number)
        assert in_main_file(path) == 0  # no commit checkpointed on the writer's path
        write_one(db, checkpoints.EVERY)
        deadline = time.monotonic() + 10
        while in_main_file(path) < checkpoints.EVERY and time.monotonic() < deadline:
            time.sleep(0.02)
        assert in_main_file(path) == checkpoints.EVERY
    finally:
        db.dispose()


def test_a_connection_lent_on_after_request_writes_has_sqlites_own_checkpoints(
    tmp_path: Path,
) -> None:
    db = Database(str(tmp_path / "sandbox.db"))
    try:
        write_one(db, 1)
        write_one(db, 2)  # the pool lends its one idle connection again
        with db.transaction() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
            assert raw.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    finally:
        db.dispose()


def test_a_worker_forked_after_the_database_was_closed_checkpoints_its_commits(
    tmp_path: Path,
) -> None:
    # `serve --workers` closes the database before gunicorn forks the workers that write
    # (`serving.serve_workers`); their commits must still reach the file, not pile up in the
    # write-ahead log for as long as the server runs.
    path = tmp_path / "sandbox.db"
    db = Database(str(path))
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    setup.close()
    db.dispose()
    child = os.fork()
    if child == 0:  # the worker: reports by its exit status alone
        status = 1
        try:
            for number in range(checkpoints.EVERY):
                write_one(db, number)
            deadline = time.monotonic() + 10
            while in_main_file(path) < checkpoints.EVERY and time.monotonic() < deadline:
                time.sleep(0.02)
            status = 0 if in_main_file(path) == checkpoints.EVERY else 3
        finally:
            os._exit(status)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert in_main_file(path) == checkpoints.EVERY
