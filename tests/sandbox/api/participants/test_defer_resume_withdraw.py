"""Deferring, resuming and withdrawing participants.

docs/rules.md §7.4 to §7.6; edge cases D1-D9 (§20).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.store.db import Database
from werkzeug.test import TestResponse

from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    INVALID_STRUCTURE,
    NOT_FOUND,
    NOW,
    TODAY,
    UNKNOWN_ID,
    Cases,
    body,
    data,
    errors,
    failed,
    get,
    mine,
    post,
    put,
)
from tests.sandbox.api import setup


def act(client: FlaskClient, action: str, person: str, json: Any, **kw: Any) -> TestResponse:
    return put(client, f"/participants/npq/{person}/{action}", json, **kw)


def place(db: Database, cases: Cases, name: str) -> tuple[str, str]:
    """The participant id and course of one of Ambition's seeded applications."""
    application = setup.application(db, mine(cases, name))
    return application.participant_id, application.course_identifier


def place_of_declaration(client: FlaskClient, cases: Cases, name: str) -> tuple[str, str, str]:
    """The participant id, course and application id behind one of Ambition's declarations."""
    found = data(get(client, f"/participant-declarations/{mine(cases, name)}"))["attributes"]
    return found["participant_id"], found["course_identifier"], found["application_id"]


def enrolment(resource: dict[str, Any], course: str) -> dict[str, Any]:
    (found,) = [
        e for e in resource["attributes"]["npq_enrolments"] if e["course_identifier"] == course
    ]
    return found


def assert_rendered_as_get(client: FlaskClient, response: TestResponse, person: str) -> Any:
    """The answer is the participant exactly as GET /participants/npq/{id} renders it."""
    resource = data(response)
    assert resource == data(get(client, f"/participants/npq/{person}"))
    return resource


# --- D1 ---------------------------------------------------------------------------------------


