"""`run --keep DIR`: keep what each run of the client was given, wrote, said and sent.

The layout, one folder per scenario and run (a scenario's folder is replaced on each run)::

    DIR/<scenario>/run-1/instructions.json   the NPQ_INSTRUCTIONS file the client was given
                         results.json        its NPQ_RESULTS file (absent if it wrote none)
                         problem.txt         why its results were unusable (only then)
                         stdout.txt          its standard output
                         stderr.txt          its standard error
                         journal.json        the journal entries of its requests, oldest first

`instructions.json` holds what the client read, so a client run again with `NPQ_INSTRUCTIONS`
pointing at it repeats the run (against a sandbox in the same state).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from npq_conformance.runner import Outcome, RunRecord


def keep(outcomes: list[Outcome], root: Path) -> dict[str, Path]:
    """Keep every run of every scenario under `root`; return each scenario's folder by name."""
    return {outcome.scenario.name: keep_scenario(outcome, root) for outcome in outcomes}


def keep_scenario(outcome: Outcome, root: Path) -> Path:
    """Replace `root/<scenario>` with one folder per run of the client; return it."""
    folder = root / outcome.scenario.name
    shutil.rmtree(folder, ignore_errors=True)  # a run-2 left from an earlier run would mislead
    folder.mkdir(parents=True)
    for run in outcome.runs:
        _keep_run(run, outcome.scenario.name, folder / f"run-{run.number}")
    return folder


def _keep_run(run: RunRecord, scenario: str, folder: Path) -> None:
    folder.mkdir()
    _write_json(
        folder / "instructions.json", {"scenario": scenario, "instructions": run.instructions}
    )
    if run.results is not None:
        _write_json(folder / "results.json", run.results)
    if run.problem:
        (folder / "problem.txt").write_text(run.problem + "\n", encoding="utf-8")
    (folder / "stdout.txt").write_text(run.stdout, encoding="utf-8")
    (folder / "stderr.txt").write_text(run.stderr, encoding="utf-8")
    _write_json(folder / "journal.json", run.journal)


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
