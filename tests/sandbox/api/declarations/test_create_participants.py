"""Declaring: the participant and the course declared for.

docs/rules.md §8.3 and §8.4; edge cases F8-F12 (§20).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.domain.states import TrainingStatus
from npq_sandbox.store.db import Database

from tests.helpers import BEST_PRACTICE, Cases, data, errors, failed, get, mine
from tests.sandbox.api import setup
from tests.sandbox.api.declarations.calls import declare, for_application, started


def test_f8_deferred_participant(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    app_id = mine(fresh_cases, "deferred_application")
    attributes = {**for_application(fresh_db, app_id), "declaration_type": "retained-1"}
    response = declare(fresh_client, started(fresh_cases, **attributes))
    assert data(response)["attributes"]["state"] == "eligible"


WITHDRAWN_AT = datetime(2026, 3, 10, 12, tzinfo=UTC)


def withdraw(db: Database, cases: Cases) -> None:
    app_id = mine(cases, "accepted_application")
    setup.add_status_change(db, app_id, TrainingStatus.WITHDRAWN, WITHDRAWN_AT, "other")


def test_f9_withdrawn_backdated(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    withdraw(fresh_db, fresh_cases)
    before = declare(fresh_client, started(fresh_cases, declaration_date="2026-03-10T11:59:59Z"))
    assert data(before)["attributes"]["state"] == "eligible"


@pytest.mark.parametrize("value", ["2026-03-10T12:00:00Z", "2026-03-11T09:00:00+01:00"])
def test_f9_withdrawn_not_backdated(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database, value: str
) -> None:
    withdraw(fresh_db, fresh_cases)
    response = declare(fresh_client, started(fresh_cases, declaration_date=value))
    assert failed(response, 422) == errors(
        ("participant_id", m.withdrawn_on("2026-03-10T12:00:00Z"))
    )


def test_f9_after_resume(fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database) -> None:
    withdraw(fresh_db, fresh_cases)
    resumed = datetime(2026, 4, 1, tzinfo=UTC)
    app_id = mine(fresh_cases, "accepted_application")
    setup.add_status_change(fresh_db, app_id, TrainingStatus.ACTIVE, resumed, None)
    later = declare(fresh_client, started(fresh_cases, declaration_date="2026-05-01T10:00:00Z"))
    assert data(later)["attributes"]["state"] == "eligible"


@pytest.mark.parametrize("value", [None, "", "not a date"])
def test_f9_withdrawn_without_date(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database, value: str | None
) -> None:
    withdraw(fresh_db, fresh_cases)
    response = declare(fresh_client, started(fresh_cases, declaration_date=value))
    assert failed(response, 400) == errors(("Bad request", m.WITHDRAWN_WITHOUT_DATE))


@pytest.mark.parametrize(
    "participant", ["invisible_participant", "random", "not-a-uuid", "pending_participant"]
)
def test_f10_participant_not_accepted_with_caller(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database, participant: str
) -> None:
    ids = {
        "random": str(uuid.uuid4()),
        "not-a-uuid": "not-a-uuid",
        "pending_participant": setup.application(
            fresh_db, mine(fresh_cases, "pending_application")
        ).participant_id,
    }
    person = ids.get(participant) or mine(fresh_cases, participant)
    response = declare(fresh_client, started(fresh_cases, participant_id=person))
    assert failed(response, 422) == errors(("participant_id", m.PARTICIPANT_NOT_RECOGNISED))


def test_f10_merged_participant_id(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    old = mine(fresh_cases, "merged_from_participant_id")
    new = mine(fresh_cases, "merged_participant")
    response = declare(fresh_client, started(fresh_cases, participant_id=old))
    assert failed(response, 422) == errors(("participant_id", m.participant_id_replaced(old, new)))


def test_f11_wrong_course(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    response = declare(fresh_client, started(fresh_cases, course_identifier="npq-senco"))
    assert failed(response, 422) == errors(("course_identifier", m.COURSE_NOT_RECOGNISED))


@pytest.mark.parametrize("course", [None, "npq-unknown"])
def test_f11_missing_or_unknown_course(
    fresh_client: FlaskClient, fresh_cases: Cases, course: str | None
) -> None:
    response = declare(fresh_client, started(fresh_cases, course_identifier=course))
    assert failed(response, 422) == errors(("course_identifier", m.COURSE_NOT_RECOGNISED))


def test_f11_course_accepted_with_another_provider(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    template = mine(fresh_cases, "accepted_application")
    setup.copy_application(
        fresh_db, template, lead_provider_id=BEST_PRACTICE.id, course_identifier="npq-senco"
    )
    response = declare(fresh_client, started(fresh_cases, course_identifier="npq-senco"))
    assert failed(response, 422) == errors(("application", m.APPLICATION_MISSING_SCHEDULE))


@pytest.mark.parametrize("has_passed", [None, "maybe", 1])
def test_f12_completed_needs_has_passed(
    fresh_client: FlaskClient, fresh_cases: Cases, has_passed: Any
) -> None:
    completed = started(fresh_cases, declaration_type="completed", has_passed=has_passed)
    assert failed(declare(fresh_client, completed), 422) == errors(
        ("has_passed", m.HAS_PASSED_REQUIRED)
    )


@pytest.mark.parametrize(
    ("has_passed", "shown", "state"),
    [(True, True, "passed"), ("true", True, "passed"), (False, False, "failed")],
)
def test_f12_completed_records_an_outcome(
    fresh_client: FlaskClient, fresh_cases: Cases, has_passed: Any, shown: bool, state: str
) -> None:
    completed = started(
        fresh_cases,
        declaration_type="completed",
        declaration_date="2026-07-20T23:30:00Z",
        has_passed=has_passed,
    )
    assert data(declare(fresh_client, completed))["attributes"]["has_passed"] is shown
    person = mine(fresh_cases, "active_participant")
    [outcome] = data(get(fresh_client, f"/participants/npq/{person}/outcomes"))
    assert outcome["attributes"]["state"] == state
    assert outcome["attributes"]["completion_date"] == "2026-07-20T00:00:00+00:00"
    assert outcome["attributes"]["course_identifier"] == "npq-headship"


def test_f12_ehco_completed_ignores_has_passed(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    template = mine(fresh_cases, "accepted_application")
    ehco = setup.copy_application(
        fresh_db,
        template,
        new_person=True,
        course_identifier="npq-early-headship-coaching-offer",
        schedule_identifier="npq-ehco-november",
    )
    attributes = {
        **for_application(fresh_db, ehco.id),
        "declaration_type": "completed",
        "declaration_date": "2026-07-20T10:00:00Z",
    }
    created = data(declare(fresh_client, started(fresh_cases, **attributes)))
    assert created["attributes"]["has_passed"] is None
    assert data(get(fresh_client, f"/participants/npq/{ehco.participant_id}/outcomes")) == []


def test_f12_aso_declares_on_an_ehco_application(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    template = mine(fresh_cases, "accepted_application")
    ehco = setup.copy_application(
        fresh_db,
        template,
        new_person=True,
        course_identifier="npq-early-headship-coaching-offer",
        schedule_identifier="npq-ehco-november",
    )
    attributes = {
        "participant_id": ehco.participant_id,
        "course_identifier": "npq-additional-support-offer",
        "declaration_date": "2025-11-15T10:00:00Z",
    }
    created = data(declare(fresh_client, started(fresh_cases, **attributes)))["attributes"]
    assert created["course_identifier"] == "npq-early-headship-coaching-offer"
