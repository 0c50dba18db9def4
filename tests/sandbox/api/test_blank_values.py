"""Blank means absent, as Rails reads it: docs/rules.md §3.3 and §5.3."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import TODAY, Cases, body, data, get, mine, post

# Every filter of every list (and the statement show call, which applies its list's filters).
FILTERS = [
    ("/npq-applications", "cohort"),
    ("/npq-applications", "updated_since"),
    ("/npq-applications", "participant_id"),
    ("/participants/npq", "updated_since"),
    ("/participants/npq", "training_status"),
    ("/participants/npq", "from_participant_id"),
    ("/participant-declarations", "cohort"),
    ("/participant-declarations", "updated_since"),
    ("/participant-declarations", "participant_id"),
    ("/participants/npq/outcomes", "created_since"),
    ("/statements", "cohort"),
    ("/statements", "updated_since"),
    ("/delivery-partners", "cohort"),
]
# Spaces, a tab and a line break, and Unicode's no-break and ideographic spaces: all blank.
BLANKS = ["%20", "%20%20%09%0A", "%C2%A0", "%E3%80%80"]


@pytest.mark.parametrize(("path", "name"), FILTERS)
@pytest.mark.parametrize("blank", BLANKS)
def test_a_blank_filter_is_no_filter(client: FlaskClient, path: str, name: str, blank: str) -> None:
    unfiltered = get(client, f"{path}?page[per_page]=3000")
    filtered = get(client, f"{path}?filter[{name}]={blank}&page[per_page]=3000")
    assert filtered.status_code == 200, filtered.get_data(as_text=True)
    assert data(filtered) == data(unfiltered)
    assert data(filtered)  # the comparison means something only if the list holds records


@pytest.mark.parametrize("name", ["cohort", "updated_since"])
def test_a_blank_filter_on_a_statement(client: FlaskClient, cases: Cases, name: str) -> None:
    statement = mine(cases, "statement_open")
    answer = get(client, f"/statements/{statement}?filter[{name}]=%20")
    assert data(answer)["id"] == statement


@pytest.mark.parametrize(
    ("path", "name", "status"),
    [
        ("/npq-applications", "updated_since", 400),
        ("/npq-applications", "participant_id", 400),
        ("/participants/npq", "training_status", 422),
        ("/npq-applications", "cohort", 200),
    ],
)
def test_what_rails_does_not_count_as_blank_is_a_value(
    client: FlaskClient, path: str, name: str, status: int
) -> None:
    # U+001C is whitespace to Python but not to Ruby: it is a value, and a bad one.
    answer = get(client, f"{path}?filter[{name}]=%1C")
    assert answer.status_code == status
    if status == 200:
        assert data(answer) == []


@pytest.mark.parametrize("blank", [" ", "\t \n", "\u00a0"])
def test_a_blank_schedule_on_accept_is_the_default(
    fresh_client: FlaskClient, fresh_cases: Cases, blank: str
) -> None:
    app_id = mine(fresh_cases, "pending_application_2023a")
    answer = post(
        fresh_client, f"/npq-applications/{app_id}/accept", body(schedule_identifier=blank), **TODAY
    )
    # A specialist course accepted between 3 April and 25 December starts in the autumn.
    assert data(answer)["attributes"]["schedule_identifier"] == "npq-specialist-autumn"
