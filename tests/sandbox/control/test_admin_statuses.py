"""DfE's admin screen changes an application's training status or reverts it to pending."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import NOW, body, data, errors, failed, get, post
from tests.sandbox.control.admin_calls import admin, application, registered, synced
from tests.sandbox.control.calls import Cases, mine


def enrolment(client: FlaskClient, person: str, application_id: str) -> dict[str, Any]:
    found = data(get(client, f"/participants/npq/{person}"))["attributes"]["npq_enrolments"]
    [wanted] = [e for e in found if e["npq_application_id"] == application_id]
    return dict(wanted)


def test_training_status_runs_the_provider_s_own_rules(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    app_id, person = (
        mine(fresh_cases, "withdrawn_application"),
        mine(fresh_cases, "withdrawn_participant"),
    )
    resumed = admin(fresh_client, "PUT", app_id, "training-status", training_status="active")
    assert data(resumed)["attributes"]["updated_at"] == NOW
    assert enrolment(fresh_client, person, app_id)["training_status"] == "active"
    assert person in synced(fresh_client, "/participants/npq")
    deferred = admin(
        fresh_client, "PUT", app_id, "training-status", training_status="deferred", reason="other"
    )
    assert data(deferred)["id"] == app_id
    shown = enrolment(fresh_client, person, app_id)
    assert (shown["training_status"], shown["deferral"]) == (
        "deferred",
        {"reason": "other", "date": NOW},
    )


def test_training_status_refusals(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    made = registered(fresh_client)
    before = application(fresh_client, made["id"])
    response = admin(
        fresh_client,
        "PUT",
        made["id"],
        "training-status",
        training_status="withdrawn",
        reason="moved",
    )
    assert failed(response, 422) == errors(("reason", m.INVALID_REASON))
    response = admin(
        fresh_client,
        "PUT",
        made["id"],
        "training-status",
        training_status="withdrawn",
        reason="other",
    )
    assert failed(response, 422) == errors(("base", m.WITHDRAW_WITHOUT_STARTED))
    assert application(fresh_client, made["id"]) == before
    pending = mine(fresh_cases, "pending_application")
    response = admin(fresh_client, "PUT", pending, "training-status", training_status="paused")
    assert failed(response, 422) == errors(
        ("training_status", m.SANDBOX_TRAINING_STATUS),
        ("training_status", m.SANDBOX_TRAINING_STATUS_PENDING),
    )


def test_revert_to_pending_clears_the_funded_place(fresh_client: FlaskClient) -> None:
    made = registered(fresh_client, cohort="2025a", accept=False, eligible_for_funding=True)
    path = f"/npq-applications/{made['id']}/accept"
    accepted = data(post(fresh_client, path, body(funded_place=True)))
    person = accepted["attributes"]["participant_id"]
    assert accepted["attributes"]["funded_place"] is True
    reverted = data(admin(fresh_client, "POST", made["id"], "revert-to-pending"))
    shown = reverted["attributes"]
    assert (shown["status"], shown["funded_place"], shown["updated_at"]) == ("pending", None, NOW)
    assert reverted == application(fresh_client, made["id"])
    assert made["id"] in synced(fresh_client, "/npq-applications")
    assert get(fresh_client, f"/participants/npq/{person}").status_code == 404


def test_revert_refusals(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    pending = mine(fresh_cases, "pending_application")
    response = admin(fresh_client, "POST", pending, "revert-to-pending")
    assert failed(response, 422) == errors(("application", m.SANDBOX_REVERT_STATUS))
    declared = data(
        get(fresh_client, f"/participant-declarations/{mine(fresh_cases, 'declaration_paid')}")
    )["attributes"]["application_id"]
    before = application(fresh_client, declared)
    response = admin(fresh_client, "POST", declared, "revert-to-pending")
    assert failed(response, 422) == errors(("base", m.SANDBOX_REVERT_DECLARATIONS))
    assert application(fresh_client, declared) == before
