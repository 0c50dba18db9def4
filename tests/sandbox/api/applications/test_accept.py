"""Accepting applications: docs/rules.md §5.3; edge cases C1-C10 (§20)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.store.db import Database

from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    INVALID_STRUCTURE,
    TODAY,
    Cases,
    body,
    data,
    errors,
    failed,
    get,
    mine,
    post,
)
from tests.sandbox.api import setup


def accept(client: FlaskClient, app_id: str, json: Any = None, **kw: Any) -> Any:
    return post(client, f"/npq-applications/{app_id}/accept", json, **kw)


def test_c1_accept_full_cohort_without_body(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = mine(fresh_cases, "pending_application_2023a")
    response = accept(fresh_client, app_id, **TODAY)
    accepted = data(response)["attributes"]
    assert response.status_code == 200
    assert accepted["status"] == "accepted"
    assert accepted["funded_place"] is None
    # A specialist course accepted between 3 April and 25 December starts in the autumn.
    assert accepted["schedule_identifier"] == "npq-specialist-autumn"
    assert accepted["updated_at"] == "2026-11-30T12:00:00Z"
    person = data(get(fresh_client, f"/participants/npq/{accepted['participant_id']}"))
    enrolment = next(
        e for e in person["attributes"]["npq_enrolments"] if e["npq_application_id"] == app_id
    )
    assert enrolment["training_status"] == "active"
    assert enrolment["created_at"] == "2026-11-30T12:00:00Z"


def test_c1_full_cohort_ignores_funded_place(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = mine(fresh_cases, "pending_application_2023a")
    response = accept(fresh_client, app_id, body(funded_place=True))
    assert data(response)["attributes"]["funded_place"] is None


@pytest.mark.parametrize("attributes", [None, {"funded_place": "true"}, {"funded_place": None}])
def test_c2_accept_capped_without_funded_place(
    fresh_client: FlaskClient, fresh_cases: Cases, attributes: dict[str, Any] | None
) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")
    json = None if attributes is None else body(**attributes)
    assert failed(accept(fresh_client, app_id, json), 422) == errors(
        ("funded_place", m.SET_FUNDED_PLACE)
    )


def test_c2_empty_string_is_not_a_funded_place(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")
    response = accept(fresh_client, app_id, body(funded_place=""))
    assert failed(response, 422) == errors(("funded_place", m.SET_FUNDED_PLACE))
    assert data(get(fresh_client, f"/npq-applications/{app_id}"))["attributes"]["status"] == (
        "pending"
    )


def test_c3_funded_place_true_but_not_eligible(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")
    setup.change_application(fresh_db, app_id, eligible_for_funding=False)
    shown = data(get(fresh_client, f"/npq-applications/{app_id}"))["attributes"]
    assert shown["ineligible_for_funding_reason"] == "establishment-ineligible"
    refused = accept(fresh_client, app_id, body(funded_place=True))
    assert failed(refused, 422) == errors(("application", m.NOT_ELIGIBLE_FOR_FUNDED_PLACE))
    accepted = data(accept(fresh_client, app_id, body(funded_place=False)))
    assert accepted["attributes"]["funded_place"] is False


@pytest.mark.parametrize("attributes", [None, {"funded_place": True}])
def test_c4_zero_cohort_needs_funded_place_false(
    fresh_client: FlaskClient, fresh_cases: Cases, attributes: dict[str, Any] | None
) -> None:
    app_id = mine(fresh_cases, "pending_application_2026a")
    json = None if attributes is None else body(**attributes)
    assert failed(accept(fresh_client, app_id, json), 422) == errors(
        ("funded_place", m.FUNDED_PLACE_FALSE_FOR_UNFUNDED)
    )


def test_c4_zero_cohort_accepts_funded_place_false(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    app_id = mine(fresh_cases, "pending_application_2026a")
    accepted = data(accept(fresh_client, app_id, body(funded_place=False)))["attributes"]
    assert accepted["funded_place"] is False
    assert accepted["schedule_identifier"] == "npq-specialist-spring"


def test_c5_accept_twice(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    full = mine(fresh_cases, "accepted_full_application")
    assert failed(accept(fresh_client, full), 422) == errors(("application", m.ALREADY_ACCEPTED))
    capped = mine(fresh_cases, "accepted_application")
    assert failed(accept(fresh_client, capped), 422) == errors(
        ("funded_place", m.SET_FUNDED_PLACE), ("application", m.ALREADY_ACCEPTED)
    )


def test_c6_accept_rejected(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = mine(fresh_cases, "rejected_by_provider_application")  # 2025a, capped
    refused = accept(fresh_client, app_id, body(funded_place=False))
    assert failed(refused, 422) == errors(("application", m.CANNOT_CHANGE_REJECTED))
    assert failed(accept(fresh_client, app_id), 422) == errors(
        ("funded_place", m.SET_FUNDED_PLACE), ("application", m.CANNOT_CHANGE_REJECTED)
    )


def test_c7_competing_applications(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    a1 = mine(fresh_cases, "competing_pending_application")
    a2 = mine(fresh_cases, "competing_other_provider_application")  # with Best Practice
    other_course = setup.copy_application(fresh_db, a2, course_identifier="npq-headship")
    other_cohort = setup.copy_application(fresh_db, a2, cohort="2024a")
    assert data(accept(fresh_client, a1, body(funded_place=True)))["attributes"]["status"] == (
        "accepted"
    )
    theirs = BEST_PRACTICE.token
    a2_now = data(get(fresh_client, f"/npq-applications/{a2}", theirs))["attributes"]
    assert (a2_now["status"], a2_now["reason_for_rejection"]) == (
        "rejected",
        "other_application_in_this_cohort_accepted",
    )
    for untouched in (other_course, other_cohort):
        shown = data(get(fresh_client, f"/npq-applications/{untouched.id}", theirs))
        assert shown["attributes"]["status"] == "pending"
    refused = accept(fresh_client, a2, body(funded_place=False), token=theirs)
    # DfE runs every accept check: A1 now also holds the place, so both messages come back.
    assert failed(refused, 422) == errors(
        ("application", m.CANNOT_CHANGE_REJECTED), ("application", m.ALREADY_HAD_ACCEPTED)
    )
    rejected = post(fresh_client, f"/npq-applications/{a2}/reject", token=theirs)
    assert failed(rejected, 422) == errors(("application", m.ALREADY_REJECTED))


def _register_again(db: Database, cases: Cases, **changes: Any) -> str:
    """A pending application with Ambition for the person Best Practice accepted (2025a)."""
    theirs = mine(cases, "other_provider_accepted_application")
    defaults: dict[str, Any] = {"lead_provider_id": AMBITION.id, "status": "pending"}
    defaults |= {"training_status": None, "schedule_identifier": None, "accepted_at": None}
    return setup.copy_application(db, theirs, **(defaults | changes)).id


def test_c8_accepted_elsewhere_blocks_accept(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    app_id = _register_again(fresh_db, fresh_cases)
    refused = accept(fresh_client, app_id, body(funded_place=True))
    assert failed(refused, 422) == errors(("application", m.ALREADY_HAD_ACCEPTED))


def test_c8_same_verified_trn_blocks_accept(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    theirs = mine(fresh_cases, "other_provider_accepted_application")
    holder = setup.participant(fresh_db, setup.application(fresh_db, theirs).participant_id)
    setup.change_participant(fresh_db, holder.id, trn="1234567", trn_verified=True)
    app_id = setup.copy_application(
        fresh_db,
        mine(fresh_cases, "pending_application_2025a"),
        course_identifier="npq-headship",
        trn="1234567",
        trn_verified=True,
    ).id
    refused = accept(fresh_client, app_id, body(funded_place=True))
    assert failed(refused, 422) == errors(("application", m.ALREADY_HAD_ACCEPTED))


def test_c8_ehco_and_aso_count_as_one_course(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    theirs = mine(fresh_cases, "other_provider_accepted_application")
    setup.change_application(fresh_db, theirs, course_identifier="npq-additional-support-offer")
    app_id = _register_again(
        fresh_db, fresh_cases, course_identifier="npq-early-headship-coaching-offer"
    )
    refused = accept(fresh_client, app_id, body(funded_place=True))
    assert failed(refused, 422) == errors(("application", m.ALREADY_HAD_ACCEPTED))


def test_c8_other_cohort_does_not_block(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    app_id = _register_again(fresh_db, fresh_cases, cohort="2024a")
    assert data(accept(fresh_client, app_id, body(funded_place=True), **TODAY))


def test_c8_withdrawn_place_is_replaced(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    theirs = mine(fresh_cases, "other_provider_accepted_application")
    setup.change_application(fresh_db, theirs, training_status="withdrawn")
    app_id = _register_again(fresh_db, fresh_cases)
    assert data(accept(fresh_client, app_id, body(funded_place=True)))
    old = data(get(fresh_client, f"/npq-applications/{theirs}", BEST_PRACTICE.token))
    assert (old["attributes"]["status"], old["attributes"]["reason_for_rejection"]) == (
        "rejected",
        "other_application_in_this_cohort_accepted",
    )


def test_c9_accept_with_a_schedule(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")  # npq-senior-leadership
    attributes = {"funded_place": True, "schedule_identifier": "npq-leadership-spring"}
    accepted = data(accept(fresh_client, app_id, body(**attributes)))["attributes"]
    assert accepted["schedule_identifier"] == "npq-leadership-spring"


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("npq-ehco-november", m.SCHEDULE_NOT_FOR_COURSE),
        ("any-schedule", m.SCHEDULE_NOT_IN_COHORT),
        ("npq-aso-december", m.SCHEDULE_NOT_IN_COHORT),  # exists in 2021a only
    ],
)
def test_c9_accept_with_a_wrong_schedule(
    fresh_client: FlaskClient, fresh_cases: Cases, schedule: str, message: str
) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")
    refused = accept(fresh_client, app_id, body(funded_place=True, schedule_identifier=schedule))
    assert failed(refused, 422) == errors(("schedule_identifier", message))


@pytest.mark.parametrize("json", [{"data": {"type": "npq-application-accept"}}, {"data": {}}])
def test_c10_accept_body_without_attributes(
    fresh_client: FlaskClient, fresh_cases: Cases, json: dict[str, Any]
) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")
    assert failed(accept(fresh_client, app_id, json), 400) == INVALID_STRUCTURE
