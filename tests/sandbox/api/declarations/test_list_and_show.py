"""GET /participant-declarations and /participant-declarations/{id}: docs/rules.md §8.1, §8.2."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import AMBITION, BEST_PRACTICE, NOT_FOUND, all_pages, bad_request, data, get

ATTRIBUTES = [
    "participant_id",
    "declaration_type",
    "course_identifier",
    "declaration_date",
    "state",
    "has_passed",
    "statement_id",
    "clawback_statement_id",
    "uplift_paid",
    "lead_provider_name",
    "ineligible_for_funding_reason",
    "created_at",
    "delivery_partner_id",
    "delivery_partner_name",
    "secondary_delivery_partner_id",
    "secondary_delivery_partner_name",
    "application_id",
    "updated_at",
]


# state as shown -> (has a statement_id, has a clawback_statement_id)
STATEMENT_LINKS = {
    "submitted": (False, False),
    "eligible": (True, False),
    "payable": (True, False),
    "paid": (True, False),
    "voided": (False, False),
    "ineligible": (False, False),
    "awaiting-clawback": (True, True),
    "clawed-back": (True, True),
}


def _declaration(client: FlaskClient, declaration_id: str) -> dict:
    return data(get(client, f"/participant-declarations/{declaration_id}"))


@pytest.mark.parametrize("state", list(STATEMENT_LINKS))
def test_each_state_is_dasherized_with_its_statements(
    client: FlaskClient, cases: dict, state: str
) -> None:
    case = "declaration_" + state.replace("-", "_")
    found = _declaration(client, cases[AMBITION.id][case])
    attributes = found["attributes"]
    assert found["type"] == "participant-declaration"
    assert list(attributes) == ATTRIBUTES
    assert attributes["state"] == state
    has_statement, has_clawback = STATEMENT_LINKS[state]
    assert (attributes["statement_id"] is not None) is has_statement
    assert (attributes["clawback_statement_id"] is not None) is has_clawback
    assert attributes["lead_provider_name"] == AMBITION.name


def test_statement_ids_point_at_visible_statements(client: FlaskClient, cases: dict) -> None:
    attributes = _declaration(client, cases[AMBITION.id]["declaration_paid"])["attributes"]
    statement = data(get(client, f"/statements/{attributes['statement_id']}"))
    assert statement["attributes"]["paid"] is True


def test_has_passed_follows_the_latest_outcome(client: FlaskClient) -> None:
    completed = [
        d["attributes"]
        for d in all_pages(client, "/participant-declarations")
        if d["attributes"]["declaration_type"] == "completed"
    ]
    assert {c["has_passed"] for c in completed} >= {True, False, None}
    outcomes = all_pages(client, "/participants/npq/outcomes")
    assert {o["attributes"]["state"] for o in outcomes} == {"passed", "failed", "voided"}


def test_transferred_declaration_is_readable(client: FlaskClient, cases: dict) -> None:
    attributes = _declaration(client, cases[AMBITION.id]["transferred_declaration"])["attributes"]
    assert attributes["lead_provider_name"] == BEST_PRACTICE.name
    application = data(get(client, f"/npq-applications/{attributes['application_id']}"))
    assert application["attributes"]["participant_id"] == attributes["participant_id"]


def test_another_providers_declaration_is_invisible(client: FlaskClient, cases: dict) -> None:
    theirs = cases[BEST_PRACTICE.id]["declaration_paid"]
    response = get(client, f"/participant-declarations/{theirs}")
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)
    assert theirs not in {d["id"] for d in all_pages(client, "/participant-declarations")}


def test_order_is_created_at(client: FlaskClient) -> None:
    created = [
        d["attributes"]["created_at"] for d in all_pages(client, "/participant-declarations")
    ]
    assert created == sorted(created)


def test_sort_is_ignored(client: FlaskClient) -> None:
    plain = [d["id"] for d in all_pages(client, "/participant-declarations")]
    assert [
        d["id"] for d in all_pages(client, "/participant-declarations?sort=-created_at")
    ] == plain


def test_cohort_filter(client: FlaskClient) -> None:
    found = all_pages(client, "/participant-declarations?filter[cohort]=2025")
    assert found
    for declaration in found:
        application = data(
            get(client, f"/npq-applications/{declaration['attributes']['application_id']}")
        )
        assert application["attributes"]["cohort"] == "2025"


def test_participant_id_filter_takes_a_list(client: FlaskClient, cases: dict) -> None:
    first = _declaration(client, cases[AMBITION.id]["declaration_paid"])["attributes"][
        "participant_id"
    ]
    second = _declaration(client, cases[AMBITION.id]["declaration_voided"])["attributes"][
        "participant_id"
    ]
    found = all_pages(client, f"/participant-declarations?filter[participant_id]={first},{second}")
    assert {d["attributes"]["participant_id"] for d in found} == {first, second}


def test_updated_since_before_participant_id(client: FlaskClient) -> None:
    response = get(
        client, "/participant-declarations?filter[participant_id]=x&filter[updated_since]=x"
    )
    assert response.get_json() == bad_request(
        "The filter '#/updated_since' must be a valid ISO 8601 date"
    )


def test_b5_bad_participant_id(client: FlaskClient) -> None:
    response = get(client, "/participant-declarations?filter[participant_id]=not-a-uuid")
    assert (response.status_code, response.get_json()) == (
        400,
        bad_request("The filter '#/participant_id' must be a comma-delimited list of valid UUIDs"),
    )
