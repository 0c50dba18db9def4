"""A setup step's `holds`: what DfE's side must have done, checked in the step's answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from npq_conformance.client import SandboxClient
from npq_conformance.launch import local_sandbox
from npq_conformance.runner import arrange
from npq_conformance.scenarios import Run, ScenarioError, Step, found_at, load_file

ANSWER = {"data": [{"attributes": {"state": "passed"}}, {"attributes": {"state": "voided"}}]}


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("data.1.attributes.state", ["voided"]),
        ("data.-1.attributes.state", ["voided"]),
        ("data.-3.attributes.state", []),
        ("data.*.attributes.state", ["passed", "voided"]),
        ("data.2.attributes.state", []),
        ("data.*.nope", []),
        ("data.0.attributes.state.x", []),
    ],
)
def test_found_at_walks_keys_indexes_and_every_item(path: str, found: list[Any]) -> None:
    assert found_at(ANSWER, path) == found


def test_holds_is_read_from_the_file(tmp_path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "summary: S\nsetup:\n  - request: GET /sandbox/clock\n"
        "    holds: {data.attributes.now: null}\ninstructions: []\n"
    )
    (step,) = load_file(path).runs[0].setup
    assert step.holds == {"data.attributes.now": None}


@pytest.fixture(scope="module")
def api() -> Iterator[SandboxClient]:
    with local_sandbox() as root:
        yield SandboxClient(root, "ambition-token")


def register(**holds: Any) -> Run:
    attributes = {"course_identifier": "npq-headship", "cohort": "2025"}
    step = Step(
        "POST", "/sandbox/npq-applications", {"data": {"attributes": attributes}}, holds=holds
    )
    return Run((step,), ())


def test_a_step_whose_answer_holds_the_values_passes(api: SandboxClient) -> None:
    saved: dict[str, Any] = {"course": "npq-headship"}
    holds = {
        "data.*.attributes.status": "pending",
        "data.0.attributes.course_identifier": "${course}",
    }
    arrange(api, register(**holds), saved)


@pytest.mark.parametrize(
    ("holds", "message"),
    [
        (
            {"data.*.attributes.status": "accepted"},
            'answered "pending" at data.*.attributes.status, not "accepted"',
        ),
        ({"data.0.nope": "x"}, 'answered nothing at data.0.nope, not "x"'),
    ],
)
def test_a_step_whose_answer_lacks_a_value_stops_the_scenario(
    api: SandboxClient, holds: dict[str, Any], message: str
) -> None:
    with pytest.raises(ScenarioError, match=message.replace("*", r"\*").replace(".", r"\.")):
        arrange(api, register(**holds), {})
