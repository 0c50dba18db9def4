"""Recording outcomes: docs/rules.md §9.2; edge cases H1-H5 (§20)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import NOT_FOUND, TODAY, Cases, body, data, errors, failed, get, mine, post, put


def shown(client: FlaskClient, declaration_id: str) -> dict[str, Any]:
    found: dict[str, Any] = data(get(client, f"/participant-declarations/{declaration_id}"))
    return found["attributes"]


def record(client: FlaskClient, participant_id: str, json: Any) -> Any:
    return post(client, f"/participants/npq/{participant_id}/outcomes", json, **TODAY)


def result(course: str = "npq-headship", **changes: Any) -> dict[str, Any]:
    attributes = {"course_identifier": course, "state": "passed", "completion_date": "2026-07-20"}
    return body(**{**attributes, **changes})


def completed(client: FlaskClient, cases: Cases, name: str) -> tuple[str, str]:
    """The participant and course of a seeded completed declaration."""
    attributes = shown(client, mine(cases, name))
    return attributes["participant_id"], attributes["course_identifier"]


NO_COMPLETED = errors(("base", m.NO_COMPLETED_DECLARATION))


def test_h1_no_completed_declaration(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person = mine(fresh_cases, "active_participant")
    assert failed(record(fresh_client, person, result()), 422) == NO_COMPLETED


def test_h1_only_a_voided_completed(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person, course = completed(fresh_client, fresh_cases, "outcome_voided_declaration")
    assert failed(record(fresh_client, person, result(course)), 422) == NO_COMPLETED


def test_h1_completed_on_another_course(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person, _ = completed(fresh_client, fresh_cases, "outcome_passed_declaration")
    assert failed(record(fresh_client, person, result("npq-senco")), 422) == NO_COMPLETED


def test_h2_course_and_state(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person, course = completed(fresh_client, fresh_cases, "outcome_passed_declaration")
    ehco = record(fresh_client, person, result("npq-early-headship-coaching-offer"))
    assert failed(ehco, 422) == errors(
        ("course_identifier", m.COURSE_NOT_RECOGNISED), ("base", m.NO_COMPLETED_DECLARATION)
    )
    voided = record(fresh_client, person, result(course, state="voided"))
    assert failed(voided, 422) == errors(("state", m.OUTCOME_STATE_NOT_ALLOWED))


def test_h2_missing_course_and_state(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person, _ = completed(fresh_client, fresh_cases, "outcome_passed_declaration")
    response = record(fresh_client, person, body(completion_date="2026-07-20"))
    assert failed(response, 422) == errors(
        ("course_identifier", m.COURSE_NOT_RECOGNISED),
        ("course_identifier", m.ENTER_COURSE_IDENTIFIER),
        ("state", m.OUTCOME_STATE_NOT_ALLOWED),
        ("state", m.OUTCOME_STATE_MISSING),
        ("base", m.NO_COMPLETED_DECLARATION),
    )


def test_h2_values_of_other_types(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person, _ = completed(fresh_client, fresh_cases, "outcome_passed_declaration")
    odd = body(course_identifier=5, state=True, completion_date=20260720)
    assert failed(record(fresh_client, person, odd), 422) == errors(
        ("course_identifier", m.COURSE_NOT_RECOGNISED),
        ("state", m.OUTCOME_STATE_NOT_ALLOWED),
        ("completion_date", m.COMPLETION_DATE_FORMAT),
        ("base", m.NO_COMPLETED_DECLARATION),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, [m.COMPLETION_DATE_MISSING, m.COMPLETION_DATE_FORMAT]),
        ("20-07-2025", [m.COMPLETION_DATE_FORMAT]),
        ("2026-12-01", [m.COMPLETION_DATE_IN_FUTURE]),
    ],
)
def test_h3_completion_date(
    fresh_client: FlaskClient, fresh_cases: Cases, value: str | None, expected: list[str]
) -> None:
    person, course = completed(fresh_client, fresh_cases, "outcome_failed_declaration")
    response = record(fresh_client, person, result(course, completion_date=value))
    assert failed(response, 422) == errors(*(("completion_date", d) for d in expected))


@pytest.mark.parametrize("value", ["2021-13-01", "2026-02-30"])
def test_h3_impossible_date(fresh_client: FlaskClient, fresh_cases: Cases, value: str) -> None:
    person, course = completed(fresh_client, fresh_cases, "outcome_failed_declaration")
    response = record(fresh_client, person, result(course, completion_date=value))
    assert failed(response, 400) == errors(("Bad request", m.INVALID_DATE))


def test_h3_date_inside_a_longer_value(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person, course = completed(fresh_client, fresh_cases, "outcome_failed_declaration")
    response = record(fresh_client, person, result(course, completion_date="2026-07-25T00:00:00Z"))
    attributes = data(response)["attributes"]
    assert (attributes["state"], attributes["completion_date"]) == (
        "passed",
        "2026-07-25T00:00:00+00:00",
    )


def test_h4_pass_stands(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person, course = completed(fresh_client, fresh_cases, "outcome_passed_declaration")
    response = record(fresh_client, person, result(course, completion_date="2026-07-25"))
    outcome = data(response)
    assert outcome["id"] == mine(fresh_cases, "outcome_passed")
    assert outcome["attributes"]["completion_date"] == "2026-07-14T00:00:00+00:00"


def test_h4_same_failure_then_a_pass(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    declaration_id = mine(fresh_cases, "outcome_failed_declaration")
    person, course = completed(fresh_client, fresh_cases, "outcome_failed_declaration")
    same = result(course, state="failed", completion_date="2026-07-22")
    assert data(record(fresh_client, person, same))["id"] == mine(fresh_cases, "outcome_failed")
    passed = data(record(fresh_client, person, result(course)))
    assert passed["id"] != mine(fresh_cases, "outcome_failed")
    assert passed["attributes"]["created_at"] == "2026-11-30T12:00:00Z"
    declaration = shown(fresh_client, declaration_id)
    assert (declaration["has_passed"], declaration["updated_at"]) == (True, "2026-11-30T12:00:00Z")
    listed = data(get(fresh_client, f"/participants/npq/{person}/outcomes"))
    assert [o["attributes"]["state"] for o in listed] == ["failed", "passed"]


def test_h1_voided_completed_takes_no_result(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    declaration_id = mine(fresh_cases, "outcome_passed_declaration")
    person, course = completed(fresh_client, fresh_cases, "outcome_passed_declaration")
    data(put(fresh_client, f"/participant-declarations/{declaration_id}/void", **TODAY))
    assert failed(record(fresh_client, person, result(course)), 422) == NO_COMPLETED


def test_h5_unknown_participant(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    for person in (str(uuid.uuid4()), mine(fresh_cases, "invisible_participant")):
        assert failed(record(fresh_client, person, result()), 404) == NOT_FOUND
        assert failed(get(fresh_client, f"/participants/npq/{person}/outcomes"), 404) == NOT_FOUND
        bad = record(fresh_client, person, {"data": {}})
        assert failed(bad, 400) == errors(("Bad request", m.INVALID_DATA_STRUCTURE))


def test_h5_merged_id_is_not_found(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    old = mine(fresh_cases, "merged_from_participant_id")
    assert failed(record(fresh_client, old, result()), 404) == NOT_FOUND
