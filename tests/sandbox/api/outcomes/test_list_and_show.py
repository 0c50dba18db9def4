"""GET /participants/npq/outcomes and /participants/npq/{id}/outcomes: docs/rules.md §9.3."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.helpers import AMBITION, BEST_PRACTICE, NOT_FOUND, all_pages, bad_request, data, get


def test_outcome_shape(client: FlaskClient) -> None:
    found = all_pages(client, "/participants/npq/outcomes")
    assert found
    for outcome in found:
        assert outcome["type"] == "participant-outcome"
        attributes = outcome["attributes"]
        assert list(attributes) == [
            "state",
            "completion_date",
            "course_identifier",
            "participant_id",
            "created_at",
            "updated_at",
        ]
        assert re.match(r"^\d{4}-\d{2}-\d{2}T00:00:00\+00:00$", attributes["completion_date"])


def test_order_is_created_at(client: FlaskClient) -> None:
    created = [
        o["attributes"]["created_at"] for o in all_pages(client, "/participants/npq/outcomes")
    ]
    assert created == sorted(created)


def test_b4_bad_created_since(client: FlaskClient) -> None:
    response = get(client, "/participants/npq/outcomes?filter[created_since]=invalid")
    assert (response.status_code, response.get_json()) == (
        400,
        bad_request("The filter '#/created_since' must be a valid ISO 8601 date"),
    )


def test_one_participants_outcomes(client: FlaskClient, cases: dict) -> None:
    outcome_id = cases[AMBITION.id]["outcome_passed"]
    everything = all_pages(client, "/participants/npq/outcomes")
    person = next(o for o in everything if o["id"] == outcome_id)["attributes"]["participant_id"]
    theirs = data(get(client, f"/participants/npq/{person}/outcomes"))
    assert outcome_id in {o["id"] for o in theirs}
    assert {o["attributes"]["participant_id"] for o in theirs} == {person}


def test_outcomes_of_an_invisible_participant(client: FlaskClient, cases: dict) -> None:
    theirs = cases[BEST_PRACTICE.id]["active_participant"]
    response = get(client, f"/participants/npq/{theirs}/outcomes")
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)


def test_other_providers_outcomes_are_invisible(client: FlaskClient, cases: dict) -> None:
    mine = {o["id"] for o in all_pages(client, "/participants/npq/outcomes")}
    assert cases[BEST_PRACTICE.id]["outcome_passed"] not in mine
