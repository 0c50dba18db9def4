"""The catalogue covers the mission: every action (done and refused), every verdict and every
state of the seed is exercised by at least one scenario.

What "exercised" means, decided from the scenario files (states, actions) or from a run of the
careful client (verdicts):

* an action: an instruction of a scenario asks for it; an action DfE can refuse must also be
  expected `done` in one scenario and `refused` in one;
* a state: a record is in it where the scenario says so: its `truth`, the `record` a step is
  expected to report, a move DfE's side makes in a setup step (`PUT .../state`), or a value a
  step's `holds` finds in an answer. A state named only in an error text, in a refused step's
  parameters or in a comment is not exercised;
* a verdict: some scenario gives it something to judge, so a run of the careful client
  reports it (the registry in `judging` is read when the test runs: every verdict counts).
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from npq_conformance.cli import main
from npq_conformance.judging import VERDICTS
from npq_conformance.protocol import schema
from npq_conformance.scenarios import Run, Scenario, Step, all_scenarios
from npq_sandbox.domain.states import (
    ApplicationStatus,
    DeclarationState,
    OutcomeState,
    TrainingStatus,
)

CAREFUL = Path(__file__).parents[2] / "examples" / "clients" / "careful.py"
SEED_STATES = {
    "applications": {s.value for s in ApplicationStatus},
    "participants": {s.value for s in TrainingStatus},
    "declarations": {s.api_name for s in DeclarationState},
    "outcomes": {s.value for s in OutcomeState},
}
# The record each action's `record` reports, by the key that carries its state.
REPORTS = {
    "accept_application": ("applications", "status"),
    "reject_application": ("applications", "status"),
    "change_funded_place": ("applications", "status"),
    "defer_participant": ("participants", "training_status"),
    "resume_participant": ("participants", "training_status"),
    "withdraw_participant": ("participants", "training_status"),
    "change_schedule": ("participants", "training_status"),
    "submit_declaration": ("declarations", "state"),
    "void_declaration": ("declarations", "state"),
    "record_outcome": ("outcomes", "state"),
}
NEVER_REFUSED = {"sync"}  # a read: the API has nothing to refuse


def protocol_actions() -> set[str]:
    """Every action the instructions file's schema allows."""
    instruction = schema("instructions")["$defs"]["instruction"]
    return set(instruction["properties"]["action"]["enum"])


def uncovered_actions(scenarios: Iterable[Scenario]) -> set[str]:
    """Actions no scenario asks for, and `action:done`/`action:refused` no scenario expects."""
    asked: set[str] = set()
    expected: set[str] = set()
    for scenario in scenarios:
        for instruction in scenario.instructions:
            asked.add(instruction["action"])
            wanted = scenario.expect.get(str(instruction["id"]))
            if wanted is not None:
                expected.add(f"{instruction['action']}:{wanted.get('outcome', 'done')}")
    actions = protocol_actions()
    outcomes = {f"{a}:{o}" for a in actions - NEVER_REFUSED for o in ("done", "refused")}
    return (actions - asked) | (outcomes - expected)


def states_of(scenario: Scenario) -> set[tuple[str, str]]:
    """The (resource, state) pairs a scenario exercises (see the module's docstring)."""
    found = {
        (resource, state) for resource, ids in scenario.truth.items() for state in ids.values()
    }
    found |= _reported(scenario)
    steps = [step for run in scenario.runs for step in run.setup]
    found |= {("declarations", state) for state in _moves(steps)}
    found |= _held(steps)
    return found


def _reported(scenario: Scenario) -> set[tuple[str, str]]:
    found = set()
    for instruction in scenario.instructions:
        record = (scenario.expect.get(str(instruction["id"])) or {}).get("record") or {}
        resource, key = REPORTS.get(instruction["action"], ("", ""))
        if isinstance(record.get(key), str):
            found.add((resource, record[key]))
    return found


def _moves(steps: list[Step]) -> set[str]:
    """The states DfE's side moves declarations to in setup steps."""
    return {
        _attributes(step).get("state", "")
        for step in steps
        if step.method == "PUT" and step.path.startswith("/sandbox/participant-declarations/")
    } - {""}


def _held(steps: list[Step]) -> set[tuple[str, str]]:
    """States a step's `holds` finds, by the resource its path reads."""
    found = set()
    for step in steps:
        resource = _resource_read(step.path)
        for key, value in step.holds.items():
            if resource and key.endswith((".state", ".status", ".training_status")):
                found.add((resource, str(value)))
    return found


def _resource_read(path: str) -> str | None:
    if "/outcomes" in path:
        return "outcomes"
    readers = {
        "/api/v3/participant-declarations": "declarations",
        "/api/v3/npq-applications": "applications",
        "/api/v3/participants/npq": "participants",
    }
    return next((r for prefix, r in readers.items() if path.startswith(prefix)), None)


