"""`npq-sandbox fixtures load`: an export rebuilds the database it was made from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from npq_sandbox.cli import main

from tests.sandbox.exporting.conftest import export, files


def test_loading_then_exporting_gives_the_same_bytes(exported: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "loaded.db"
    result = CliRunner().invoke(main, ["fixtures", "load", str(exported), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    again = export(tmp_path / "again", "--db", str(db_path))
    assert files(again) == files(exported)


def test_load_replaces_what_was_there(exported: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.db"
    runner = CliRunner()
    runner.invoke(main, ["seed", "--db", str(db_path), "--seed", "9", "--participants", "4"])
    runner.invoke(main, ["fixtures", "load", str(exported), "--db", str(db_path)])
    again = export(tmp_path / "again", "--db", str(db_path))
    assert files(again) == files(exported)


def test_load_refuses_a_folder_that_is_no_export(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["fixtures", "load", str(tmp_path), "--db", ":memory:"])
    assert result.exit_code == 2
    # After the progress bar's label, the one line of the problem.
    assert result.output.splitlines()[1:] == [
        f"Error: {tmp_path} holds no _database folder: is it an export?"
    ]


CORRUPTIONS = {
    "bad JSON": (b'{"columns": ["id"', "not readable JSON"),
    "not UTF-8": ('{"columns": [], "rows": ["\u00e9"]}'.encode("latin-1"), "not readable JSON"),
    "wrong shape": (b'{"columns": "id", "rows": []}', "not a table dump"),
    "a list": (b"[]", "not a table dump"),
    "unknown column": (b'{"columns": ["id", "nickname"], "rows": []}', "no column 'nickname'"),
    "short row": (b'{"columns": ["id", "full_name"], "rows": [["p1"]]}', "does not fit"),
    "bad date": (
        b'{"columns": ["id", "created_at"], "rows": [["p1", "yesterday"]]}',
        "does not fit",
    ),
    "missing value": (b'{"columns": ["id"], "rows": [["p1"]]}', "NOT NULL"),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_a_corrupt_export_is_one_line_naming_the_file(
    exported: Path, tmp_path: Path, corruption: str
) -> None:
    content, problem = CORRUPTIONS[corruption]
    shutil.copytree(exported / "_database", tmp_path / "_database")
    broken = tmp_path / "_database" / "participants.json"
    broken.write_bytes(content)
    result = CliRunner().invoke(main, ["fixtures", "load", str(tmp_path), "--db", ":memory:"])
    assert result.exit_code == 2
    _label, line = result.output.splitlines()
    assert line.startswith(f"Error: {broken}: ") and problem in line
