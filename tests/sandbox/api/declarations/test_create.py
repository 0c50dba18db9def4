"""SCENARIOS.md section F: creating declarations."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from sandbox.domain import messages as m
from sandbox.domain.states import TrainingStatus
from sandbox.store.db import Database
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
    put,
)
from tests.sandbox.api import setup

DATE = "2025-10-15T10:00:00Z"


def declare(client: FlaskClient, json: Any, **headers: str) -> Any:
    return post(client, "/participant-declarations", json, **{**TODAY, **headers})


def started(cases: Cases, **changes: Any) -> dict[str, Any]:
    """A valid `started` for the seed's active, fundable 2025a headship participant."""
    attributes = {
        "participant_id": mine(cases, "active_participant"),
        "declaration_type": "started",
        "declaration_date": DATE,
        "course_identifier": "npq-headship",
        "delivery_partner_id": mine(cases, "delivery_partner"),
    }
    return body(**{**attributes, **changes})


def for_application(db: Database, app_id: str) -> dict[str, Any]:
    found = setup.application(db, app_id)
    return {"participant_id": found.participant_id, "course_identifier": found.course_identifier}


def test_f1_fundable_started_declaration(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    created = data(declare(fresh_client, started(fresh_cases)))
    attributes = created["attributes"]
    assert attributes["state"] == "eligible"
    expected = setup.next_statement_id(fresh_db, AMBITION.id, "2025a", date(2026, 11, 30))
    assert attributes["statement_id"] == expected
    assert (attributes["has_passed"], attributes["uplift_paid"]) == (None, False)
    assert attributes["lead_provider_name"] == AMBITION.name
    assert attributes["created_at"] == attributes["updated_at"] == "2026-11-30T12:00:00Z"
    shown = data(get(fresh_client, f"/participant-declarations/{created['id']}"))
    assert shown == created


@pytest.mark.parametrize(
    "changes",
    [{"funded_place": False}, {"eligible_for_funding": False}],
)
def test_f2_non_fundable_application(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database, changes: dict[str, Any]
) -> None:
    setup.change_application(fresh_db, mine(fresh_cases, "accepted_application"), **changes)
    attributes = data(declare(fresh_client, started(fresh_cases)))["attributes"]
    assert (attributes["state"], attributes["statement_id"]) == ("submitted", None)


def test_f2_zero_cohort_stays_submitted(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    app_id = mine(fresh_cases, "accepted_zero_application")
    attributes = {**for_application(fresh_db, app_id), "declaration_date": "2026-10-05T09:00:00Z"}
    response = declare(fresh_client, started(fresh_cases, **attributes))
    assert data(response)["attributes"]["state"] == "submitted"


def test_f2_previously_funded(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    template = mine(fresh_cases, "accepted_application")
    earlier = datetime(2024, 5, 1, tzinfo=UTC)
    setup.copy_application(fresh_db, template, cohort="2024a", created_at=earlier)
    attributes = data(declare(fresh_client, started(fresh_cases)))["attributes"]
    assert (attributes["state"], attributes["application_id"]) == ("submitted", template)


def test_f3_same_type_twice(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    first = data(declare(fresh_client, started(fresh_cases)))
    again = declare(fresh_client, started(fresh_cases, declaration_date="2025-11-01T10:00:00Z"))
    assert failed(again, 422) == errors(("base", m.ALREADY_DECLARED))
    data(put(fresh_client, f"/participant-declarations/{first['id']}/void"))
    second = data(declare(fresh_client, started(fresh_cases)))
    assert second["id"] != first["id"]
    assert second["attributes"]["state"] == "eligible"


def test_f3_identical_post_is_refused_not_duplicated(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    data(declare(fresh_client, started(fresh_cases)))
    assert failed(declare(fresh_client, started(fresh_cases)), 422) == errors(
        ("base", m.ALREADY_DECLARED)
    )
    listed = get(
        fresh_client,
        f"/participant-declarations?filter[participant_id]="
        f"{mine(fresh_cases, 'active_participant')}",
    )
    assert len(data(listed)) == 1


def test_f3_repost_on_an_older_application_returns_it(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    """DfE's idempotent re-post: the same event already declared on another application."""
    first = data(declare(fresh_client, started(fresh_cases)))
    template = mine(fresh_cases, "accepted_application")
    later = datetime(2026, 11, 1, tzinfo=UTC)
    setup.copy_application(fresh_db, template, cohort="2025b", created_at=later)
    again = data(declare(fresh_client, started(fresh_cases)))
    assert again == first


def test_f4_type_not_in_schedule(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    app_id = mine(fresh_cases, "merged_application")  # specialist, 2024a autumn
    attributes = {**for_application(fresh_db, app_id), "declaration_type": "retained-2"}
    response = declare(fresh_client, started(fresh_cases, **attributes))
    assert failed(response, 422) == errors(("declaration_type", m.TYPE_NOT_IN_SCHEDULE))


def test_f4_unknown_and_missing_type(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    unknown = declare(fresh_client, started(fresh_cases, declaration_type="started-1"))
    assert failed(unknown, 422) == errors(("declaration_type", m.DECLARATION_TYPE_NOT_RECOGNISED))
    missing = declare(fresh_client, started(fresh_cases, declaration_type=None))
    assert failed(missing, 422) == errors(
        ("declaration_type", m.ENTER_DECLARATION_TYPE),
        ("declaration_type", m.DECLARATION_TYPE_NOT_RECOGNISED),
    )


def test_f5_date_before_schedule_start(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    early = declare(fresh_client, started(fresh_cases, declaration_date="2025-09-30T23:59:59Z"))
    assert failed(early, 422) == errors(("declaration_date", m.DATE_BEFORE_SCHEDULE_START))
    at_start = declare(fresh_client, started(fresh_cases, declaration_date="2025-10-01T00:00:00Z"))
    assert data(at_start)["attributes"]["declaration_date"] == "2025-10-01T00:00:00Z"


def test_f6_date_in_the_future(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    late = declare(fresh_client, started(fresh_cases, declaration_date="2026-11-30T12:00:01Z"))
    assert failed(late, 422) == errors(("declaration_date", m.DATE_IN_FUTURE))
    today = declare(fresh_client, started(fresh_cases, declaration_date="2026-11-30T00:00:00Z"))
    assert data(today)["attributes"]["state"] == "eligible"


def test_f6_no_milestone_windows(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    """A `retained-2` inside the first weeks, with no `started` before it, is accepted."""
    early = started(fresh_cases, declaration_type="retained-2", declaration_date=DATE)
    assert data(declare(fresh_client, early))["attributes"]["declaration_type"] == "retained-2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-15", [m.INVALID_DECLARATION_DATE]),
        ("2023-19-01T11:21:55Z", [m.INVALID_DECLARATION_DATE, m.ENTER_DECLARATION_DATE]),
        ("2025-10-15T25:00:00Z", [m.INVALID_DECLARATION_DATE, m.ENTER_DECLARATION_DATE]),
        ("15/10/2025", [m.INVALID_DECLARATION_DATE, m.ENTER_DECLARATION_DATE]),
        ("", [m.ENTER_DECLARATION_DATE]),
    ],
)
def test_f7_date_format(
    fresh_client: FlaskClient, fresh_cases: Cases, value: str, expected: list[str]
) -> None:
    response = declare(fresh_client, started(fresh_cases, declaration_date=value))
    assert failed(response, 422) == errors(*(("declaration_date", d) for d in expected))


def test_f7_date_only_before_the_schedule_fails_twice(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    """A date alone still casts (to midnight), so the schedule check runs on it too."""
    response = declare(fresh_client, started(fresh_cases, declaration_date="2025-09-01"))
    assert failed(response, 422) == errors(
        ("declaration_date", m.INVALID_DECLARATION_DATE),
        ("declaration_date", m.DATE_BEFORE_SCHEDULE_START),
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2025-10-15T10:00:00+01:00", "2025-10-15T09:00:00Z"),
        ("2025-10-15T10:00:00-0230", "2025-10-15T12:30:00Z"),
        ("2025-10-15t10:00:00z", "2025-10-15T10:00:00Z"),
        ("2025-10-15T10:00:00", "2025-10-15T10:00:00Z"),
        ("2025-10-15T10:00:00.75Z", "2025-10-15T10:00:00Z"),
    ],
)
def test_f7_offsets_are_converted_to_utc(
    fresh_client: FlaskClient, fresh_cases: Cases, value: str, shown: str
) -> None:
    response = declare(fresh_client, started(fresh_cases, declaration_date=value))
    assert data(response)["attributes"]["declaration_date"] == shown


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


def test_f13_partner_missing(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    response = declare(fresh_client, started(fresh_cases, delivery_partner_id=None))
    assert failed(response, 422) == errors(
        ("delivery_partner_id", m.partner_must_be_present("delivery_partner_id"))
    )


def test_f13_partners_that_do_not_exist(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    unknown = started(
        fresh_cases,
        delivery_partner_id=str(uuid.uuid4()),
        secondary_delivery_partner_id="",
        declaration_type="completed",
    )
    assert failed(declare(fresh_client, unknown), 422) == errors(
        ("has_passed", m.HAS_PASSED_REQUIRED),
        ("delivery_partner_id", m.partner_does_not_exist("delivery_partner_id")),
        (
            "secondary_delivery_partner_id",
            m.partner_does_not_exist("secondary_delivery_partner_id"),
        ),
    )


@pytest.mark.parametrize("case", ["unpartnered_delivery_partner", "delivery_partner_2025a_only"])
def test_f13_partner_not_confirmed_for_the_cohort(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database, case: str
) -> None:
    if case == "delivery_partner_2025a_only":  # move the participant to 2025b
        setup.change_application(
            fresh_db, mine(fresh_cases, "accepted_application"), cohort="2025b"
        )
    attributes = {"delivery_partner_id": mine(fresh_cases, case)}
    response = declare(fresh_client, started(fresh_cases, **attributes))
    assert failed(response, 422) == errors(
        ("delivery_partner_id", m.partner_not_confirmed("delivery_partner_id"))
    )


def test_f13_secondary_rules(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    partner = mine(fresh_cases, "delivery_partner")
    same = declare(fresh_client, started(fresh_cases, secondary_delivery_partner_id=partner))
    assert failed(same, 422) == errors(
        ("secondary_delivery_partner_id", m.SECONDARY_SAME_AS_PRIMARY)
    )
    alone = started(fresh_cases, delivery_partner_id=None, secondary_delivery_partner_id=partner)
    assert failed(declare(fresh_client, alone), 422) == errors(
        ("delivery_partner_id", m.partner_must_be_present("delivery_partner_id")),
        ("secondary_delivery_partner_id", m.SECONDARY_WITHOUT_PRIMARY),
    )


def test_f13_secondary_partner_is_shown(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    secondary = mine(fresh_cases, "delivery_partner_2025a_only")
    response = declare(fresh_client, started(fresh_cases, secondary_delivery_partner_id=secondary))
    attributes = data(response)["attributes"]
    assert attributes["secondary_delivery_partner_id"] == secondary
    assert attributes["secondary_delivery_partner_name"]


@pytest.mark.parametrize("catchment", ["scotland", "another"])
def test_f13_outside_england(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database, catchment: str
) -> None:
    app_id = mine(fresh_cases, "accepted_application")
    setup.change_application(fresh_db, app_id, teacher_catchment=catchment)
    both = started(
        fresh_cases, secondary_delivery_partner_id=mine(fresh_cases, "delivery_partner_2025a_only")
    )
    assert failed(declare(fresh_client, both), 422) == errors(
        ("delivery_partner_id", m.partner_outside_england("delivery_partner_id")),
        (
            "secondary_delivery_partner_id",
            m.partner_outside_england("secondary_delivery_partner_id"),
        ),
    )
    without = declare(fresh_client, started(fresh_cases, delivery_partner_id=None))
    assert data(without)["attributes"]["delivery_partner_id"] is None


def test_f13_no_partner_needed_before_2024(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    app_id = mine(fresh_cases, "accepted_application")
    setup.change_application(fresh_db, app_id, cohort="2023a", eligible_for_funding=False)
    response = declare(fresh_client, started(fresh_cases, delivery_partner_id=None))
    assert data(response)["attributes"]["state"] == "submitted"


def test_f14_duplicate_across_participant_records(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    original_id = mine(fresh_cases, "declaration_eligible")
    original = data(get(fresh_client, f"/participant-declarations/{original_id}"))["attributes"]
    twin = setup.copy_application(fresh_db, original["application_id"], new_person=True)
    attributes = {**for_application(fresh_db, twin.id), "declaration_date": DATE}
    created = data(declare(fresh_client, started(fresh_cases, **attributes)))["attributes"]
    assert created["state"] == "ineligible"
    assert (created["statement_id"], created["ineligible_for_funding_reason"]) == (None, None)


def test_f14_other_trn_is_not_a_duplicate(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    original_id = mine(fresh_cases, "declaration_eligible")
    original = data(get(fresh_client, f"/participant-declarations/{original_id}"))["attributes"]
    other = setup.copy_application(fresh_db, original["application_id"], trn="9999999")
    attributes = {**for_application(fresh_db, other.id), "declaration_date": DATE}
    assert (
        data(declare(fresh_client, started(fresh_cases, **attributes)))["attributes"]["state"]
        == "eligible"
    )


def test_f15_contract_ended(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    app_id = mine(fresh_cases, "accepted_application")
    setup.change_application(fresh_db, app_id, cohort="2021a")
    attributes = {"declaration_date": "2021-10-15T10:00:00Z", "delivery_partner_id": None}
    refused = declare(fresh_client, started(fresh_cases, **attributes))
    assert failed(refused, 422) == errors(("cohort", m.contract_ended(2021)))
    setup.change_application(fresh_db, app_id, funded_place=False)
    allowed = declare(fresh_client, started(fresh_cases, **attributes))
    assert data(allowed)["attributes"]["state"] == "submitted"


def test_f16_no_contract_for_course(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    app_id = mine(fresh_cases, "accepted_application")
    setup.change_application(fresh_db, app_id, cohort="2023a", course_identifier="npq-senco")
    attributes = {"course_identifier": "npq-senco", "declaration_date": "2023-10-15T10:00:00Z"}
    response = declare(fresh_client, started(fresh_cases, **attributes))
    assert failed(response, 422) == errors(("cohort", m.NO_CONTRACT_FOR_DECLARATION))


@pytest.mark.parametrize("json", [{}, {"data": {}}, {"data": {"attributes": {}}}, None])
def test_f17_malformed_bodies(fresh_client: FlaskClient, json: Any) -> None:
    assert failed(declare(fresh_client, json), 400) == INVALID_STRUCTURE


def test_f17_only_unknown_attributes(fresh_client: FlaskClient) -> None:
    response = declare(fresh_client, {"data": {"attributes": {"foo": 1}}})
    assert failed(response, 422) == errors(
        ("participant_id", m.PARTICIPANT_ID_MUST_BE_PRESENT),
        ("declaration_date", m.ENTER_DECLARATION_DATE),
        ("declaration_type", m.ENTER_DECLARATION_TYPE),
        ("declaration_type", m.DECLARATION_TYPE_NOT_RECOGNISED),
    )


def test_f17_values_of_other_types(fresh_client: FlaskClient) -> None:
    odd = {
        "participant_id": 5,
        "declaration_date": 20251015,
        "declaration_type": True,
        "course_identifier": 1.5,
        "delivery_partner_id": 7,
        "has_passed": ["true"],
    }
    assert failed(declare(fresh_client, body(**odd)), 422) == errors(
        ("participant_id", m.PARTICIPANT_NOT_RECOGNISED),
        ("declaration_date", m.ENTER_DECLARATION_DATE),
        ("declaration_type", m.DECLARATION_TYPE_NOT_RECOGNISED),
        ("delivery_partner_id", m.partner_does_not_exist("delivery_partner_id")),
    )


def test_f17_invalid_json(fresh_client: FlaskClient) -> None:
    response = fresh_client.post(
        "/api/v3/participant-declarations",
        data="{not json",
        headers={"Authorization": f"Bearer {AMBITION.token}", "Content-Type": "application/json"},
    )
    assert failed(response, 400) == errors(("Bad request", m.MALFORMED_JSON))


def test_refused_create_writes_nothing(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    before = data(get(fresh_client, "/participant-declarations?page[per_page]=3000"))
    refused = declare(fresh_client, started(fresh_cases, delivery_partner_id=None))
    failed(refused, 422)
    assert data(get(fresh_client, "/participant-declarations?page[per_page]=3000")) == before