def _attributes(step: Step) -> dict[str, Any]:
    body = step.body if isinstance(step.body, dict) else {}
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    attributes = data.get("attributes") if isinstance(data, dict) else None
    return attributes if isinstance(attributes, dict) else {}


def uncovered_states(scenarios: Iterable[Scenario]) -> set[tuple[str, str]]:
    """The states of the seed no scenario exercises."""
    exercised = set().union(*(states_of(s) for s in scenarios))
    wanted = {(resource, state) for resource, states in SEED_STATES.items() for state in states}
    return wanted - exercised


def unjudged_verdicts(report: dict[str, Any]) -> set[str]:
    """Registered verdicts that no scenario of a run's JSON report judged."""
    judged = {v["name"] for s in report["scenarios"] for v in s["verdicts"]}
    return set(VERDICTS) - judged


# ------------------------------------------------------------------ the catalogue


def test_the_catalogue_has_at_least_thirty_scenarios() -> None:
    assert len(all_scenarios()) >= 30


def test_every_action_is_asked_for_done_and_refused() -> None:
    assert uncovered_actions(all_scenarios()) == set()


def test_every_state_of_the_seed_is_exercised() -> None:
    assert uncovered_states(all_scenarios()) == set()


@pytest.fixture(scope="module")
def careful_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The JSON report of the careful client's run over the whole catalogue."""
    report = tmp_path_factory.mktemp("careful") / "report.json"
    command = shlex.join([sys.executable, str(CAREFUL)])
    result = CliRunner().invoke(main, ["run", "--client", command, "--report", str(report)])
    assert result.exit_code in (0, 1), result.output
    found: dict[str, Any] = json.loads(report.read_text())
    return found


def test_the_careful_client_passes_every_scenario(careful_report: dict[str, Any]) -> None:
    failed = {
        s["name"]: [f"{v['name']}: {v['reason']}" for v in s["verdicts"] if not v["passed"]]
        for s in careful_report["scenarios"]
    }
    assert failed == {s.name: [] for s in all_scenarios()}


def test_every_verdict_is_judged_in_some_scenario(careful_report: dict[str, Any]) -> None:
    assert unjudged_verdicts(careful_report) == set()


# ------------------------------------------------------------------ the rules' negative cases


def case(*instructions: dict[str, Any], **fields: Any) -> Scenario:
    setup = fields.pop("setup", ())
    return Scenario("case", "A case.", (Run(tuple(setup), tuple(instructions)),), **fields)


def test_an_action_asked_for_but_never_refused_is_uncovered() -> None:
    reject = {"id": "r", "action": "reject_application", "application_id": "a"}
    done = case(reject, expect={"r": {"outcome": "done"}})
    missing = uncovered_actions([done])
    assert "reject_application:refused" in missing
    assert "reject_application:done" not in missing
    assert "reject_application" not in missing
    assert "sync:refused" not in missing and "sync" in missing


def test_removing_the_only_scenario_of_an_action_uncovers_it() -> None:
    kept = [s for s in all_scenarios() if "record_outcome" not in _actions(s)]
    assert {"record_outcome", "record_outcome:done", "record_outcome:refused"} <= (
        uncovered_actions(kept)
    )


def _actions(scenario: Scenario) -> set[str]:
    return {i["action"] for i in scenario.instructions}


def test_a_state_named_only_by_a_refusal_or_a_parameter_is_not_exercised() -> None:
    record = {
        "id": "o",
        "action": "record_outcome",
        "participant_id": "p",
        "course_identifier": "npq-headship",
        "state": "failed",
        "completion_date": "2026-10-25",
    }
    refused = case(record, expect={"o": {"outcome": "refused", "error": "failed voided"}})
    assert states_of(refused) == set()
    done = case(record, expect={"o": {"outcome": "done", "record": {"state": "failed"}}})
    assert states_of(done) == {("outcomes", "failed")}


def test_truth_moves_and_checked_answers_exercise_states() -> None:
    move = Step(
        "PUT",
        "/sandbox/participant-declarations/d/state",
        {"data": {"attributes": {"state": "payable"}}},
    )
    read = Step(
        "GET", "/api/v3/participants/npq/p/outcomes", holds={"data.*.attributes.state": "voided"}
    )
    listed = Step("GET", "/api/v3/delivery-partners", holds={"data.0.attributes.state": "x"})
    scenario = case(setup=(move, read, listed), truth={"participants": {"p": "deferred"}})
    assert states_of(scenario) == {
        ("declarations", "payable"),
        ("outcomes", "voided"),
        ("participants", "deferred"),
    }


def test_a_missing_state_is_named() -> None:
    without = [replace(s, truth={}, expect={}, runs=s.runs[:1]) for s in all_scenarios()]
    assert ("declarations", "clawed-back") in uncovered_states(without)


def test_a_verdict_no_scenario_judged_is_named() -> None:
    report = {"scenarios": [{"verdicts": [{"name": name} for name in list(VERDICTS)[1:]]}]}
    assert unjudged_verdicts(report) == {next(iter(VERDICTS))}
