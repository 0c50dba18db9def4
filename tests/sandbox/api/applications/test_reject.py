"""Rejecting applications: docs/rules.md §5.4; edge case C11 (§20)."""

from __future__ import annotations

from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import Cases, data, errors, failed, get, mine, post, put


def test_c11_reject_pending(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")
    rejected = data(post(fresh_client, f"/npq-applications/{app_id}/reject"))["attributes"]
    assert (rejected["status"], rejected["reason_for_rejection"]) == (
        "rejected",
        "rejected_by_provider",
    )


def test_c11_reject_accepted_with_declarations(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    declaration_id = mine(fresh_cases, "declaration_eligible")
    declaration = data(get(fresh_client, f"/participant-declarations/{declaration_id}"))
    app_id = declaration["attributes"]["application_id"]
    participant_id = declaration["attributes"]["participant_id"]
    refused = post(fresh_client, f"/npq-applications/{app_id}/reject")
    assert failed(refused, 422) == errors(("application", m.DECLARATIONS_PREVENT_REJECTION))
    assert data(get(fresh_client, f"/participants/npq/{participant_id}"))


def test_c11_reject_after_void(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    declaration_id = mine(fresh_cases, "declaration_eligible")
    declaration = data(get(fresh_client, f"/participant-declarations/{declaration_id}"))
    app_id = declaration["attributes"]["application_id"]
    participant_id = declaration["attributes"]["participant_id"]
    data(put(fresh_client, f"/participant-declarations/{declaration_id}/void"))
    rejected = data(post(fresh_client, f"/npq-applications/{app_id}/reject"))["attributes"]
    assert rejected["status"] == "rejected"
    assert failed(get(fresh_client, f"/participants/npq/{participant_id}"), 404)
    listed = data(get(fresh_client, "/participants/npq?page[per_page]=3000"))
    assert participant_id not in [p["id"] for p in listed]
    kept = get(fresh_client, f"/participant-declarations?filter[participant_id]={participant_id}")
    assert [(d["id"], d["attributes"]["state"]) for d in data(kept)] == [(declaration_id, "voided")]
