"""Changing a participant's schedule (and with it, maybe the cohort).

docs/rules.md §7.7; edge cases E1-E11 (§20).

The sandbox carries DfE's sandbox cohort 2025b, which shadows 2025a for every schedule
identifier: a 2025a participant asking for any schedule of 2025 moves to 2025b.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.store.db import Database
from werkzeug.test import TestResponse

from tests.helpers import AMBITION, NOW, TODAY, Cases, body, data, errors, failed, get, mine, put
from tests.sandbox.api import setup


def change(client: FlaskClient, person: str, **attributes: Any) -> TestResponse:
    return put(client, f"/participants/npq/{person}/change-schedule", body(**attributes), **TODAY)


def place(db: Database, cases: Cases, name: str, **changes: Any) -> tuple[str, str, str]:
    """The participant id, course and application id of a seeded application, changed as asked."""
    app_id = mine(cases, name)
    found = setup.change_application(db, app_id, **changes)
    return found.participant_id, found.course_identifier, app_id


def declare(db: Database, cases: Cases, app_id: str, template: str, **changes: Any) -> None:
    setup.copy_declaration(db, mine(cases, template), app_id, **changes)


def enrolment(response: TestResponse, app_id: str) -> dict[str, Any]:
    enrolments = data(response)["attributes"]["npq_enrolments"]
    (found,) = [e for e in enrolments if e["npq_application_id"] == app_id]
    return found


def placed(enrolment: dict[str, Any]) -> tuple[str, str, str, Any]:
    keys = ("schedule_identifier", "cohort", "cohort_suffix", "funded_place")
    return tuple(enrolment[k] for k in keys)  # type: ignore[return-value]


# --- E1 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("cohort", [{}, {"cohort": "2024"}, {"cohort": 2024}])
def test_e1_same_schedule(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases, cohort: dict[str, Any]
) -> None:
    # 2024 has no `b` cohort, so npq-leadership-autumn of 2024 is the participant's own.
    person, course, _ = place(fresh_db, fresh_cases, "multi_application_accepted_application")
    response = change(
        fresh_client,
        person,
        schedule_identifier="npq-leadership-autumn",
        course_identifier=course,
        **cohort,
    )
    assert failed(response, 422) == errors(("schedule_identifier", m.ALREADY_ON_SCHEDULE))


def test_e1_same_identifier_in_a_shadowed_year_moves_to_b(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, app_id = place(
        fresh_db, fresh_cases, "accepted_application", schedule_identifier="npq-leadership-spring"
    )
    response = change(
        fresh_client, person, schedule_identifier="npq-leadership-spring", course_identifier=course
    )
    assert placed(enrolment(response, app_id))[:3] == ("npq-leadership-spring", "2025", "b")


# --- E2 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schedule",
    [
        {"schedule_identifier": "invalid"},
        {},
        {"schedule_identifier": ""},
        {"schedule_identifier": None},
        # Found in no cohort of the year asked for (2024 has no spring schedules).
        {"schedule_identifier": "npq-leadership-spring", "cohort": "2024"},
        {"schedule_identifier": "npq-leadership-autumn", "cohort": "1999"},
        {"schedule_identifier": "npq-leadership-autumn", "cohort": ""},
        {"schedule_identifier": "npq-leadership-autumn", "cohort": "next"},
    ],
)
def test_e2_unknown_schedule(client: FlaskClient, cases: Cases, schedule: dict[str, Any]) -> None:
    person = mine(cases, "active_participant")
    response = change(client, person, course_identifier="npq-headship", **schedule)
    assert failed(response, 422) == errors(("schedule_identifier", m.SCHEDULE_MUST_BE_PRESENT))


# --- E3 ---------------------------------------------------------------------------------------


def test_e3_schedule_of_another_course_group(client: FlaskClient, cases: Cases) -> None:
    person = mine(cases, "active_participant")
    response = change(
        client,
        person,
        schedule_identifier="npq-specialist-autumn",
        course_identifier="npq-headship",
    )
    assert failed(response, 422) == errors(("schedule_identifier", m.SCHEDULE_NOT_FOR_COURSE))


# --- E4 ---------------------------------------------------------------------------------------


def test_e4_withdrawn_participant(client: FlaskClient, cases: Cases) -> None:
    app = data(get(client, f"/npq-applications/{mine(cases, 'withdrawn_application')}"))
    person, course = app["attributes"]["participant_id"], app["attributes"]["course_identifier"]
    response = change(
        client,
        person,
        schedule_identifier="npq-specialist-autumn",
        course_identifier=course,
        cohort="2025",
    )
    assert failed(response, 422) == errors(("participant_id", m.ALREADY_WITHDRAWN))


def test_e4_deferred_participant_may_change_schedule(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, app_id = place(
        fresh_db, fresh_cases, "accepted_application", training_status="deferred"
    )
    response = change(
        fresh_client, person, schedule_identifier="npq-leadership-spring", course_identifier=course
    )
    moved = enrolment(response, app_id)
    assert placed(moved)[:3] == ("npq-leadership-spring", "2025", "b")
    assert moved["training_status"] == "deferred"


# --- E5 ---------------------------------------------------------------------------------------


def test_e5_declaration_before_the_new_start(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, app_id = place(fresh_db, fresh_cases, "accepted_application")
    declare(
        fresh_db, fresh_cases, app_id, "declaration_eligible", declaration_date=_at("2025-11-01")
    )
    response = change(
        fresh_client, person, schedule_identifier="npq-leadership-spring", course_identifier=course
    )
    assert failed(response, 422) == errors(("schedule_identifier", m.SCHEDULE_CHANGE_INVALIDATES))


def test_e5_declaration_type_the_new_schedule_lacks(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    # Specialist schedules have no retained-2.
    person, course, app_id = place(fresh_db, fresh_cases, "application_targeted_delivery")
    declare(
        fresh_db,
        fresh_cases,
        app_id,
        "declaration_submitted",
        declaration_type="retained-2",
        declaration_date=_at("2026-06-01"),
    )
    response = change(
        fresh_client, person, schedule_identifier="npq-specialist-spring", course_identifier=course
    )
    assert failed(response, 422) == errors(("schedule_identifier", m.SCHEDULE_CHANGE_INVALIDATES))


@pytest.mark.parametrize(
    "template", ["declaration_voided", "declaration_ineligible", "declaration_clawed_back"]
)
def test_e5_declarations_that_are_not_live_are_ignored(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases, template: str
) -> None:
    person, course, app_id = place(fresh_db, fresh_cases, "accepted_application")
    declare(fresh_db, fresh_cases, app_id, template, declaration_date=_at("2025-11-01"))
    response = change(
        fresh_client, person, schedule_identifier="npq-leadership-spring", course_identifier=course
    )
    assert placed(enrolment(response, app_id))[:3] == ("npq-leadership-spring", "2025", "b")


# --- E6 ---------------------------------------------------------------------------------------


def test_e6_cohort_change_with_live_declarations(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, app_id = place(fresh_db, fresh_cases, "accepted_application")
    declare(
        fresh_db, fresh_cases, app_id, "declaration_eligible", declaration_date=_at("2025-11-01")
    )
    response = change(
        fresh_client,
        person,
        schedule_identifier="npq-leadership-autumn",
        course_identifier=course,
        cohort="2024",
    )
    assert failed(response, 422) == errors(("cohort", m.COHORT_CHANGE_WITH_DECLARATIONS))


# --- E7 ---------------------------------------------------------------------------------------


def test_e7_capped_to_full(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, _ = place(fresh_db, fresh_cases, "multi_application_accepted_application")
    response = change(
        fresh_client,
        person,
        schedule_identifier="npq-leadership-autumn",
        course_identifier=course,
        cohort="2023",
    )
    assert failed(response, 422) == errors(("cohort", m.COHORT_CAPPED_TO_FULL))


# --- E8 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("eligible", "cohort"), [(True, "2024"), (False, 2024)])
def test_e8_full_to_capped(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases, eligible: bool, cohort: Any
) -> None:
    person, course, app_id = place(
        fresh_db, fresh_cases, "accepted_full_application", eligible_for_funding=eligible
    )
    response = change(
        fresh_client,
        person,
        schedule_identifier="npq-leadership-autumn",
        course_identifier=course,
        cohort=cohort,
    )
    moved = enrolment(response, app_id)
    assert placed(moved) == ("npq-leadership-autumn", "2024", "a", eligible)
    assert moved["training_status"] == "active"
    assert data(response)["attributes"]["updated_at"] == NOW
    application = data(get(fresh_client, f"/npq-applications/{app_id}"))["attributes"]
    assert (application["cohort"], application["updated_at"]) == ("2024", NOW)


# --- E9 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("schedule", ["npq-leadership-autumn", "npq-leadership-spring"])
def test_e9_zero_to_funded_through_the_b_cohort(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases, schedule: str
) -> None:
    person, course, _ = place(
        fresh_db,
        fresh_cases,
        "accepted_zero_application",
        schedule_identifier="npq-leadership-spring",
    )
    response = change(fresh_client, person, schedule_identifier=schedule, course_identifier=course)
    assert failed(response, 422) == errors(("cohort", m.COHORT_UNFUNDED_TO_FUNDED))


# --- E10 --------------------------------------------------------------------------------------


def test_e10_silent_move_to_the_b_cohort(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, app_id = place(
        fresh_db, fresh_cases, "accepted_application", schedule_identifier="npq-leadership-spring"
    )
    response = change(
        fresh_client, person, schedule_identifier="npq-leadership-autumn", course_identifier=course
    )
    # Capped to capped: the funded place stays as it was.
    assert placed(enrolment(response, app_id)) == ("npq-leadership-autumn", "2025", "b", True)


def test_e10_no_silent_move_with_a_payable_declaration(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, app_id = place(
        fresh_db, fresh_cases, "accepted_application", schedule_identifier="npq-leadership-spring"
    )
    declare(
        fresh_db, fresh_cases, app_id, "declaration_payable", declaration_date=_at("2026-02-01")
    )
    response = change(
        fresh_client, person, schedule_identifier="npq-leadership-autumn", course_identifier=course
    )
    assert failed(response, 422) == errors(("cohort", m.COHORT_CHANGE_WITH_DECLARATIONS))


# --- E11 --------------------------------------------------------------------------------------


def test_e11_no_contract_for_the_target_cohort(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    # Seeds hold no SENCO contract before 2024.
    person, course, _ = place(
        fresh_db, fresh_cases, "accepted_full_application", course_identifier="npq-senco"
    )
    response = change(
        fresh_client,
        person,
        schedule_identifier="npq-leadership-autumn",
        course_identifier=course,
        cohort="2022",
    )
    assert failed(response, 422) == errors(("cohort", m.NO_CONTRACT_FOR_COHORT_CHANGE))


def test_e11_from_a_capped_cohort_both_cohort_rules_fail(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    # The funding-cap rule runs even after an error; the contract rule only before one.
    person, course, _ = place(fresh_db, fresh_cases, "accepted_capped_unfunded_application")
    response = change(
        fresh_client,
        person,
        schedule_identifier="npq-leadership-autumn",
        course_identifier=course,
        cohort="2023",
    )
    assert failed(response, 422) == errors(
        ("cohort", m.NO_CONTRACT_FOR_COHORT_CHANGE), ("cohort", m.COHORT_CAPPED_TO_FULL)
    )


# --- Shared rules -----------------------------------------------------------------------------


def test_a_refused_change_writes_nothing(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    person, course, _ = place(fresh_db, fresh_cases, "multi_application_accepted_application")
    before = data(get(fresh_client, f"/participants/npq/{person}"))
    response = change(
        fresh_client,
        person,
        schedule_identifier="npq-leadership-autumn",
        course_identifier=course,
        cohort="2023",
    )
    failed(response, 422)
    assert data(get(fresh_client, f"/participants/npq/{person}")) == before


@pytest.mark.parametrize(
    ("course", "expected"),
    [
        ("npq-foo", errors(("course_identifier", m.COURSE_NOT_RECOGNISED))),
        ("npq-senco", errors(("participant_id", m.NO_ACCEPTED_APPLICATION_FOR_COURSE))),
    ],
)
def test_course_rules_come_first(
    client: FlaskClient, cases: Cases, course: str, expected: dict[str, Any]
) -> None:
    person = mine(cases, "active_participant")
    response = change(
        client, person, schedule_identifier="npq-leadership-spring", course_identifier=course
    )
    assert failed(response, 422) == expected


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=UTC)


def test_change_schedule_before_any_cohort_opened(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    """A server date before the first cohort: DfE would fail on a nil cohort; we answer 422."""
    participant_id = fresh_cases[AMBITION.id]["active_participant"]
    attributes = {"schedule_identifier": "npq-leadership-spring", "course_identifier": "npq-senco"}
    response = put(
        fresh_client,
        f"/participants/npq/{participant_id}/change-schedule",
        body(**attributes),
        **{"X-With-Server-Date": "2000-06-24T16:39:19.0Z"},
    )
    assert failed(response, 422) == errors(
        ("participant_id", m.NO_ACCEPTED_APPLICATION_FOR_COURSE),
        ("schedule_identifier", m.SCHEDULE_MUST_BE_PRESENT),
    )
