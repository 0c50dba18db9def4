"""The journal lives beside the data: recording a request never counts as a data change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from npq_sandbox import Settings, create_app
from npq_sandbox.seeding import seed_database
from npq_sandbox.store.db import Database, journal_path

AUTH = {"Authorization": "Bearer ambition-token"}


def test_journal_path() -> None:
    assert journal_path("data/sandbox.db") == "data/sandbox.requests.db"
    assert journal_path("sandbox") == "sandbox.requests.db"
    assert journal_path(":memory:") == ":memory:"


def test_a_journaled_read_leaves_the_data_file_unchanged(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "sandbox.db"))
    seed_database(db, participants=0)
    client = create_app(Settings(database=db, journal=True)).test_client()
    watcher = sqlite3.connect(tmp_path / "sandbox.db")
    before = watcher.execute("PRAGMA data_version").fetchone()
    assert client.get("/api/v3/statements", headers=AUTH).status_code == 200
    assert watcher.execute("PRAGMA data_version").fetchone() == before
    journal = client.get("/sandbox/journal", headers=AUTH).get_json()["data"]
    assert [entry["attributes"]["path"] for entry in journal] == ["/api/v3/statements"]
    assert (tmp_path / "sandbox.requests.db").exists()
    watcher.close()
    db.dispose()
