"""Declaring: the record made, duplicates, types, dates and bodies.

docs/rules.md §8.3; edge cases F1-F7 and F17 (§20).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.store.db import Database

from tests.helpers import (
    AMBITION,
    INVALID_STRUCTURE,
    Cases,
    body,
    data,
    errors,
    failed,
    get,
    mine,
    put,
)
from tests.sandbox.api import setup
from tests.sandbox.api.declarations.calls import DATE, declare, for_application, started


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
    assert failed(response, 400) == errors(("Bad request", m.SANDBOX_MALFORMED_JSON))


def test_refused_create_writes_nothing(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    before = data(get(fresh_client, "/participant-declarations?page[per_page]=3000"))
    refused = declare(fresh_client, started(fresh_cases, delivery_partner_id=None))
    failed(refused, 422)
    assert data(get(fresh_client, "/participant-declarations?page[per_page]=3000")) == before
