"""`fixtures export --base-url`: what a running sandbox serves now, in an export's layout."""

from __future__ import annotations

import json
from pathlib import Path

import requests
from click.testing import CliRunner
from npq_sandbox.cli import main

from tests.helpers import AMBITION, BEST_PRACTICE
from tests.live import serving
from tests.sandbox.exporting.conftest import export, files

NEW_DATE = "2026-11-30T12:00:00Z"


def snapshot(out: Path, *options: str) -> None:
    result = CliRunner().invoke(main, ["fixtures", "export", "--out", str(out), *options])
    assert result.exit_code == 0, result.output


def test_a_snapshot_keeps_a_state_reached_by_hand(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    with serving(db) as base_url:
        moved = _withdraw_someone(base_url)
        snapshot(tmp_path / "snap", "--base-url", base_url, "--token", AMBITION.token)
        snapshot(
            tmp_path / "both",
            "--base-url",
            base_url,
            "--token",
            AMBITION.token,
            "--token",
            BEST_PRACTICE.token,
        )
        journal = requests.get(
            base_url.removesuffix("/api/v3") + "/sandbox/journal",
            headers={"Authorization": f"Bearer {AMBITION.token}"},
            timeout=10,
        ).json()["data"]
    snap = tmp_path / "snap"
    assert sorted(p.name for p in snap.iterdir()) == ["ambition-institute", "manifest.json"]
    participants = json.loads((snap / "ambition-institute" / "participants.json").read_bytes())
    status = {
        p["id"]: p["attributes"]["npq_enrolments"][0]["training_status"]
        for p in participants["data"]
    }
    assert status[moved] == "withdrawn"
    # The same layout and bytes as an export of the database file it was served from.
    from_file = export(tmp_path / "file", "--db", str(db), "--provider", "ambition-institute")
    expected = {k: v for k, v in files(from_file).items() if not k.startswith("_database")}
    assert files(snap) == expected
    assert sorted(p.name for p in (tmp_path / "both").iterdir()) == [
        "ambition-institute",
        "best-practice-network",
        "manifest.json",
    ]
    # The snapshot's reads are not the client's: only the test's own list and withdraw are
    # journaled, not the snapshot's dozens of pages.
    assert sorted(entry["attributes"]["method"] for entry in journal) == ["GET", "PUT"]


def _withdraw_someone(base_url: str) -> str:
    headers = {"Authorization": f"Bearer {AMBITION.token}"}
    listed = requests.get(f"{base_url}/participants/npq", headers=headers, timeout=10).json()[
        "data"
    ]
    deferred = next(
        p for p in listed if p["attributes"]["npq_enrolments"][0]["training_status"] == "deferred"
    )
    course = deferred["attributes"]["npq_enrolments"][0]["course_identifier"]
    body = {
        "data": {
            "type": "participant-withdraw",
            "attributes": {"course_identifier": course, "reason": "personal-reason-moving-school"},
        }
    }
    answer = requests.put(
        f"{base_url}/participants/npq/{deferred['id']}/withdraw",
        json=body,
        headers={**headers, "X-With-Server-Date": NEW_DATE},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return str(deferred["id"])


def test_a_stranger_token_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "fixtures",
            "export",
            "--out",
            str(tmp_path / "o"),
            "--base-url",
            "http://127.0.0.1:9",
            "--token",
            "nobody",
        ],
    )
    assert result.exit_code == 2
    assert "'nobody' is not a lead provider's token" in result.output


def test_an_unreachable_sandbox_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "fixtures",
            "export",
            "--out",
            str(tmp_path / "o"),
            "--base-url",
            "http://127.0.0.1:9/api/v3",
            "--token",
            AMBITION.token,
        ],
    )
    assert result.exit_code == 1
    assert "Error: GET http://127.0.0.1:9/api/v3/npq-applications" in result.output
    assert "Traceback" not in result.output
