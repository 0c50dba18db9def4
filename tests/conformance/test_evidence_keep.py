"""`run --keep DIR`: each run's instructions, results, output and journal, kept per scenario."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner, Result
from npq_conformance.cli import main

EXAMPLES = Path(__file__).parents[2] / "examples" / "clients"
CLIENTS = Path(__file__).parent / "clients"
TWO_RUNS = "paid-declaration-voided"  # DfE pays a statement between the client's two runs
FILES = ["instructions.json", "journal.json", "results.json", "stderr.txt", "stdout.txt"]


def run(client: Path, scenario: str, *options: str) -> Result:
    command = shlex.join([sys.executable, str(client)])
    return CliRunner().invoke(main, ["run", "--client", command, "--scenario", scenario, *options])


def test_each_run_of_a_scenario_is_kept_in_its_own_folder(tmp_path: Path) -> None:
    kept, stale = tmp_path / "kept", tmp_path / "kept" / TWO_RUNS / "run-3"
    stale.mkdir(parents=True)  # left by an earlier run: it would mislead
    result = run(EXAMPLES / "careful.py", TWO_RUNS, "--keep", str(kept))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (kept / TWO_RUNS).iterdir()) == ["run-1", "run-2"]
    for number in (1, 2):
        assert sorted(p.name for p in (kept / TWO_RUNS / f"run-{number}").iterdir()) == FILES


def test_the_kept_files_hold_what_the_client_was_given_wrote_and_sent(tmp_path: Path) -> None:
    result = run(EXAMPLES / "careful.py", TWO_RUNS, "--keep", str(tmp_path))
    assert result.exit_code == 0, result.output
    second = tmp_path / TWO_RUNS / "run-2"
    given = json.loads((second / "instructions.json").read_text())
    assert given["scenario"] == TWO_RUNS
    assert [i["action"] for i in given["instructions"]] == ["sync"]
    assert isinstance(json.loads((second / "results.json").read_text())["results"], list)
    journal = json.loads((second / "journal.json").read_text())
    assert journal and all(e["attributes"]["method"] == "GET" for e in journal)


def test_the_console_and_the_json_report_point_at_the_scenarios_folder(tmp_path: Path) -> None:
    kept, written = tmp_path / "kept", tmp_path / "report.json"
    result = run(EXAMPLES / "careful.py", TWO_RUNS, "--keep", str(kept), "--report", str(written))
    assert result.exit_code == 0, result.output
    assert f"  kept in {kept / TWO_RUNS}" in result.output.splitlines()
    assert json.loads(written.read_text())["scenarios"][0]["kept"] == str(kept / TWO_RUNS)


def test_a_client_without_results_leaves_its_output_and_the_problem(tmp_path: Path) -> None:
    result = run(CLIENTS / "crashes.py", "pending-application-accepted", "--keep", str(tmp_path))
    assert result.exit_code == 1, result.output
    folder = tmp_path / "pending-application-accepted" / "run-1"
    assert not (folder / "results.json").exists()
    assert (folder / "problem.txt").read_text().startswith("the client wrote no results file")
    assert len((folder / "stderr.txt").read_text().splitlines()) == 31
    assert (folder / "stdout.txt").read_text() == "starting\n"
