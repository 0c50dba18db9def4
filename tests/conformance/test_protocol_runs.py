"""`NPQ_RUN` and `NPQ_FRESH`: a client with a database passes a scenario twice in a row when it
forgets what it stored on a scenario's first run, and is caught when it does not."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from npq_conformance.launch import local_sandbox
from npq_conformance.runner import Outcome, Target, run_scenario
from npq_conformance.scenarios import load

REMEMBERS = Path(__file__).parent / "clients" / "remembers.py"
# Two runs of the client, with DfE paying the clawback statement in between.
SCENARIO = load("paid-declaration-voided")


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    with local_sandbox() as root:
        yield Target(root, owned=True)


def twice(target: Target, state: Path, *options: str) -> tuple[Outcome, Outcome]:
    command = shlex.join([sys.executable, str(REMEMBERS), str(state), *options])
    first = run_scenario(SCENARIO, command, target, timeout=60)
    return first, run_scenario(SCENARIO, command, target, timeout=60)


def voided(outcome: Outcome) -> str:
    """The id of the declaration the client voided in the outcome's first run."""
    results = outcome.runs[0].results
    assert results is not None
    return str(results["results"][1]["record"]["id"])


def test_a_client_that_forgets_on_a_fresh_run_passes_twice(target: Target, tmp_path: Path) -> None:
    first, second = twice(target, tmp_path / "state.json")
    assert first.passed, first.verdicts
    assert second.passed, second.verdicts
    assert [(r.number, r.stdout) for r in second.runs] == [
        (1, "run 1, fresh: 1\n"),
        (2, "run 2, fresh: unset\n"),
    ]


def test_a_client_that_ignores_fresh_is_named_by_its_stale_records(
    target: Target, tmp_path: Path
) -> None:
    first, second = twice(target, tmp_path / "state.json", "--ignore-fresh")
    assert first.passed, first.verdicts
    failed = {v.name: v.reason for v in second.verdicts if not v.passed}
    assert set(failed) == {"view-matches-truth"}
    assert (
        f'declaration {voided(first)}: the client\'s view says "clawed-back"'
        in (failed["view-matches-truth"])
    )
