"""DfE's admin operations on an application: eligibility, cohort, transfer, status, revert."""

from __future__ import annotations

from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    NOT_FOUND,
    NOW,
    UNKNOWN_ID,
    all_pages,
    data,
    errors,
    failed,
    get,
)
from tests.sandbox.control.admin_calls import admin, application, registered, synced
from tests.sandbox.control.calls import Cases, mine


def declared_application(client: FlaskClient, cases: Cases, case: str) -> str:
    """The application a seeded declaration sits on."""
    found = data(get(client, f"/participant-declarations/{mine(cases, case)}"))
    return str(found["attributes"]["application_id"])


def test_eligibility_shows_and_syncs_the_participant(fresh_client: FlaskClient) -> None:
    made = registered(fresh_client, eligible_for_funding=True)
    person = made["attributes"]["participant_id"]
    assert person not in synced(fresh_client, "/participants/npq")
    answer = data(admin(fresh_client, "PUT", made["id"], "eligibility", eligible_for_funding=False))
    assert answer == application(fresh_client, made["id"])
    shown = answer["attributes"]
    assert (shown["eligible_for_funding"], shown["ineligible_for_funding_reason"]) == (
        False,
        "establishment-ineligible",
    )
    assert shown["updated_at"] == NOW
    assert made["id"] in synced(fresh_client, "/npq-applications")
    assert person in synced(fresh_client, "/participants/npq")
    participant = data(get(fresh_client, f"/participants/npq/{person}"))
    assert participant["attributes"]["npq_enrolments"][0]["eligible_for_funding"] is False


def test_eligibility_refusals(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = declared_application(fresh_client, fresh_cases, "declaration_eligible")
    before = application(fresh_client, app_id)
    response = admin(fresh_client, "PUT", app_id, "eligibility", eligible_for_funding=False)
    assert ["base", m.SANDBOX_INELIGIBLE_WITH_BILLABLE] in [
        [e["title"], e["detail"]] for e in failed(response, 422)["errors"]
    ]
    response = admin(
        fresh_client,
        "PUT",
        app_id,
        "eligibility",
        eligible_for_funding="yes",
        funding_eligiblity_status_code="funded",
    )
    assert failed(response, 422) == errors(
        ("eligible_for_funding", m.sandbox_must_be_boolean("eligible_for_funding")),
        ("funding_eligiblity_status_code", m.SANDBOX_ELIGIBILITY_STATUS_CODE),
    )
    assert application(fresh_client, app_id) == before
    unknown = admin(fresh_client, "PUT", UNKNOWN_ID, "eligibility", eligible_for_funding=True)
    assert failed(unknown, 404) == NOT_FOUND


def test_cohort_change(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    made = registered(fresh_client)
    answer = data(admin(fresh_client, "PUT", made["id"], "cohort", cohort="2024"))
    shown = answer["attributes"]
    assert (shown["cohort"], shown["cohort_suffix"], shown["updated_at"]) == ("2024", "a", NOW)
    assert shown["schedule_identifier"] == made["attributes"]["schedule_identifier"]
    assert made["id"] in synced(fresh_client, "/npq-applications?filter[cohort]=2024")
    same = admin(fresh_client, "PUT", made["id"], "cohort", cohort="2024a")
    assert failed(same, 422) == errors(("cohort", m.SANDBOX_SAME_COHORT))
    declared = declared_application(fresh_client, fresh_cases, "declaration_voided")
    before = application(fresh_client, declared)
    response = admin(fresh_client, "PUT", declared, "cohort", cohort="2022")
    assert failed(response, 422) == errors(("cohort", m.SANDBOX_COHORT_WITH_DECLARATIONS))
    assert application(fresh_client, declared) == before


def test_transfer_carries_the_declarations_as_dfe_does(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    declaration_id = mine(fresh_cases, "outcome_passed_declaration")
    app_id = declared_application(fresh_client, fresh_cases, "outcome_passed_declaration")
    declaration = data(get(fresh_client, f"/participant-declarations/{declaration_id}"))
    person = declaration["attributes"]["participant_id"]
    moved = admin(fresh_client, "POST", app_id, "transfer", lead_provider_id=BEST_PRACTICE.id)
    assert data(moved) == application(fresh_client, app_id, BEST_PRACTICE.token)
    assert failed(get(fresh_client, f"/npq-applications/{app_id}"), 404) == NOT_FOUND
    theirs = BEST_PRACTICE.token
    assert app_id in synced(fresh_client, "/npq-applications", theirs)
    assert person in synced(fresh_client, "/participants/npq", theirs)
    # The declaration stays the one Ambition made: both read it, only its maker changes it
    # (docs/rules.md §1.2), and its outcome stays in the maker's lists.
    path = f"/participant-declarations/{declaration_id}"
    assert data(get(fresh_client, path, theirs)) == data(get(fresh_client, path))
    assert person in outcome_people(fresh_client, AMBITION.token)
    assert person not in outcome_people(fresh_client, theirs)


def outcome_people(client: FlaskClient, token: str) -> list[str]:
    return [
        o["attributes"]["participant_id"]
        for o in all_pages(client, "/participants/npq/outcomes", token)
    ]


def test_transfer_refusals(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = mine(fresh_cases, "pending_application")
    before = application(fresh_client, app_id)
    for given, message in (
        ("ambition-token", m.SANDBOX_SAME_LEAD_PROVIDER),
        ("nobody", m.SANDBOX_LEAD_PROVIDER),
    ):
        response = admin(fresh_client, "POST", app_id, "transfer", lead_provider_id=given)
        assert failed(response, 422) == errors(("lead_provider_id", message))
    assert application(fresh_client, app_id) == before
