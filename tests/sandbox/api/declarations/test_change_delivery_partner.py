"""Changing a declaration's delivery partners: docs/rules.md §8.6; edge case G5 (§20)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import Cases, body, data, errors, failed, get, mine
from tests.sandbox.api.declarations.calls import change


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
