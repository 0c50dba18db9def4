"""`npq-sandbox serve --workers N` (gunicorn), its answer cache, and the `fixtures` help."""

from __future__ import annotations

import http.client
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from click.testing import CliRunner
from flask import Flask
from npq_sandbox.cli import main
from npq_sandbox.serving import serve_workers
from npq_sandbox.store import checkpoints
from npq_sandbox.store.db import Database
from npq_sandbox.store.schema import applications
from sqlalchemy import update

from tests.helpers import AMBITION, in_file_itself
from tests.live import serving


@pytest.mark.parametrize("command", [["fixtures"], ["fixtures", "export"], ["fixtures", "load"]])
def test_fixtures_commands_have_help(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_workers_refuse_a_shared_memory_database(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", "--db", ":memory:", "--workers", "2"])
    assert result.exit_code == 2
    assert "database file" in result.output


def test_serving_workers_needs_a_cooperative_process(tmp_path: Path) -> None:
    # The CLI makes the process cooperative first; a caller that did not is told, not served
    # by workers whose locks would stop every greenlet.
    db = Database(str(tmp_path / "s.db"))
    try:
        with pytest.raises(RuntimeError, match="make_cooperative"):
            serve_workers(Flask(__name__), db, "127.0.0.1", 0, 2, print)
    finally:
        db.dispose()


def test_answers_on_one_connection_arrive_whole_and_in_order(tmp_path: Path) -> None:
    # A worker sends each answer's head with its body (`serving._HeadWithBody`): an answer
    # without one (HEAD), a file's (sent by the system's sendfile) and a JSON one follow each
    # other on one kept-alive connection exactly as each arrives on a connection of its own.
    asked = [
        ("HEAD", "/api/v3/npq-applications"),
        ("GET", "/dashboard/static/web.css"),
        ("GET", "/api/v3/npq-applications?page[per_page]=2"),
        ("HEAD", "/dashboard/static/web.js"),
        ("GET", "/api/v3/no-such-thing"),
    ]
    headers = {"Authorization": f"Bearer {AMBITION.token}"}
    with serving(tmp_path / "s.db", "--workers", "1") as base_url:
        address = urlsplit(base_url).netloc
        kept = http.client.HTTPConnection(address, timeout=10)
        together = [_answer(kept, method, path, headers) for method, path in asked]
        kept.close()
        apart = []
        for method, path in asked:
            fresh = http.client.HTTPConnection(address, timeout=10)
            apart.append(_answer(fresh, method, path, headers))
            fresh.close()
    assert together == apart
    assert [status for status, _, _ in together] == [200, 200, 200, 200, 404]
    assert together[0][2] == b"" and together[1][2] and together[2][2].startswith(b'{"data"')


def _answer(
    conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str]
) -> tuple[int, str | None, bytes]:
    conn.request(method, path, headers=headers)
    answer = conn.getresponse()
    return answer.status, answer.getheader("Content-Length"), answer.read()


def test_workers_share_one_database_file(tmp_path: Path) -> None:
    with serving(tmp_path / "s.db", "--workers", "2") as base_url:
        answers = {_statuses(base_url) for _ in range(6)}
    assert answers == {(200, True)}


@pytest.mark.parametrize("options", [["--workers", "2"], []])
def test_a_commit_shows_in_the_next_answer(tmp_path: Path, options: list[str]) -> None:
    with serving(tmp_path / "s.db", *options) as base_url:
        before = [_application_statuses(base_url) for _ in range(4)]
        pending = next(i for i, status in before[0].items() if status == "pending")
        db = Database(str(tmp_path / "s.db"))
        with db.transaction(write=True) as conn:
            conn.execute(
                update(applications)
                .where(applications.c.id == pending)
                .values(status="rejected", reason_for_rejection="registration_expired")
            )
        db.dispose()
        after = [_application_statuses(base_url) for _ in range(4)]
    assert all(answer == before[0] for answer in before)
    assert all(answer == {**before[0], pending: "rejected"} for answer in after)


def test_a_journal_read_holds_every_request_answered_before_it(tmp_path: Path) -> None:
    # Each request on a connection of its own, so both workers answer some; the read follows
    # at once, while the other worker may still be holding its entries to write in a batch.
    auth = {"Authorization": "Bearer ambition-token"}
    with serving(tmp_path / "s.db", "--workers", "2") as base_url:
        for round_ in range(3):
            for _ in range(10):
                answer = requests.get(f"{base_url}/statements", headers=auth, timeout=10)
                assert answer.status_code == 200
            root = base_url.removesuffix("/api/v3")
            read = requests.get(
                f"{root}/sandbox/journal?page[per_page]=100", headers=auth, timeout=10
            )
            assert read.status_code == 200
            assert len(read.json()["data"]) == 10 * (round_ + 1)


def _application_statuses(base_url: str) -> dict[str, str]:
    response = requests.get(
        f"{base_url}/npq-applications", headers={"Authorization": "Bearer llse-token"}, timeout=10
    )
    assert response.status_code == 200
    return {a["id"]: a["attributes"]["status"] for a in response.json()["data"]}


def _statuses(base_url: str) -> tuple[int, bool]:
    """Status of a list request, and whether it listed anything."""
    response = requests.get(
        f"{base_url}/statements", headers={"Authorization": "Bearer ambition-token"}, timeout=10
    )
    return response.status_code, bool(response.json()["data"])


def test_workers_commits_reach_the_database_file_while_they_serve(tmp_path: Path) -> None:
    # Each worker checkpoints its request writes every `checkpoints.EVERY` commits, on a thread
    # of its own, so the write-ahead log is copied into the file as the server runs. Two
    # workers share the writes: one of them has made more than that many.
    path = tmp_path / "s.db"
    auth = {"Authorization": f"Bearer {AMBITION.token}"}
    step = {"data": {"attributes": {"seconds": 1}}}
    with serving(path, "--workers", "2") as base_url:
        root = base_url.removesuffix("/api/v3")
        for _ in range(2 * checkpoints.EVERY + 1):
            answer = requests.post(f"{root}/sandbox/clock/advance", json=step, headers=auth)
            assert answer.status_code == 200
        deadline = time.monotonic() + 10
        while _clock_in_file(path, AMBITION.id) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        checkpointed = _clock_in_file(path, AMBITION.id)
    assert checkpointed is not None and checkpointed >= checkpoints.EVERY


def _clock_in_file(path: Path, provider_id: str) -> int | None:
    """A provider's clock offset in the database file itself, not in its write-ahead log."""
    sql = "SELECT offset_seconds FROM sandbox_clocks WHERE lead_provider_id = ?"
    found = in_file_itself(path, sql, provider_id)
    return None if found is None else int(found[0])
