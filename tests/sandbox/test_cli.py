"""The `npq-sandbox` command, through click's runner and as a real process."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from npq_sandbox.cli import main
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.store.db import Database
from npq_sandbox.store.schema import applications
from sqlalchemy import update

from tests.live import serving


@pytest.mark.parametrize("command", [[], ["serve"], ["seed"], ["tokens"]])
def test_every_command_has_help(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_tokens_as_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["tokens", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == [
        {"name": p.name, "id": p.id, "token": p.token} for p in LEAD_PROVIDERS
    ]


def test_tokens_as_table(runner: CliRunner) -> None:
    result = runner.invoke(main, ["tokens"])
    assert "Ambition Institute" in result.output and "Bearer ambition-token" in result.output


def test_seed_rebuilds_the_database(runner: CliRunner, tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.db"
    result = runner.invoke(main, ["seed", "--db", str(db_path), "--participants", "8"])
    assert result.exit_code == 0, result.output
    assert "Seeded" in result.output
    assert not Database(str(db_path)).is_empty()


def test_serve_refuses_a_bad_port(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", "--port", "99999"])
    assert result.exit_code == 2


def _applications(base_url: str) -> dict[str, str]:
    response = requests.get(
        f"{base_url}/npq-applications?page[per_page]=3000",
        headers={"Authorization": "Bearer ambition-token"},
        timeout=10,
    )
    assert response.status_code == 200
    return {a["id"]: a["attributes"]["status"] for a in response.json()["data"]}


def test_restart_keeps_every_record(tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.db"
    with serving(db_path) as base_url:
        before = _applications(base_url)
    # Change a record behind the server's back: a restart must keep it, not re-seed over it.
    changed = next(i for i, status in before.items() if status == "pending")
    db = Database(str(db_path))
    with db.transaction(write=True) as conn:
        conn.execute(
            update(applications)
            .where(applications.c.id == changed)
            .values(status="rejected", reason_for_rejection="registration_expired")
        )
    db.dispose()
    with serving(db_path) as base_url:
        after = _applications(base_url)
    assert after == {**before, changed: "rejected"}


def _foreign_database(path: Path) -> bytes:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO notes VALUES (1, 'not the sandbox''s')")
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    "command",
    [
        ["serve", "--port", "0"],
        ["seed"],
        ["fixtures", "load", "{tmp}"],
        ["fixtures", "export", "--out", "{tmp}/out"],
    ],
    ids=["serve", "seed", "fixtures load", "fixtures export"],
)
def test_a_database_another_program_made_is_refused_and_unchanged(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "theirs.db"
    before = _foreign_database(path)
    arguments = [part.format(tmp=tmp_path) for part in command]
    result = runner.invoke(main, [*arguments, "--db", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {path} was not created by npq-sandbox: the sandbox leaves it untouched"
    ]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]
