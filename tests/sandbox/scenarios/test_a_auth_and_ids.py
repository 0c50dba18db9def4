"""SCENARIOS.md section A: authentication, the envelope and ids, one test per scenario."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.helpers import (
    ACCESS_DENIED,
    NOT_FOUND,
    TODAY,
    Cases,
    all_pages,
    bad_request,
    body,
    data,
    get,
    mine,
    post,
    put,
)


def assert_refused(response: TestResponse, status: int, expected: object) -> None:
    assert (response.status_code, response.get_json()) == (status, expected)
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "authorization", [None, "bearer ambition-token", "Bearer wrong"], ids=["none", "lower", "wrong"]
)
def test_a1_missing_or_malformed_token(client: FlaskClient, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = get(client, "/npq-applications", token=None, **headers)
    assert_refused(response, 401, ACCESS_DENIED)


def test_a2_filter_shape_checked_before_token(client: FlaskClient) -> None:
    response = get(client, "/npq-applications?filter=2025", token=None)
    assert_refused(response, 400, bad_request("'#/filter' is not a valid field"))


def test_a3_other_providers_application(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    theirs = mine(fresh_cases, "invisible_application")
    path = f"/npq-applications/{theirs}"
    assert_refused(get(fresh_client, path), 404, NOT_FOUND)
    assert_refused(post(fresh_client, f"{path}/accept"), 404, NOT_FOUND)
    assert_refused(post(fresh_client, f"{path}/reject"), 404, NOT_FOUND)
    changed = put(fresh_client, f"{path}/change-funded-place", body(funded_place=True))
    assert_refused(changed, 404, NOT_FOUND)
    assert theirs not in {item["id"] for item in all_pages(fresh_client, "/npq-applications")}


def test_a4_non_uuid_id(client: FlaskClient) -> None:
    assert_refused(get(client, "/participant-declarations/123XXX"), 404, NOT_FOUND)


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


def test_a7_successful_post_is_200(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    for action, name in (
        ("accept", "pending_application_2023a"),
        ("reject", "pending_application"),
    ):
        response = post(fresh_client, f"/npq-applications/{mine(fresh_cases, name)}/{action}")
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["Cache-Control"] == "no-store"
