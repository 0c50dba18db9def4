"""GET /participants/npq and /participants/npq/{id}, as a client sees them.

docs/rules.md §7.1 to §7.3, and §1.2 for edge case A5 (§20); A6 is a merged-away id.
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    NOT_FOUND,
    TODAY,
    Cases,
    all_pages,
    assert_refused,
    bad_request,
    body,
    data,
    get,
    mine,
    post,
    put,
)

ATTRIBUTES = [
    "full_name",
    "previous_names",
    "teacher_reference_number",
    "updated_at",
    "npq_enrolments",
    "participant_id_changes",
]


ENROLMENT = [
    "email",
    "course_identifier",
    "schedule_identifier",
    "cohort",
    "cohort_suffix",
    "npq_application_id",
    "eligible_for_funding",
    "training_status",
    "school_urn",
    "targeted_delivery_funding_eligibility",
    "withdrawal",
    "deferral",
    "created_at",
    "funded_place",
]


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _participant(client: FlaskClient, participant_id: str, token: str = AMBITION.token) -> dict:
    return data(get(client, f"/participants/npq/{participant_id}", token))


def test_active_participant_shape(client: FlaskClient, cases: dict) -> None:
    found = _participant(client, cases[AMBITION.id]["active_participant"])
    assert found["type"] == "npq-participant"
    assert list(found["attributes"]) == ATTRIBUTES
    enrolments = found["attributes"]["npq_enrolments"]
    assert enrolments and all(list(e) == ENROLMENT for e in enrolments)
    assert "active" in {e["training_status"] for e in enrolments}


def test_enrolments_are_the_callers_accepted_applications(client: FlaskClient) -> None:
    mine = {a["id"]: a["attributes"] for a in all_pages(client, "/npq-applications")}
    for person in all_pages(client, "/participants/npq"):
        for enrolment in person["attributes"]["npq_enrolments"]:
            application = mine[enrolment["npq_application_id"]]
            assert application["status"] == "accepted"
            assert application["participant_id"] == person["id"]


def test_deferred_participant_shows_deferral(client: FlaskClient, cases: dict) -> None:
    found = _participant(client, cases[AMBITION.id]["deferred_participant"])
    deferred = [
        e for e in found["attributes"]["npq_enrolments"] if e["training_status"] == "deferred"
    ]
    assert deferred and deferred[0]["withdrawal"] is None
    assert list(deferred[0]["deferral"]) == ["reason", "date"]
    assert deferred[0]["deferral"]["reason"] == "parental-leave"
    assert RFC3339.match(deferred[0]["deferral"]["date"])


def test_withdrawn_participant_shows_withdrawal(client: FlaskClient, cases: dict) -> None:
    found = _participant(client, cases[AMBITION.id]["withdrawn_participant"])
    withdrawn = [
        e for e in found["attributes"]["npq_enrolments"] if e["training_status"] == "withdrawn"
    ]
    assert withdrawn and withdrawn[0]["deferral"] is None
    assert withdrawn[0]["withdrawal"]["reason"] == "personal-reason-moving-school"


def test_a6_merged_away_id_is_gone(client: FlaskClient, cases: dict) -> None:
    old = cases[AMBITION.id]["merged_from_participant_id"]
    new = cases[AMBITION.id]["merged_participant"]
    for path in (f"/participants/npq/{old}", f"/participants/npq/{old}/outcomes"):
        response = get(client, path, BEST_PRACTICE.token)  # whoever asks
        assert response.status_code == 410
        (error,) = response.get_json()["errors"]
        assert list(error) == ["title", "detail", "participant_id_changes"]
        assert error["title"] == "Participant ID has been changed"
        assert error["detail"] == f"The participant_id '{old}' has been replaced with '{new}'."
        (change,) = error["participant_id_changes"]
        assert (change["from_participant_id"], change["to_participant_id"]) == (old, new)
        assert RFC3339.match(change["changed_at"])


def test_merged_participant_lists_its_id_changes(client: FlaskClient, cases: dict) -> None:
    found = _participant(client, cases[AMBITION.id]["merged_participant"])
    changes = found["attributes"]["participant_id_changes"]
    assert cases[AMBITION.id]["merged_from_participant_id"] in {
        c["from_participant_id"] for c in changes
    }


def test_from_participant_id_filter(client: FlaskClient, cases: dict) -> None:
    old = cases[AMBITION.id]["merged_from_participant_id"]
    found = data(get(client, f"/participants/npq?filter[from_participant_id]={old}"))
    assert [p["id"] for p in found] == [cases[AMBITION.id]["merged_participant"]]
    for nothing in ("filter[from_participant_id]=nope", "filter[from_participant_id][a]=1"):
        response = get(client, f"/participants/npq?{nothing}")
        assert (response.status_code, response.get_json()) == (200, {"data": []})


def test_a5_pending_only_person_is_invisible(client: FlaskClient, cases: dict) -> None:
    pending = data(
        get(client, f"/npq-applications/{cases[AMBITION.id]['competing_pending_application']}")
    )
    person = pending["attributes"]["participant_id"]
    response = get(client, f"/participants/npq/{person}")
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)
    assert person not in {p["id"] for p in all_pages(client, "/participants/npq")}


def test_another_providers_participant_is_invisible(client: FlaskClient, cases: dict) -> None:
    theirs = cases[BEST_PRACTICE.id]["active_participant"]
    response = get(client, f"/participants/npq/{theirs}")
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)


def test_b6_bad_training_status_filter(client: FlaskClient) -> None:
    response = get(client, "/participants/npq?filter[training_status]=paused")
    assert response.status_code == 422
    assert response.get_json() == {
        "errors": [
            {
                "title": "Unpermitted parameters",
                "detail": "The filter '#/training_status' must be "
                '["active", "deferred", "withdrawn"]',
            }
        ]
    }


@pytest.mark.parametrize("status", ["active", "deferred", "withdrawn"])
def test_b6_training_status_filter_narrows_enrolments(client: FlaskClient, status: str) -> None:
    found = all_pages(client, f"/participants/npq?filter[training_status]={status}")
    assert found
    for person in found:
        assert {e["training_status"] for e in person["attributes"]["npq_enrolments"]} == {status}


def test_updated_since_before_training_status(client: FlaskClient) -> None:
    response = get(client, "/participants/npq?filter[training_status]=x&filter[updated_since]=x")
    assert response.get_json() == bad_request(
        "The filter '#/updated_since' must be a valid ISO 8601 date"
    )


def test_enrolment_created_at_is_acceptance_time(client: FlaskClient, cases: dict) -> None:
    found = _participant(client, cases[AMBITION.id]["active_participant"])
    application_ids = {
        e["npq_application_id"]: e["created_at"] for e in found["attributes"]["npq_enrolments"]
    }
    for application_id, accepted in application_ids.items():
        application = data(get(client, f"/npq-applications/{application_id}"))["attributes"]
        assert accepted >= application["created_at"]


def test_a5_participant_visible_once_accepted(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    app_id = mine(fresh_cases, "pending_application_2023a")
    person = data(get(fresh_client, f"/npq-applications/{app_id}"))["attributes"]["participant_id"]
    assert_refused(get(fresh_client, f"/participants/npq/{person}"), 404, NOT_FOUND)
    deferral = body(course_identifier="npq-leading-literacy", reason="bereavement")
    assert_refused(put(fresh_client, f"/participants/npq/{person}/defer", deferral), 404, NOT_FOUND)
    assert person not in {item["id"] for item in all_pages(fresh_client, "/participants/npq")}

    accepted = data(post(fresh_client, f"/npq-applications/{app_id}/accept", **TODAY))
    assert accepted["attributes"]["status"] == "accepted"
    enrolments = data(get(fresh_client, f"/participants/npq/{person}"))["attributes"][
        "npq_enrolments"
    ]
    assert [(e["npq_application_id"], e["created_at"]) for e in enrolments] == [
        (app_id, "2026-11-30T12:00:00Z")
    ]
    assert person in {item["id"] for item in all_pages(fresh_client, "/participants/npq")}


def test_a6_merged_away_participant_id(client: FlaskClient, cases: Cases) -> None:
    old, new = mine(cases, "merged_from_participant_id"), mine(cases, "merged_participant")
    changes = data(get(client, f"/participants/npq/{new}"))["attributes"]["participant_id_changes"]
    change = next(c for c in changes if c["from_participant_id"] == old)
    gone = {
        "errors": [
            {
                "title": "Participant ID has been changed",
                "detail": f"The participant_id '{old}' has been replaced with '{new}'.",
                "participant_id_changes": [
                    {
                        "from_participant_id": old,
                        "to_participant_id": new,
                        "changed_at": change["changed_at"],
                    }
                ],
            }
        ]
    }
    assert_refused(get(client, f"/participants/npq/{old}"), 410, gone)
    assert_refused(get(client, f"/participants/npq/{old}/outcomes"), 410, gone)
