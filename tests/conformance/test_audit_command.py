"""`npq-conformance audit` end to end: a running sandbox, a provider's traffic, the verdicts."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner, Result
from npq_conformance import client, report
from npq_conformance.audit import audit as audit_traffic
from npq_conformance.cli import main
from npq_conformance.guidance import GUIDANCE
from npq_conformance.launch import local_sandbox
from npq_conformance.traffic import TRAFFIC

TOKEN = "ambition-token"
APPLICATIONS = "/api/v3/npq-applications"


@pytest.fixture(scope="module")
def root() -> Iterator[str]:
    with local_sandbox() as found:
        yield found


@pytest.fixture
def sandbox(root: str) -> str:
    """The module's sandbox with the provider's data and journal back at the start."""
    kit = {"Authorization": f"Bearer {TOKEN}", "X-Sandbox-Kit": "test"}
    requests.post(f"{root}/sandbox/reset", headers=kit, timeout=30).raise_for_status()
    return root


def get(root: str, path: str, **params: str) -> requests.Response:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    return requests.get(root + path, params=params, headers=headers, timeout=30)


def audit(*args: str) -> Result:
    return CliRunner().invoke(main, ["audit", "--token", TOKEN, *args])


def test_a_full_read_repeated_fails_incremental_sync(sandbox: str, tmp_path: Path) -> None:
    get(sandbox, APPLICATIONS)
    get(sandbox, APPLICATIONS)
    report = tmp_path / "report.json"
    result = audit("--base-url", sandbox, "--report", str(report))
    assert result.exit_code == 1, result.output
    assert "FAIL incremental-sync: GET /api/v3/npq-applications (page 1) read applications" in (
        result.output
    )
    (audited,) = json.loads(report.read_text())["scenarios"]
    assert audited["name"] == "audit"
    assert audited["summary"].startswith("The 2 requests Ambition Institute sent")


def test_since_judges_only_what_came_after(sandbox: str) -> None:
    get(sandbox, APPLICATIONS, colour="blue")
    time.sleep(0.01)
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    get(sandbox, APPLICATIONS)
    get(sandbox, APPLICATIONS, **{"filter[updated_since]": "2026-01-01T00:00:00Z"})
    assert audit("--base-url", sandbox).exit_code == 1
    result = audit("--base-url", sandbox + "/api/v3", "--since", since)
    assert result.exit_code == 0, result.output
    assert "PASS requests-valid: all 2 requests match openapi.yaml" in result.output


def test_progress_goes_to_stderr_and_stdout_is_the_report_alone(sandbox: str) -> None:
    get(sandbox, APPLICATIONS)
    get(sandbox, APPLICATIONS)
    result = audit("--base-url", sandbox)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == ["Reading the journal", "Judging the traffic"]
    assert result.stdout == report.text([audit_traffic(sandbox, TOKEN)]) + "\n"
    assert result.stdout.splitlines()[-1] == "Audit failed (3 verdicts, 1 failed)"


def test_progress_walks_every_page_and_every_rule(
    sandbox: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client, "PER_PAGE", 2)
    for _ in range(5):
        get(sandbox, APPLICATIONS)
    walked: dict[str, list[str | None]] = {}

    def shown(label: str, items: Iterable[Any], show: Callable[[Any], str | None]) -> Iterator[Any]:
        for item in items:
            walked[label].append(show(item))  # as a bar shows the item it is on
            yield item

    @contextmanager
    def recording(label: str, items: Iterable[Any], show: Callable[[Any], str | None]) -> Any:
        walked[label] = []
        yield shown(label, items, show)

    outcome = audit_traffic(sandbox, TOKEN, progress=recording)
    assert walked["Reading the journal"] == ["0 requests", "2 requests", "4 requests"]
    assert walked["Judging the traffic"] == [*TRAFFIC, *GUIDANCE]
    assert outcome.scenario.summary.startswith("The 5 requests Ambition Institute sent")


def test_no_traffic_is_a_failure_saying_so(sandbox: str) -> None:
    result = audit("--base-url", sandbox)
    assert result.exit_code == 1, result.output
    assert "FAIL traffic: the journal holds no request of this token to judge" in result.output


@pytest.mark.parametrize("since", ["yesterday", "2026-12-01T09:00:00", "2026-13-01T00:00:00Z"])
def test_a_bad_since_is_a_usage_error(sandbox: str, since: str) -> None:
    result = audit("--base-url", sandbox, "--since", since)
    assert result.exit_code == 2
    assert "RFC 3339 instant with a zone" in result.output


def test_a_refused_token_is_a_usage_error(sandbox: str) -> None:
    result = CliRunner().invoke(main, ["audit", "--base-url", sandbox, "--token", "nope"])
    assert result.exit_code == 2
    assert "refused the token 'nope' (401)" in result.output


def test_nothing_listening_is_a_usage_error() -> None:
    result = audit("--base-url", "http://127.0.0.1:9")
    assert result.exit_code == 2
    assert "nothing accepts connections at http://127.0.0.1:9" in result.output


def test_audit_and_watch_are_documented_in_help() -> None:
    for command in ("audit", "watch"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert "--strict" in result.output and "Exit status" in result.output
