"""`npq-sandbox fixtures load`: an export rebuilds the database it was made from."""

from __future__ import annotations

from pathlib import Path

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
    assert "_database" in result.output
