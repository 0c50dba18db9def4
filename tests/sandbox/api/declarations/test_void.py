"""Voiding declarations: docs/rules.md §8.5, and §1.2 for declarations moved between
providers; edge cases G1-G4 (§20).
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.store.db import Database

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
from tests.sandbox.api.declarations.calls import show, void

FORBIDDEN = errors(("Cannot modify declaration", m.CANNOT_MODIFY_DECLARATION))


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
