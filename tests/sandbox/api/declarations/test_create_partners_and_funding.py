"""Declaring: delivery partners, the same TRN twice, statements and contracts.

docs/rules.md §8.3; edge cases F13-F16 (§20).
"""

from __future__ import annotations

import uuid

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.store.db import Database

from tests.helpers import Cases, data, errors, failed, get, mine
from tests.sandbox.api import setup
from tests.sandbox.api.declarations.calls import DATE, declare, for_application, started


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


def test_f14_people_without_a_trn_are_not_duplicates_of_each_other(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    original_id = mine(fresh_cases, "declaration_eligible")
    original = data(get(fresh_client, f"/participant-declarations/{original_id}"))["attributes"]
    setup.change_participant(fresh_db, original["participant_id"], trn="")
    other = setup.copy_application(fresh_db, original["application_id"], trn="")
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