def test_d1_defer_an_active_participant(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, app_id = place_of_declaration(fresh_client, fresh_cases, "declaration_eligible")
    json = body(course_identifier=course, reason="bereavement")
    response = act(fresh_client, "defer", person, json, **TODAY)
    resource = assert_rendered_as_get(fresh_client, response, person)
    deferred = enrolment(resource, course)
    assert deferred["training_status"] == "deferred"
    assert deferred["deferral"] == {"reason": "bereavement", "date": NOW}
    assert deferred["withdrawal"] is None
    assert resource["attributes"]["updated_at"] == NOW
    latest = setup.status_history(fresh_db, app_id)[-1]
    assert (latest.state, latest.reason, latest.lead_provider_id) == (
        "deferred",
        "bereavement",
        AMBITION.id,
    )
    assert latest.created_at.isoformat() == "2026-11-30T12:00:00+00:00"


def test_d1_deferred_participant_is_seen_by_updated_since(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, _ = place_of_declaration(fresh_client, fresh_cases, "declaration_eligible")
    since = "/participants/npq?filter[updated_since]=2026-11-30T11:59:59Z&page[per_page]=3000"
    assert person not in [p["id"] for p in data(get(fresh_client, since))]
    json = body(course_identifier=course, reason="bereavement")
    data(act(fresh_client, "defer", person, json, **TODAY))
    assert person in [p["id"] for p in data(get(fresh_client, since))]


# --- D2 ---------------------------------------------------------------------------------------


def test_d2_defer_without_declarations(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course = place(fresh_db, fresh_cases, "accepted_application")
    response = act(fresh_client, "defer", person, body(course_identifier=course, reason="other"))
    assert failed(response, 422) == errors(("participant_id", m.DEFER_WITHOUT_DECLARATIONS))
    after = enrolment(data(get(fresh_client, f"/participants/npq/{person}")), course)
    assert after["training_status"] == "active"
    assert len(setup.status_history(fresh_db, mine(fresh_cases, "accepted_application"))) == 1


def test_d2_a_voided_declaration_is_enough_to_defer(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, _ = place_of_declaration(fresh_client, fresh_cases, "declaration_voided")
    json = body(course_identifier=course, reason="career-break")
    response = act(fresh_client, "defer", person, json, **TODAY)
    assert enrolment(data(response), course)["training_status"] == "deferred"


# --- D3 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("deferred_application", m.ALREADY_DEFERRED),
        ("withdrawn_application", m.ALREADY_WITHDRAWN),
    ],
)
def test_d3_defer_when_deferred_or_withdrawn(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases, name: str, message: str
) -> None:
    person, course = place(fresh_db, fresh_cases, name)
    response = act(fresh_client, "defer", person, body(course_identifier=course, reason="other"))
    assert failed(response, 422) == errors(("participant_id", message))


# --- D4 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [{"reason": "holiday"}, {}, {"reason": ""}])
def test_d4_defer_with_an_invalid_reason(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases, reason: dict[str, str]
) -> None:
    person, course, _ = place_of_declaration(fresh_client, fresh_cases, "declaration_eligible")
    response = act(fresh_client, "defer", person, body(course_identifier=course, **reason))
    assert failed(response, 422) == errors(("reason", m.INVALID_REASON))


def test_d4_withdrawal_reason_needs_its_trailing_dot(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, _ = place_of_declaration(fresh_client, fresh_cases, "declaration_eligible")
    reason = "quality-of-programme-structure-not-suitable"
    response = act(fresh_client, "withdraw", person, body(course_identifier=course, reason=reason))
    assert failed(response, 422) == errors(("reason", m.INVALID_REASON))
    json = body(course_identifier=course, reason=f"{reason}.")
    withdrawn = enrolment(data(act(fresh_client, "withdraw", person, json, **TODAY)), course)
    assert withdrawn["withdrawal"] == {"reason": f"{reason}.", "date": NOW}


# --- D5 ---------------------------------------------------------------------------------------


def test_d5_resume_an_active_participant(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course = place(fresh_db, fresh_cases, "accepted_application")
    response = act(fresh_client, "resume", person, body(course_identifier=course))
    assert failed(response, 422) == errors(("participant_id", m.ALREADY_ACTIVE))


@pytest.mark.parametrize("name", ["deferred_application", "withdrawn_application"])
def test_d5_resume_a_deferred_or_withdrawn_participant(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases, name: str
) -> None:
    person, course = place(fresh_db, fresh_cases, name)
    response = act(fresh_client, "resume", person, body(course_identifier=course), **TODAY)
    resumed = enrolment(assert_rendered_as_get(fresh_client, response, person), course)
    assert resumed["training_status"] == "active"
    assert (resumed["deferral"], resumed["withdrawal"]) == (None, None)
    latest = setup.status_history(fresh_db, mine(fresh_cases, name))[-1]
    assert (latest.state, latest.reason, latest.lead_provider_id) == ("active", None, AMBITION.id)


# --- D6 ---------------------------------------------------------------------------------------


def test_d6_withdraw_needs_a_started_declaration(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    app_id = mine(fresh_cases, "accepted_application")
    template = mine(fresh_cases, "declaration_eligible")
    setup.copy_declaration(fresh_db, template, app_id, declaration_type="retained-1")
    person, course = place(fresh_db, fresh_cases, "accepted_application")
    json = body(course_identifier=course, reason="personal-reason-other")
    response = act(fresh_client, "withdraw", person, json)
    assert failed(response, 422) == errors(("participant_id", m.WITHDRAW_WITHOUT_STARTED))


def test_d6_a_voided_started_declaration_allows_withdrawal(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, _ = place_of_declaration(fresh_client, fresh_cases, "declaration_voided")
    json = body(course_identifier=course, reason="personal-reason-other")
    response = act(fresh_client, "withdraw", person, json, **TODAY)
    assert enrolment(data(response), course)["training_status"] == "withdrawn"


def test_d6_started_declaration_by_the_previous_provider_counts(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    # The transferred application's only declaration was made by Best Practice Network.
    person, course = place(fresh_db, fresh_cases, "transferred_application")
    json = body(course_identifier=course, reason="other")
    response = act(fresh_client, "withdraw", person, json, **TODAY)
    assert enrolment(data(response), course)["training_status"] == "withdrawn"


# --- D7 ---------------------------------------------------------------------------------------


def test_d7_withdraw_a_deferred_participant(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course = place(fresh_db, fresh_cases, "deferred_application")
    json = body(course_identifier=course, reason="change-in-career")
    response = act(fresh_client, "withdraw", person, json, **TODAY)
    withdrawn = enrolment(assert_rendered_as_get(fresh_client, response, person), course)
    assert withdrawn["training_status"] == "withdrawn"
    assert withdrawn["withdrawal"] == {"reason": "change-in-career", "date": NOW}
    assert withdrawn["deferral"] is None
    latest = setup.status_history(fresh_db, mine(fresh_cases, "deferred_application"))[-1]
    assert (latest.state, latest.reason) == ("withdrawn", "change-in-career")


def test_d7_withdraw_twice(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course = place(fresh_db, fresh_cases, "withdrawn_application")
    json = body(course_identifier=course, reason="other")
    response = act(fresh_client, "withdraw", person, json)
    assert failed(response, 422) == errors(("participant_id", m.ALREADY_WITHDRAWN))


# --- D8 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["defer", "resume", "withdraw"])
def test_d8_course_the_participant_is_not_accepted_on(
    client: FlaskClient, cases: Cases, action: str
) -> None:
    person = mine(cases, "active_participant")  # accepted with Ambition on npq-headship only
    json = body(course_identifier="npq-senco", reason="other")
    response = act(client, action, person, json)
    assert failed(response, 422) == errors(("participant_id", m.NO_ACCEPTED_APPLICATION_FOR_COURSE))


@pytest.mark.parametrize("action", ["defer", "resume", "withdraw"])
@pytest.mark.parametrize("course", [{"course_identifier": "npq-foo"}, {}])
def test_d8_unknown_or_missing_course(
    client: FlaskClient, cases: Cases, action: str, course: dict[str, str]
) -> None:
    person = mine(cases, "active_participant")
    response = act(client, action, person, body(reason="other", **course))
    assert failed(response, 422) == errors(("course_identifier", m.COURSE_NOT_RECOGNISED))


def test_d8_course_of_another_providers_place(client: FlaskClient, cases: Cases) -> None:
    # The person behind this Best Practice Network place is not accepted with Ambition at all.
    theirs = cases[AMBITION.id]["other_provider_accepted_application"]
    person = data(get(client, f"/npq-applications/{theirs}", BEST_PRACTICE.token))
    response = act(
        client,
        "resume",
        person["attributes"]["participant_id"],
        body(course_identifier="npq-headship"),
    )
    assert failed(response, 404) == NOT_FOUND


# --- D9 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["defer", "resume", "withdraw", "change-schedule"])
def test_d9_unknown_participant_with_a_valid_body(client: FlaskClient, action: str) -> None:
    json = body(course_identifier="npq-headship", reason="other")
    assert failed(act(client, action, UNKNOWN_ID, json), 404) == NOT_FOUND


@pytest.mark.parametrize("action", ["defer", "resume", "withdraw", "change-schedule"])
@pytest.mark.parametrize("json", [{"data": {}}, {}, None, {"data": {"attributes": {}}}])
def test_d9_bad_body_is_checked_before_the_lookup(
    client: FlaskClient, action: str, json: Any
) -> None:
    assert failed(act(client, action, UNKNOWN_ID, json), 400) == INVALID_STRUCTURE


@pytest.mark.parametrize("action", ["defer", "resume", "withdraw", "change-schedule"])
def test_d9_merged_away_id_is_not_found_not_gone(
    client: FlaskClient, cases: Cases, action: str
) -> None:
    merged = mine(cases, "merged_from_participant_id")
    json = body(course_identifier="npq-headship", reason="other")
    assert failed(act(client, action, merged, json), 404) == NOT_FOUND


def test_d9_invisible_participant(client: FlaskClient, cases: Cases) -> None:
    json = body(course_identifier="npq-headship", reason="other")
    invisible = mine(cases, "invisible_participant")
    assert failed(act(client, "defer", invisible, json), 404) == NOT_FOUND


# --- Which enrolment an action moves -----------------------------------------------------------


def second_place(db: Database, cases: Cases, days: int) -> tuple[str, str]:
    """Give the active npq-headship 2025a person a deferred 2024a place on the same course.

    It is accepted `days` after (or before) the first; returns its id and the person's id.
    """
    first = setup.application(db, mine(cases, "accepted_application"))
    assert first.accepted_at is not None
    accepted_at = first.accepted_at + timedelta(days=days)
    second = setup.copy_application(
        db, first.id, cohort="2024a", training_status="deferred", accepted_at=accepted_at
    )
    return second.id, first.participant_id


def test_several_places_on_the_course_the_latest_accepted_is_moved(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    second, person = second_place(fresh_db, fresh_cases, days=1)
    response = act(fresh_client, "resume", person, body(course_identifier="npq-headship"))
    statuses = {e["npq_application_id"]: e["training_status"] for e in enrolments(response)}
    assert statuses == {second: "active", mine(fresh_cases, "accepted_application"): "active"}


def test_several_places_on_the_course_an_earlier_one_is_not_moved(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    _, person = second_place(fresh_db, fresh_cases, days=-1)
    response = act(fresh_client, "resume", person, body(course_identifier="npq-headship"))
    assert failed(response, 422) == errors(("participant_id", m.ALREADY_ACTIVE))


def enrolments(response: TestResponse) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data(response)["attributes"]["npq_enrolments"]
    return found


def test_an_ehco_place_is_not_found_as_aso(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    # Participant actions match the course exactly, unlike declarations (ASO and EHCO are one).
    app_id = mine(fresh_cases, "accepted_application")
    ehco = "npq-early-headship-coaching-offer"
    changed = setup.change_application(
        fresh_db, app_id, course_identifier=ehco, schedule_identifier="npq-ehco-june"
    )
    aso = body(course_identifier="npq-additional-support-offer")
    response = act(fresh_client, "resume", changed.participant_id, aso)
    assert failed(response, 422) == errors(("participant_id", m.NO_ACCEPTED_APPLICATION_FOR_COURSE))
    response = act(fresh_client, "resume", changed.participant_id, body(course_identifier=ehco))
    assert failed(response, 422) == errors(("participant_id", m.ALREADY_ACTIVE))


# --- The withdrawal instant, as declaration creation sees it ----------------------------------


def test_d7_withdrawal_instant_bounds_later_declarations(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    person = mine(fresh_cases, "active_participant")  # npq-headship, 2025a, fundable
    declared = {
        "participant_id": person,
        "course_identifier": "npq-headship",
        "delivery_partner_id": mine(fresh_cases, "delivery_partner"),
    }
    start = body(**declared, declaration_type="started", declaration_date="2025-10-15T10:00:00Z")
    data(post(fresh_client, "/participant-declarations", start, **TODAY))
    reason = body(course_identifier="npq-headship", reason="other")
    data(act(fresh_client, "withdraw", person, reason, **TODAY))
    later = {"X-With-Server-Date": "2026-12-01T09:00:00Z"}

    def retained(on: str) -> TestResponse:
        json = body(**declared, declaration_type="retained-1", declaration_date=on)
        return post(fresh_client, "/participant-declarations", json, **later)

    assert failed(retained(NOW), 422) == errors(("participant_id", m.withdrawn_on(NOW)))
    assert data(retained("2026-11-30T11:59:59Z"))["attributes"]["state"] == "eligible"
