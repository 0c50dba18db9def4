"""Only a file the sandbox made is ever rebuilt: another program's database is left as it was."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from npq_sandbox.store.db import Database, journal_path
from npq_sandbox.store.ownership import ForeignDatabase, claim
from npq_sandbox.store.schema import APPLICATION_ID, SCHEMA_VERSION, metadata


def _sqlite(path: Path, *statements: str) -> None:
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def _plain(path: Path) -> None:
    _sqlite(
        path,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",
        "INSERT INTO notes VALUES (1, 'x')",
    )


def _another_programs(path: Path) -> None:
    # Even with a table of our name and a version we used, another program's marker wins.
    _sqlite(
        path,
        "CREATE TABLE participants (id TEXT)",
        "PRAGMA user_version = 2",
        "PRAGMA application_id = 42",
    )


def _unknown_version(path: Path) -> None:
    _sqlite(
        path, "CREATE TABLE participants (id TEXT)", f"PRAGMA user_version = {SCHEMA_VERSION + 1}"
    )


def _in_wal_mode(path: Path) -> None:
    _sqlite(path, "PRAGMA journal_mode=WAL", "CREATE TABLE notes (id INTEGER PRIMARY KEY)")


def _not_sqlite(path: Path) -> None:
    path.write_text("name,email\nAda,ada@example.com\n", encoding="utf-8")


FOREIGN: list[Callable[[Path], None]] = [
    _plain,
    _another_programs,
    _unknown_version,
    _in_wal_mode,
    _not_sqlite,
]


def _marker(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        marker = int(conn.execute("PRAGMA application_id").fetchone()[0])
    conn.close()
    return marker


@pytest.mark.parametrize("make", FOREIGN, ids=lambda make: make.__name__.strip("_"))
def test_a_foreign_file_is_refused_and_left_byte_for_byte(
    make: Callable[[Path], None], tmp_path: Path
) -> None:
    path = tmp_path / "other.db"
    make(path)
    before = path.read_bytes()
    with pytest.raises(ForeignDatabase, match=r"other\.db"):
        Database(str(path))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["other.db"]  # no journal, -wal or -shm


def test_a_foreign_file_open_in_another_program_is_refused_and_left_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "other.db"
    owner = sqlite3.connect(path)  # its program has it open: -wal and -shm lie beside it
    owner.execute("PRAGMA journal_mode=WAL")
    owner.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    owner.commit()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["other.db", "other.db-shm", "other.db-wal"]
    before = path.read_bytes()
    try:
        with pytest.raises(ForeignDatabase, match="not created by npq-sandbox"):
            Database(str(path))
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == files
    finally:
        owner.close()


def test_a_sandbox_file_another_process_writes_to_is_still_ours(tmp_path: Path) -> None:
    # A second process (`fixtures export --db`, a second `serve`) opens the file a sandbox is
    # serving. That sandbox checkpoints into it meanwhile, growing it; read around its log, the
    # file was seen half-copied, and about one look in a hundred here refused it as "malformed".
    path = tmp_path / "sandbox.db"
    Database(str(path)).dispose()
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE filler (text TEXT)")
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            writer.execute("INSERT INTO filler VALUES (?)", ("x" * 3000,))
            writer.execute("PRAGMA wal_checkpoint(PASSIVE)")

    thread = threading.Thread(target=write)
    thread.start()
    refusals = []
    try:
        for _ in range(1500):
            try:
                claim(str(path), metadata)
            except ForeignDatabase as error:
                refusals.append(str(error))
    finally:
        stop.set()
        thread.join()
        writer.close()
    assert refusals == []


def test_a_foreign_journal_file_is_refused_before_the_data_file_is_made(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    _plain(Path(journal_path(str(path))))
    with pytest.raises(ForeignDatabase, match="requests"):
        Database(str(path))
    assert not path.exists()


@pytest.mark.parametrize("existing", [False, True], ids=["missing", "empty"])
def test_a_missing_or_empty_file_is_ours_to_create(existing: bool, tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    if existing:
        path.touch()
    Database(str(path)).dispose()
    assert _marker(path) == APPLICATION_ID
    assert _marker(Path(journal_path(str(path)))) == APPLICATION_ID


def test_an_older_sandbox_file_without_the_marker_is_ours(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    Database(str(path)).dispose()
    _sqlite(path, "INSERT INTO sandbox_clocks VALUES ('p', 5)", "PRAGMA application_id = 0")
    db = Database(str(path))
    assert not db.rebuilt
    db.dispose()
    assert _marker(path) == APPLICATION_ID
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT offset_seconds FROM sandbox_clocks").fetchall() == [(5,)]
    conn.close()
