"""`npq-sandbox serve --workers N` (gunicorn) and the `fixtures` commands' help."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from sandbox.cli import main


@pytest.mark.parametrize("command", [["fixtures"], ["fixtures", "export"], ["fixtures", "load"]])
def test_fixtures_commands_have_help(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_workers_refuse_a_shared_memory_database(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", "--db", ":memory:", "--workers", "2"])
    assert result.exit_code == 2
    assert "database file" in result.output


def test_workers_share_one_database_file(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "sandbox", "serve", "--db", str(tmp_path / "s.db")]
    with subprocess.Popen(
        [*command, "--port", "0", "--participants", "4", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        try:
            assert process.stdout is not None
            base_url = next(
                found.group(1)
                for line in process.stdout
                if (found := re.search(r"(http://127\.0\.0\.1:\d+/api/v3)", line))
            )
            answers = {_statuses(base_url) for _ in range(6)}
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)
    assert answers == {(200, True)}


def _statuses(base_url: str) -> tuple[int, bool]:
    """Status of a list request, and whether it listed anything."""
    response = requests.get(
        f"{base_url}/statements", headers={"Authorization": "Bearer ambition-token"}, timeout=10
    )
    return response.status_code, bool(response.json()["data"])
