"""The scenario catalogue and its loader: format, defaults, `${name.path}` substitution."""

from __future__ import annotations

from pathlib import Path

import pytest
from npq_conformance.scenarios import (
    DEFAULT_PROVIDER,
    ScenarioError,
    Step,
    all_scenarios,
    load,
    load_file,
    substitute,
)

ACTIONS = {
    "sync",
    "accept_application",
    "reject_application",
    "change_funded_place",
    "defer_participant",
    "resume_participant",
    "withdraw_participant",
    "change_schedule",
    "submit_declaration",
    "void_declaration",
    "record_outcome",
}
ISSUE_CASES = {
    "pending-application-accepted",
    "rejected-application",
    "accepted-by-another-provider",
    "capped-cohort-funded-place",
    "deferred-participant",
    "withdrawn-participant",
    "voided-declaration",
    "paid-declaration-voided",
    "lost-response",
    "more-than-one-page",
    "incremental-sync",
    "rate-limited",
    "transient-503",
}


def test_the_catalogue_has_every_case_the_issue_lists() -> None:
    assert {s.name for s in all_scenarios()} >= ISSUE_CASES


@pytest.mark.parametrize("scenario", all_scenarios(), ids=lambda s: s.name)
def test_each_scenario_is_well_formed(scenario) -> None:
    ids = [i["id"] for i in scenario.instructions]
    assert len(ids) == len(set(ids))
    assert {i["action"] for i in scenario.instructions} <= ACTIONS
    assert set(scenario.expect) <= set(ids)
    assert scenario.summary and "\n" not in scenario.summary
    assert {e.get("outcome", "done") for e in scenario.expect.values()} <= {"done", "refused"}


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_minimal_file_takes_the_defaults(tmp_path: Path) -> None:
    scenario = load_file(write(tmp_path, "summary: S\ninstructions:\n  - {id: a, action: sync}\n"))
    assert (scenario.name, scenario.provider, scenario.retry_limit) == ("case", DEFAULT_PROVIDER, 2)
    assert scenario.runs[0].setup == ()
    assert scenario.instructions == ({"id": "a", "action": "sync"},)


def test_steps_read_the_request_line_attributes_and_options(tmp_path: Path) -> None:
    text = """
summary: S
setup:
  - request: post /sandbox/npq-applications
    attributes: {cohort: "2025"}
    save: app
    token: best-practice-token
    status: 422
    repeat: 3
  - request: PUT /sandbox/clock
    body: {raw: true}
instructions: []
then:
  - setup: [{request: DELETE /sandbox/clock}]
    instructions: [{id: b, action: sync}]
"""
    scenario = load_file(write(tmp_path, text))
    first, second = scenario.runs[0].setup
    assert first == Step(
        "POST",
        "/sandbox/npq-applications",
        {"data": {"attributes": {"cohort": "2025"}}},
        token="best-practice-token",
        save="app",
        status=422,
        repeat=3,
    )
    assert second.body == {"raw": True}
    assert scenario.runs[1].setup == (Step("DELETE", "/sandbox/clock"),)
    assert [i["id"] for i in scenario.instructions] == ["b"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a list\n", "a scenario is a mapping"),
        ("summary: S\n", "'instructions'"),
        ("summary: S\ninstructions: [{id: a}]\n", "needs an id and an action"),
        ("summary: S\ninstructions: []\ntruth: {outcomes: {}}\n", "unknown resources"),
        ("summary: [unclosed\n", "not valid YAML"),
    ],
)
def test_malformed_files_raise_scenario_error_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ScenarioError, match=message) as raised:
        load_file(write(tmp_path, text))
    assert str(raised.value).startswith("case.yaml")


def test_load_names_the_known_scenarios_when_one_is_missing() -> None:
    with pytest.raises(ScenarioError, match=r"no scenario 'nope'; known: .*lost-response"):
        load("nope")


SAVED = {"app": {"data": [{"id": "a1", "attributes": {"funded": True, "n": 3}}]}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("${app.data.0.id}", "a1"),
        ("${app.data.0.attributes.funded}", True),
        ("${app.data.-1.id}", "a1"),
        ("/x/${app.data.0.id}/y/${app.data.0.attributes.n}", "/x/a1/y/3"),
        ({"k-${app.data.0.id}": ["${app.data.0.id}", 7]}, {"k-a1": ["a1", 7]}),
        ("no placeholder", "no placeholder"),
        (None, None),
    ],
)
def test_substitute_replaces_saved_values(value: object, expected: object) -> None:
    assert substitute(value, SAVED) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("${missing.id}", "nothing was saved as 'missing'"),
        ("${app.data.1.id}", "no '1' in the saved value"),
        ("${app.data.-2.id}", "no '-2' in the saved value"),
        ("${app.data.0.nope}", "no 'nope' in the saved value"),
    ],
)
def test_substitute_names_what_it_cannot_find(value: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        substitute(value, SAVED)
