"""`X-With-Server-Date` moves "now" for one request, as in DfE's sandbox.

docs/rules.md §12; edge case I3 (§20).
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import AMBITION, Cases, body, data, errors, failed, get, mine, post


def _declaration(client: FlaskClient, cases: Cases) -> dict[str, Any]:
    """A `started` declaration for Ambition's 2026b participant (schedule from 1 Oct 2026)."""
    app_id = cases[AMBITION.id]["application_lead_mentor"]
    application = data(get(client, f"/npq-applications/{app_id}"))["attributes"]
    assert (application["cohort"], application["cohort_suffix"]) == ("2026", "b")
    return body(
        participant_id=application["participant_id"],
        course_identifier=application["course_identifier"],
        declaration_type="started",
        declaration_date="2026-10-05T09:00:00Z",
        delivery_partner_id=cases[AMBITION.id]["delivery_partner"],
    )


def test_i3_server_date_allows_a_declaration_dated_after_real_now(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    json = _declaration(fresh_client, fresh_cases)
    before = {"X-With-Server-Date": "2026-10-04T10:00:00Z"}
    refused = post(fresh_client, "/participant-declarations", json, **before)
    assert failed(refused, 422) == errors(("declaration_date", m.DATE_IN_FUTURE))
    after = {"X-With-Server-Date": "2026-10-06T10:00:00Z"}
    made = data(post(fresh_client, "/participant-declarations", json, **after))["attributes"]
    assert made["created_at"] == "2026-10-06T10:00:00Z"
    assert made["state"] == "eligible" and made["statement_id"] is not None


def test_server_date_moves_now_for_one_request(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")
    path = f"/npq-applications/{app_id}/accept"
    moved = {"X-With-Server-Date": "2025-06-01T08:30:00+01:00"}
    accepted = data(post(fresh_client, path, body(funded_place=True), **moved))["attributes"]
    assert accepted["updated_at"] == "2025-06-01T07:30:00Z"
    # 2025 cohort accepted between 28 June 2024 and 6 June 2025: the spring schedule.
    assert accepted["schedule_identifier"] == "npq-leadership-spring"
