"""For every lead provider's token, the seed shows a record in every state, through the API."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain.reference import LEAD_PROVIDERS, LeadProvider

from tests.helpers import all_pages

DECLARATION_STATES = {
    "submitted",
    "eligible",
    "ineligible",
    "payable",
    "paid",
    "voided",
    "awaiting-clawback",
    "clawed-back",
}
COURSES = 12


@pytest.fixture(params=LEAD_PROVIDERS, ids=lambda p: p.name)
def provider(request: pytest.FixtureRequest) -> LeadProvider:
    return request.param


def test_applications_in_every_status(client: FlaskClient, provider: LeadProvider) -> None:
    found = [a["attributes"] for a in all_pages(client, "/npq-applications", provider.token)]
    assert {a["status"] for a in found} == {"pending", "accepted", "rejected"}
    reasons = {a["reason_for_rejection"] for a in found if a["status"] == "rejected"}
    assert {"rejected_by_provider", "other_application_in_this_cohort_accepted"} <= reasons
    accepted = [a for a in found if a["status"] == "accepted"]
    assert len({a["course_identifier"] for a in accepted}) == COURSES
    funded_places = {(a["cohort"], a["funded_place"]) for a in accepted}
    assert ("2023", None) in funded_places and ("2026", False) in funded_places
    assert {("2025", True), ("2025", False)} & funded_places


def test_participants_in_every_training_status(client: FlaskClient, provider: LeadProvider) -> None:
    found = all_pages(client, "/participants/npq", provider.token)
    statuses = {e["training_status"] for p in found for e in p["attributes"]["npq_enrolments"]}
    assert statuses == {"active", "deferred", "withdrawn"}
    assert any(p["attributes"]["participant_id_changes"] for p in found)


def test_declarations_in_all_eight_states(client: FlaskClient, provider: LeadProvider) -> None:
    found = all_pages(client, "/participant-declarations", provider.token)
    assert {d["attributes"]["state"] for d in found} == DECLARATION_STATES


def test_outcomes_in_every_state(client: FlaskClient, provider: LeadProvider) -> None:
    found = all_pages(client, "/participants/npq/outcomes", provider.token)
    assert {o["attributes"]["state"] for o in found} == {"passed", "failed", "voided"}


def test_statements_open_payable_and_paid(client: FlaskClient, provider: LeadProvider) -> None:
    found = [s["attributes"] for s in all_pages(client, "/statements", provider.token)]
    assert {s["paid"] for s in found} == {True, False}
    assert len({s["cohort"] for s in found}) >= 6


def test_delivery_partners(client: FlaskClient, provider: LeadProvider) -> None:
    assert all_pages(client, "/delivery-partners", provider.token)
