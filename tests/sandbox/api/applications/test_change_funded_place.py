"""Changing an application's funded place: docs/rules.md §5.5; edge cases C12 and C13 (§20)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.store.db import Database

from tests.helpers import INVALID_STRUCTURE, Cases, body, data, errors, failed, get, mine, put
from tests.sandbox.api import setup


def change_funded_place(client: FlaskClient, app_id: str, json: Any) -> Any:
    return put(client, f"/npq-applications/{app_id}/change-funded-place", json)


def test_c12_change_funded_place_of_pending(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")
    refused = change_funded_place(fresh_client, app_id, body(funded_place=False))
    assert failed(refused, 422) == errors(("application", m.ACCEPT_BEFORE_FUNDED_PLACE))


@pytest.mark.parametrize("case", ["accepted_full_application", "accepted_zero_application"])
def test_c12_change_funded_place_outside_capped_cohorts(
    fresh_client: FlaskClient, fresh_cases: Cases, case: str
) -> None:
    refused = change_funded_place(fresh_client, mine(fresh_cases, case), body(funded_place=False))
    assert failed(refused, 422) == errors(("application", m.FUNDED_PLACE_NOT_NEEDED))


def test_c12_change_funded_place_when_not_eligible(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    app_id = mine(fresh_cases, "accepted_capped_unfunded_application")
    setup.change_application(fresh_db, app_id, eligible_for_funding=False)
    refused = change_funded_place(fresh_client, app_id, body(funded_place=True))
    assert failed(refused, 422) == errors(("application", m.NOT_ELIGIBLE_CONTACT_US))


def test_c12_change_funded_place_with_declarations(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    declaration = data(
        get(fresh_client, f"/participant-declarations/{mine(fresh_cases, 'declaration_submitted')}")
    )
    app_id = declaration["attributes"]["application_id"]
    refused = change_funded_place(fresh_client, app_id, body(funded_place=False))
    assert failed(refused, 422) == errors(("application", m.FUNDED_PLACE_DECLARATIONS_SUBMITTED))


def test_c12_change_funded_place(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = mine(fresh_cases, "accepted_capped_funded_application")
    for _ in range(2):  # setting the same value again succeeds too
        changed = data(change_funded_place(fresh_client, app_id, body(funded_place=False)))
        assert changed["attributes"]["funded_place"] is False


def test_c13_change_funded_place_without_body(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    app_id = mine(fresh_cases, "accepted_capped_funded_application")
    refused = put(fresh_client, f"/npq-applications/{app_id}/change-funded-place")
    assert failed(refused, 422) == errors(("funded_place", m.SET_FUNDED_PLACE))
    only_type = {"data": {"type": "npq-application-change-funded-place"}}
    assert failed(change_funded_place(fresh_client, app_id, only_type), 400) == INVALID_STRUCTURE
