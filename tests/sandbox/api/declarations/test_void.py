"""SCENARIOS.md section G: voiding declarations and changing their delivery partners."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from sandbox.domain import messages as m
from sandbox.store.db import Database
from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    NOT_FOUND,
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

FORBIDDEN = errors(("Cannot modify declaration", m.CANNOT_MODIFY_DECLARATION))


def void(client: FlaskClient, declaration_id: str, **headers: str) -> Any:
    return put(client, f"/participant-declarations/{declaration_id}/void", **{**TODAY, **headers})


def show(client: FlaskClient, declaration_id: str) -> dict[str, Any]:
    found: dict[str, Any] = data(get(client, f"/participant-declarations/{declaration_id}"))
    return found["attributes"]


@pytest.mark.parametrize(
    "case",
    [
        "declaration_submitted",
        "declaration_eligible",
        "declaration_payable",
        "declaration_ineligible",
    ],
)
def test_g1_void_live_declaration(fresh_client: FlaskClient, fresh_cases: Cases, case: str) -> None:
    declaration_id = mine(fresh_cases, case)
    voided = data(void(fresh_client, declaration_id))["attributes"]
    assert voided["state"] == "voided"
    assert (voided["statement_id"], voided["clawback_statement_id"]) == (None, None)
    assert voided["updated_at"] == "2026-11-30T12:00:00Z"
    assert show(fresh_client, declaration_id) == voided


def test_g1_void_paid_claws_back(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    declaration_id = mine(fresh_cases, "declaration_paid")
    before = show(fresh_client, declaration_id)
    after = data(void(fresh_client, declaration_id))["attributes"]
    assert after["state"] == "awaiting-clawback"
    assert after["statement_id"] == before["statement_id"]
    expected = setup.next_statement_id(fresh_db, AMBITION.id, "2024a", date(2026, 11, 30))
    assert after["clawback_statement_id"] == expected


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("declaration_voided", m.DECLARATION_ALREADY_VOIDED),
        ("declaration_awaiting_clawback", m.DECLARATION_REFUNDED),
        ("declaration_clawed_back", m.DECLARATION_REFUNDED),
    ],
)
def test_g1_void_refused(
    fresh_client: FlaskClient, fresh_cases: Cases, case: str, message: str
) -> None:
    declaration_id = mine(fresh_cases, case)
    before = show(fresh_client, declaration_id)
    assert failed(void(fresh_client, declaration_id), 422) == errors(("declaration", message))
    assert show(fresh_client, declaration_id) == before


LATER = {"X-With-Server-Date": "2029-06-01T12:00:00Z"}


def test_g2_clawback_without_open_statement(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    response = void(fresh_client, mine(fresh_cases, "declaration_paid"), **LATER)
    assert failed(response, 422) == errors(("declaration", m.contract_ended(2024)))


def test_g2_refunded_and_contract_ended_together(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    """DfE's void checks both, so a clawed back 2024 declaration reports both [derived]."""
    response = void(fresh_client, mine(fresh_cases, "declaration_clawed_back"), **LATER)
    assert failed(response, 422) == errors(
        ("declaration", m.DECLARATION_REFUNDED), ("declaration", m.contract_ended(2024))
    )


