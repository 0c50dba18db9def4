"""A failed later run does not hide an earlier one.

When a scenario's second run cannot be set up because of what the client did not do in the
first (no declaration voided, so no clawback statement to pay), the outcome keeps the first
run's verdicts and adds one message naming what was missing.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from npq_conformance.launch import local_sandbox
from npq_conformance.runner import Target, run_scenario
from npq_conformance.scenarios import ScenarioError, load, substitute

HERE = Path(__file__).parent
CAREFUL = shlex.join([sys.executable, str(HERE.parents[1] / "examples/clients/careful.py")])
REPORTS_DONE = shlex.join([sys.executable, str(HERE / "clients" / "reports_done.py")])
SCENARIO = "paid-declaration-voided"
MISSING = (
    "run 2 could not be set up after run 1 of the client: "
    "${voided.data.attributes.clawback_statement_id} is null in the answer saved as 'voided'"
)


def test_run_1_is_judged_when_run_2_cannot_be_set_up() -> None:
    with local_sandbox() as root:
        outcome = run_scenario(load(SCENARIO), REPORTS_DONE, Target(root, owned=True), 30)
    assert [r.number for r in outcome.runs] == [1]
    names = [(v.name, v.passed) for v in outcome.verdicts]
    assert names == [("outcome-matches", False), ("view-matches-truth", False), ("setup", False)]
    assert outcome.verdicts[-1].reason == MISSING
    # Run 1's own verdict names the step the client did not do, not the end state it never
    # reached.
    assert outcome.verdicts[0].reason.startswith("step void (declaration ")
    assert "no request was sent" in outcome.verdicts[0].reason
    assert "clawed-back" not in outcome.verdicts[0].reason
    assert not any("setup: setup:" in f"{v.name}: {v.reason}" for v in outcome.verdicts)


def test_a_client_that_voids_reaches_run_2() -> None:
    with local_sandbox() as root:
        outcome = run_scenario(load(SCENARIO), CAREFUL, Target(root, owned=True), 60)
    assert outcome.passed, outcome.verdicts
    assert [r.number for r in outcome.runs] == [1, 2]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("/sandbox/statements/${x.id}/mark-paid", "${x.id} is null in the answer saved as 'x'"),
        ("${x.id}", "${x.id} is null in the answer saved as 'x'"),
        ("${x.nope}", "${x.nope}: no 'nope' in the saved value"),
        ("${y.id}", "${y.id}: nothing was saved as 'y'"),
    ],
)
def test_a_missing_value_is_named_never_substituted(value: str, message: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        substitute(value, {"x": {"id": None}})
    assert str(raised.value) == message
