"""The `npq-sandbox` command, through click's runner and as a real process."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from npq_sandbox import ADMIN_TOKEN
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


def test_tokens_print_the_administrator_s(runner: CliRunner) -> None:
    result = runner.invoke(main, ["tokens"])
    assert "Administrator" in result.output and f"Bearer {ADMIN_TOKEN}" in result.output


def _serve(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *options: str
) -> tuple[Result, FlaskClient]:
    """Run `serve` up to the point of serving; return its result and a client of its app."""
    apps: list[Flask] = []
    monkeypatch.setattr("npq_sandbox.serving.serve_threaded", lambda app, *_: apps.append(app))
    db = ["--db", str(tmp_path / "sandbox.db"), "--participants", "0"]
    result = runner.invoke(main, ["serve", *db, *options])
    assert result.exit_code == 0, result.output
    return result, apps[0].test_client()


def _reset_all(client: FlaskClient, token: str, host: str = "localhost") -> int:
    headers = {"Authorization": f"Bearer {token}", "Host": host}
    return client.post("/sandbox/reset-all", headers=headers).status_code


def test_serve_sets_the_administrator_s_token(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, client = _serve(runner, monkeypatch, tmp_path, "--admin-token", "s3cret")
    assert (_reset_all(client, "s3cret"), _reset_all(client, ADMIN_TOKEN)) == (200, 401)
    assert _reset_all(client, LEAD_PROVIDERS[0].token) == 403


@pytest.mark.parametrize("token", ["", " ", LEAD_PROVIDERS[0].token])
def test_serve_refuses_an_administrator_token_of_no_use(runner: CliRunner, token: str) -> None:
    assert runner.invoke(main, ["serve", "--admin-token", token]).exit_code == 2


def test_serve_answers_its_own_address_and_the_allowed_hosts_only(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    options = ("--host", "10.1.2.3", "--allowed-host", "sandbox.test")
    result, client = _serve(runner, monkeypatch, tmp_path, *options)
    for host in ("localhost:8000", "10.1.2.3:8000", "sandbox.test:8000"):
        assert _reset_all(client, ADMIN_TOKEN, host) == 200
    assert _reset_all(client, ADMIN_TOKEN, "rebound.example:8000") == 400
    assert "every token is public" in result.stderr.lower()


def test_serve_on_loopback_gives_no_warning(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result, _ = _serve(runner, monkeypatch, tmp_path)
    assert "Warning" not in result.stderr


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