def test_g3_void_completed_with_outcome(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    declaration_id = mine(fresh_cases, "outcome_passed_declaration")
    before = show(fresh_client, declaration_id)
    assert before["has_passed"] is True
    voided = data(void(fresh_client, declaration_id))["attributes"]
    assert (voided["state"], voided["has_passed"]) == ("voided", None)
    person = before["participant_id"]
    latest = data(get(fresh_client, f"/participants/npq/{person}/outcomes"))[-1]["attributes"]
    assert latest["state"] == "voided"
    assert latest["completion_date"] == before["declaration_date"][:10] + "T00:00:00+00:00"
    again = {
        "participant_id": person,
        "course_identifier": before["course_identifier"],
        "declaration_type": "completed",
        "declaration_date": "2026-11-01T10:00:00Z",
        "delivery_partner_id": before["delivery_partner_id"],
        "has_passed": False,
    }
    created = data(post(fresh_client, "/participant-declarations", body(**again), **TODAY))
    assert created["attributes"]["has_passed"] is False


def test_g3_latest_voided_outcome_is_not_repeated(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    declaration_id = mine(fresh_cases, "outcome_passed_declaration")
    person = show(fresh_client, declaration_id)["participant_id"]
    data(void(fresh_client, declaration_id))
    outcomes = data(get(fresh_client, f"/participants/npq/{person}/outcomes"))
    assert [o["attributes"]["state"] for o in outcomes] == ["passed", "voided"]


def test_g4_transferred_declaration(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    declaration_id = mine(fresh_cases, "transferred_declaration")
    assert show(fresh_client, declaration_id)["lead_provider_name"] == BEST_PRACTICE.name
    assert failed(void(fresh_client, declaration_id), 403) == FORBIDDEN
    path = f"/participant-declarations/{declaration_id}/change-delivery-partner"
    assert failed(put(fresh_client, path, {"data": {}}), 403) == FORBIDDEN
    # The provider that made it may still change it.
    voided = void(fresh_client, declaration_id, token=BEST_PRACTICE.token)
    assert data(voided)["attributes"]["state"] == "awaiting-clawback"


def test_g4_unknown_declaration(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    for declaration_id in (str(uuid.uuid4()), mine(fresh_cases, "invisible_declaration")):
        assert failed(void(fresh_client, declaration_id), 404) == NOT_FOUND
        path = f"/participant-declarations/{declaration_id}/change-delivery-partner"
        assert failed(put(fresh_client, path, {"data": {}}), 404) == NOT_FOUND


def change(client: FlaskClient, declaration_id: str, json: Any) -> Any:
    path = f"/participant-declarations/{declaration_id}/change-delivery-partner"
    return put(client, path, json, **TODAY)


def test_g5_change_and_drop_secondary(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    declaration_id = mine(fresh_cases, "declaration_eligible")
    first, third = (
        mine(fresh_cases, "delivery_partner"),
        mine(fresh_cases, "delivery_partner_2025a_only"),
    )
    both = change(
        fresh_client,
        declaration_id,
        body(delivery_partner_id=first, secondary_delivery_partner_id=third),
    )
    assert data(both)["attributes"]["secondary_delivery_partner_id"] == third
    moved = data(change(fresh_client, declaration_id, body(delivery_partner_id=third)))
    attributes = moved["attributes"]
    assert attributes["delivery_partner_id"] == third
    assert (
        attributes["secondary_delivery_partner_id"],
        attributes["secondary_delivery_partner_name"],
    ) == (None, None)
    assert attributes["state"] == "eligible"
    polled = get(
        fresh_client, "/participant-declarations?filter[updated_since]=2026-11-30T12:00:00Z"
    )
    assert declaration_id in [d["id"] for d in data(polled)]


def test_g5_unknown_primary(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    response = change(
        fresh_client,
        mine(fresh_cases, "declaration_eligible"),
        body(delivery_partner_id=str(uuid.uuid4())),
    )
    assert failed(response, 422) == errors(
        ("delivery_partner", m.partner_not_confirmed("delivery_partner_id")),
        ("delivery_partner_id", m.partner_must_be_present("delivery_partner_id")),
    )


def test_g5_missing_primary(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    response = change(fresh_client, mine(fresh_cases, "declaration_eligible"), body(foo="bar"))
    assert failed(response, 422) == errors(
        ("delivery_partner", m.partner_not_confirmed("delivery_partner_id")),
        ("delivery_partner_id", m.partner_must_be_present("delivery_partner_id")),
    )


def test_g5_unknown_secondary(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    attributes = {
        "delivery_partner_id": mine(fresh_cases, "delivery_partner"),
        "secondary_delivery_partner_id": str(uuid.uuid4()),
    }
    response = change(fresh_client, mine(fresh_cases, "declaration_eligible"), body(**attributes))
    assert failed(response, 422) == errors(
        (
            "secondary_delivery_partner",
            m.partner_not_confirmed("secondary_delivery_partner_id"),
        )
    )


def test_g5_partner_not_in_the_cohort(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    attributes = {"delivery_partner_id": mine(fresh_cases, "unpartnered_delivery_partner")}
    response = change(fresh_client, mine(fresh_cases, "declaration_eligible"), body(**attributes))
    assert failed(response, 422) == errors(
        ("delivery_partner_id", m.partner_not_confirmed("delivery_partner_id"))
    )


def test_g5_any_state_may_change(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    declaration_id = mine(fresh_cases, "declaration_voided")  # 2024a
    partner = mine(fresh_cases, "delivery_partner")
    changed = data(change(fresh_client, declaration_id, body(delivery_partner_id=partner)))
    assert (changed["attributes"]["state"], changed["attributes"]["delivery_partner_id"]) == (
        "voided",
        partner,
    )


@pytest.mark.parametrize("json", [{"data": {}}, {}, None])
def test_g5_malformed_body(fresh_client: FlaskClient, fresh_cases: Cases, json: Any) -> None:
    response = change(fresh_client, mine(fresh_cases, "declaration_eligible"), json)
    assert failed(response, 400) == errors(("Bad request", m.INVALID_DATA_STRUCTURE))
