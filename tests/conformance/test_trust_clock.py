"""Clients that use their own clock pass; no scenario stamps a change behind what they saw.

The seed is anchored at 2026-11-02, so scenarios that declare set the provider's clock there,
behind real time; the runner puts it back to real time before a scenario's later runs (see
`npq_conformance.scenarios`). A client that keeps its state between runs and takes its next
`filter[updated_since]` from its own clock less a margin, or from the newest `updated_at` it
was shown, must then see every change: DfE's moves between runs included.
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from npq_conformance.cli import main
from npq_conformance.launch import local_sandbox
from npq_conformance.scenarios import ScenarioError, all_scenarios, load_file
from npq_sandbox.api import clock

OWN_CLOCK = Path(__file__).parent / "clients" / "own_clock.py"
CAREFUL = Path(__file__).parents[2] / "examples" / "clients" / "careful.py"
PAID = "paid-declaration-voided"


def client(path: Path, *args: str) -> str:
    return shlex.join([sys.executable, str(path), *args])


def run(command: str, report: Path, *scenarios: str, base_url: str | None = None) -> int:
    chosen = [arg for name in scenarios for arg in ("--scenario", name)]
    target = ["--base-url", base_url] if base_url else []
    args = ["run", "--client", command, "--report", str(report), *chosen, *target]
    return CliRunner().invoke(main, args).exit_code


def failures(report: Path) -> dict[str, list[str]]:
    written = json.loads(report.read_text())
    return {
        s["name"]: [f"{v['name']}: {v['reason']}" for v in s["verdicts"] if not v["passed"]]
        for s in written["scenarios"]
    }


def test_a_client_syncing_from_its_own_clock_passes_every_scenario(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    command = client(OWN_CLOCK, "--state", str(tmp_path), "--cursor", "own-clock")
    assert run(command, report) == 0, failures(report)
    assert set(failures(report)) == {s.name for s in all_scenarios()}


def test_a_client_syncing_from_the_server_s_stamps_passes_the_scenarios_that_resync(
    tmp_path: Path,
) -> None:
    report = tmp_path / "report.json"
    command = client(OWN_CLOCK, "--state", str(tmp_path), "--cursor", "server")
    assert run(command, report, PAID, "incremental-sync") == 0, failures(report)


def test_a_client_whose_clock_runs_a_day_fast_misses_dfe_s_payment(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    command = client(OWN_CLOCK, "--state", str(tmp_path), "--margin", "-86400")
    assert run(command, report, PAID) == 1
    (failed,) = failures(report)[PAID]
    # The statement's payment moved declarations the client never saw again (in any order).
    assert failed.startswith("view-matches-truth: declaration ")
    (verdict,) = (
        v
        for scenario in json.loads(report.read_text())["scenarios"]
        for v in scenario["verdicts"]
        if not v["passed"]
    )
    stale = 'the client\'s view says "eligible", the sandbox holds "paid"'
    assert any(stale in failure for failure in verdict["failures"]), verdict["failures"]


@pytest.fixture
def years_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The sandbox's real clock (it serves from this process) five years from now."""
    later = timedelta(days=5 * 365)
    monkeypatch.setattr(clock, "real_now", lambda: datetime.now(UTC) + later)
    yield


@pytest.mark.usefixtures("years_on")
def test_every_scenario_still_passes_years_from_now(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    with local_sandbox() as root:
        assert run(client(CAREFUL), report, base_url=root) == 0, failures(report)


def test_only_a_first_run_may_set_the_clock(tmp_path: Path) -> None:
    (tmp_path / "late.yaml").write_text(
        "summary: s\ninstructions: []\nthen:\n"
        "  - setup: [{request: PUT /sandbox/clock, attributes: {now: '2026-11-02T09:00:00Z'}}]\n"
        "    instructions: []\n"
    )
    with pytest.raises(ScenarioError, match="only the first run's setup may set the clock"):
        load_file(tmp_path / "late.yaml")


def test_a_run_that_sets_the_clock_syncs_each_resource_once(tmp_path: Path) -> None:
    (tmp_path / "twice.yaml").write_text(
        "summary: s\n"
        "setup: [{request: PUT /sandbox/clock, attributes: {now: '2026-11-02T09:00:00Z'}}]\n"
        "instructions:\n"
        "  - {id: a, action: sync, resources: [applications]}\n"
        "  - {id: b, action: sync}\n"
    )
    with pytest.raises(ScenarioError, match="a run that sets the clock syncs each resource once"):
        load_file(tmp_path / "twice.yaml")
