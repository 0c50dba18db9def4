"""`npq-conformance scenarios show NAME`: a scenario's setup, instructions and expectations."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result
from npq_conformance.cli import main
from npq_conformance.scenarios import all_scenarios, load


def show(name: str) -> Result:
    return CliRunner().invoke(main, ["scenarios", "show", name])


@pytest.mark.parametrize("name", [s.name for s in all_scenarios()])
def test_every_scenario_can_be_shown(name: str) -> None:
    result = show(name)
    assert result.exit_code == 0, result.output
    scenario = load(name)
    assert result.output.splitlines()[:2] == [name, f"  {scenario.summary}"]
    assert all(f"- id: {i['id']}" in result.output for i in scenario.instructions)
    assert all(f"  {expected}:" in result.output for expected in scenario.expect)


def test_a_scenario_is_shown_run_by_run_with_the_kits_setup() -> None:
    lines = show("paid-declaration-voided").output.splitlines()
    assert lines.index("Run 1") < lines.index("Run 2")
    assert "    PUT /sandbox/clock" in lines
    assert "  The client's instructions (NPQ_INSTRUCTIONS, NPQ_RUN=2):" in lines
    assert "The sandbox must end with (the client's view must agree):" in lines


def test_expectations_show_the_apis_text_whole() -> None:
    output = show("rejected-application").output
    error = load("rejected-application").expect["accept"]["error"]
    assert f"error: {error}" in output


def test_an_unknown_scenario_exits_2_naming_the_known_ones() -> None:
    result = show("nope")
    assert result.exit_code == 2
    assert "no scenario 'nope'; known: accepted-" in result.output
    assert "accepted-by-another-provider, " in result.output


def test_scenarios_alone_still_lists_the_catalogue() -> None:
    result = CliRunner().invoke(main, ["scenarios"])
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == len(all_scenarios())
