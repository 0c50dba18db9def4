"""GET /npq-applications and /npq-applications/{id}, as a client sees them.

docs/rules.md §5.1 and §5.2, and §1.2 for edge case A3 (§20).
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    NOT_FOUND,
    PROVIDERS,
    Cases,
    all_pages,
    assert_refused,
    bad_request,
    body,
    data,
    get,
    ids,
    mine,
    post,
    put,
)

ATTRIBUTES = [
    "course_identifier",
    "email",
    "email_validated",
    "employer_name",
    "employment_role",
    "full_name",
    "funding_choice",
    "headteacher_status",
    "ineligible_for_funding_reason",
    "participant_id",
    "private_childcare_provider_urn",
    "teacher_reference_number",
    "teacher_reference_number_validated",
    "school_urn",
    "school_ukprn",
    "status",
    "reason_for_rejection",
    "works_in_school",
    "cohort",
    "cohort_suffix",
    "eligible_for_funding",
    "targeted_delivery_funding_eligibility",
    "teacher_catchment",
    "teacher_catchment_country",
    "teacher_catchment_iso_country_code",
    "itt_provider",
    "lead_mentor",
    "funded_place",
    "created_at",
    "updated_at",
    "schedule_identifier",
    "works_as_senco",
    "senco_start_date",
]


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def test_one_application_has_dfe_shape(client: FlaskClient, cases: dict) -> None:
    application_id = cases[AMBITION.id]["accepted_application"]
    found = data(get(client, f"/npq-applications/{application_id}"))
    assert (found["id"], found["type"]) == (application_id, "npq_application")
    attributes = found["attributes"]
    assert list(attributes) == ATTRIBUTES
    assert attributes["status"] == "accepted"
    assert attributes["email_validated"] is True
    assert RFC3339.match(attributes["created_at"]) and RFC3339.match(attributes["updated_at"])
    assert re.match(r"^\d{4}$", attributes["cohort"])
    assert isinstance(attributes["teacher_catchment"], bool)


def test_list_shows_every_status_and_no_meta(client: FlaskClient) -> None:
    response = get(client, "/npq-applications?page[per_page]=3000")
    body = response.get_json()
    assert list(body) == ["data"]
    assert {a["attributes"]["status"] for a in body["data"]} == {"pending", "accepted", "rejected"}


def test_rejection_reasons_are_codes(client: FlaskClient, cases: dict) -> None:
    mine = cases[AMBITION.id]
    expected = {
        "rejected_by_provider_application": "rejected_by_provider",
        "rejected_other_accepted_application": "other_application_in_this_cohort_accepted",
    }
    for case, reason in expected.items():
        attributes = data(get(client, f"/npq-applications/{mine[case]}"))["attributes"]
        assert (attributes["status"], attributes["reason_for_rejection"]) == ("rejected", reason)


def test_a3_another_providers_application_is_invisible(client: FlaskClient, cases: dict) -> None:
    theirs = cases[BEST_PRACTICE.id]["pending_application"]
    response = get(client, f"/npq-applications/{theirs}")
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)
    assert theirs not in {a["id"] for a in all_pages(client, "/npq-applications")}


def test_competing_pair_is_pending_with_both_providers(client: FlaskClient, cases: dict) -> None:
    mine = data(
        get(client, f"/npq-applications/{cases[AMBITION.id]['competing_pending_application']}")
    )
    person = mine["attributes"]["participant_id"]
    others = [
        a
        for a in all_pages(
            client, f"/npq-applications?filter[participant_id]={person}", BEST_PRACTICE.token
        )
        if a["attributes"]["course_identifier"] == mine["attributes"]["course_identifier"]
    ]
    assert mine["attributes"]["status"] == "pending"
    assert [a["attributes"]["status"] for a in others] == ["pending"]
    assert others[0]["attributes"]["cohort"] == mine["attributes"]["cohort"]


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_every_provider_sees_only_its_own(client: FlaskClient, cases: dict, provider) -> None:
    seen = {a["id"] for a in all_pages(client, "/npq-applications", provider.token)}
    assert cases[provider.id]["pending_application"] in seen
    others = {c["pending_application"] for p, c in cases.items() if p != provider.id}
    assert not seen & others


def test_b3_past_the_last_page_is_empty(client: FlaskClient) -> None:
    total = len(all_pages(client, "/npq-applications"))
    last = (total + 4) // 5
    assert (
        len(data(get(client, f"/npq-applications?page[per_page]=5&page[page]={last}")))
        == total - (last - 1) * 5
    )
    assert get(client, f"/npq-applications?page[per_page]=5&page[page]={last + 1}").get_json() == {
        "data": []
    }


def test_pages_partition_the_list(client: FlaskClient) -> None:
    everything = ids(get(client, "/npq-applications?page[per_page]=3000"))
    paged = [
        i
        for n in (1, 2, 3)
        for i in ids(get(client, f"/npq-applications?page[per_page]=7&page[page]={n}"))
    ]
    assert paged == everything[:21]


def test_default_page_size_is_100(client: FlaskClient) -> None:
    assert len(all_pages(client, "/npq-applications")) > 100
    assert len(data(get(client, "/npq-applications"))) == 100


def test_b1_per_page_is_clamped_at_3000(client: FlaskClient) -> None:
    assert ids(get(client, "/npq-applications?page[per_page]=5000")) == ids(
        get(client, "/npq-applications?page[per_page]=3000")
    )


@pytest.mark.parametrize(
    "query",
    ["page[page]=0", "page[page]=-1", "page[per_page]=0", "page[per_page]=abc", "page[page]="],
)
def test_b2_invalid_page_numbers(client: FlaskClient, query: str) -> None:
    response = get(client, f"/npq-applications?{query}")
    assert response.status_code == 400
    assert response.get_json() == bad_request(
        "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"
    )


def test_default_order_is_created_at(client: FlaskClient) -> None:
    created = [a["attributes"]["created_at"] for a in all_pages(client, "/npq-applications")]
    assert created == sorted(created)


def test_b8_unknown_sort_field_still_lists_everything(client: FlaskClient) -> None:
    plain = {a["id"] for a in all_pages(client, "/npq-applications")}
    assert {a["id"] for a in all_pages(client, "/npq-applications?sort=foo")} == plain
    assert {a["id"] for a in all_pages(client, "/npq-applications?sort=+created_at")} == plain


def test_b8_sort_by_created_at_descending(client: FlaskClient) -> None:
    created = [
        a["attributes"]["created_at"]
        for a in all_pages(client, "/npq-applications?sort=-created_at")
    ]
    assert created == sorted(created, reverse=True)


def test_b7_cohort_filter_spans_suffixes(client: FlaskClient) -> None:
    found = all_pages(client, "/npq-applications?filter[cohort]=2025")
    assert {a["attributes"]["cohort"] for a in found} == {"2025"}
    assert {a["attributes"]["cohort_suffix"] for a in found} == {"a", "b"}
    both = all_pages(client, "/npq-applications?filter[cohort]=2024,2025")
    assert {a["attributes"]["cohort"] for a in both} == {"2024", "2025"}
    assert get(client, "/npq-applications?filter[cohort]=1999").get_json() == {"data": []}


def test_participant_id_filter(client: FlaskClient, cases: dict) -> None:
    person = data(get(client, f"/npq-applications/{cases[AMBITION.id]['accepted_application']}"))[
        "attributes"
    ]["participant_id"]
    found = all_pages(client, f"/npq-applications?filter[participant_id]={person}")
    assert found and {a["attributes"]["participant_id"] for a in found} == {person}


@pytest.mark.parametrize(
    "query", ["filter[participant_id]=not-a-uuid", "filter[participant_id][x]=1"]
)
def test_b5_bad_participant_id_filter(client: FlaskClient, query: str) -> None:
    response = get(client, f"/npq-applications?{query}")
    assert response.status_code == 400
    assert response.get_json() == bad_request(
        "The filter '#/participant_id' must be a comma-delimited list of valid UUIDs"
    )


@pytest.mark.parametrize(
    "value",
    [
        "invalid",
        "2025-01-28T13:15Z",
        "2025-01-28",
        "2025-01-28T13:15:00%2B01:00",
        "2025-01-28T13:15:00+01:00",
    ],
)
def test_b4_bad_updated_since(client: FlaskClient, value: str) -> None:
    response = get(client, f"/npq-applications?filter[updated_since]={value}")
    assert response.status_code == 400
    assert response.get_json() == bad_request(
        "The filter '#/updated_since' must be a valid ISO 8601 date"
    )


def test_filter_order_participant_id_before_updated_since(client: FlaskClient) -> None:
    response = get(
        client, "/npq-applications?filter[updated_since]=x&filter[participant_id]=y&page[page]=0"
    )
    assert response.get_json() == bad_request(
        "The filter '#/participant_id' must be a comma-delimited list of valid UUIDs"
    )


def test_unknown_and_blank_filters_are_ignored(client: FlaskClient) -> None:
    plain = ids(get(client, "/npq-applications"))
    assert ids(get(client, "/npq-applications?filter[status]=pending&filter[cohort]=")) == plain


def test_an_absurdly_deep_page_is_empty(client: FlaskClient) -> None:
    response = get(client, f"/npq-applications?page[page]={10**30}")
    assert (response.status_code, response.get_json()) == (200, {"data": []})


def test_a3_other_providers_application(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    theirs = mine(fresh_cases, "invisible_application")
    path = f"/npq-applications/{theirs}"
    assert_refused(get(fresh_client, path), 404, NOT_FOUND)
    assert_refused(post(fresh_client, f"{path}/accept"), 404, NOT_FOUND)
    assert_refused(post(fresh_client, f"{path}/reject"), 404, NOT_FOUND)
    changed = put(fresh_client, f"{path}/change-funded-place", body(funded_place=True))
    assert_refused(changed, 404, NOT_FOUND)
    assert theirs not in {item["id"] for item in all_pages(fresh_client, "/npq-applications")}
