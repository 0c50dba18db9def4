"""Paging, sorting and filters through HTTP: docs/rules.md §3; edge cases B1-B8 (§20)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain.records import Declaration
from npq_sandbox.store.db import Database
from npq_sandbox.store.rows import from_row, insert_all
from npq_sandbox.store.schema import applications, declarations
from sqlalchemy import select

from tests.helpers import AMBITION, Cases, all_pages, bad_request, data, errors, get, ids

BAD_PAGE = bad_request(
    "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"
)


BAD_UPDATED_SINCE = bad_request("The filter '#/updated_since' must be a valid ISO 8601 date")


BAD_PARTICIPANT_IDS = bad_request(
    "The filter '#/participant_id' must be a comma-delimited list of valid UUIDs"
)


def copy_declarations(db: Database, template_id: str, count: int) -> None:
    """Store `count` copies of a seeded declaration, so a list outgrows the largest page."""
    with db.transaction(write=True) as conn:
        row = conn.execute(select(declarations).where(declarations.c.id == template_id))
        template = from_row(Declaration, row.mappings().one())
        copies = (replace(template, id=str(uuid.uuid4())) for _ in range(count))
        insert_all(conn, declarations, copies)


def test_b1_per_page_above_maximum(fresh_client: FlaskClient, fresh_db: Database) -> None:
    copy_declarations(fresh_db, _first_declaration(fresh_client), 3001)
    assert len(data(get(fresh_client, "/participant-declarations?page[per_page]=5000"))) == 3000
    second = get(fresh_client, "/participant-declarations?page[per_page]=5000&page[page]=2")
    assert ids(second) == ids(
        get(fresh_client, "/participant-declarations?page[per_page]=3000&page[page]=2")
    )


def _first_declaration(client: FlaskClient) -> str:
    first: str = data(get(client, "/participant-declarations?page[per_page]=1"))[0]["id"]
    return first


@pytest.mark.parametrize(
    "query",
    ["page[page]=0", "page[page]=-1", "page[per_page]=0", "page[per_page]=abc", "page[page]="],
)
def test_b2_invalid_page_numbers(client: FlaskClient, query: str) -> None:
    response = get(client, f"/npq-applications?{query}")
    assert (response.status_code, response.get_json()) == (400, BAD_PAGE)


def test_b3_past_the_last_page(client: FlaskClient) -> None:
    total = len(all_pages(client, "/npq-applications"))
    last = -(-total // 5)
    page = get(client, f"/npq-applications?page[per_page]=5&page[page]={last}")
    assert len(data(page)) == total - 5 * (last - 1)
    past = get(client, f"/npq-applications?page[per_page]=5&page[page]={last + 1}")
    assert (past.status_code, past.get_json()) == (200, {"data": []})


@pytest.mark.parametrize(
    "value",
    [
        "invalid",
        "2025-01-28T13:15Z",
        "2025-01-28",
        "2025-01-28T13:15:00+01:00",
        "2025-01-28T13:15:00%2B01:00",
    ],
)
def test_b4_bad_updated_since(client: FlaskClient, value: str) -> None:
    response = get(client, f"/npq-applications?filter[updated_since]={value}")
    assert (response.status_code, response.get_json()) == (400, BAD_UPDATED_SINCE)


def test_b4_bad_created_since_and_a_good_date(client: FlaskClient) -> None:
    response = get(client, "/participants/npq/outcomes?filter[created_since]=invalid")
    expected = bad_request("The filter '#/created_since' must be a valid ISO 8601 date")
    assert (response.status_code, response.get_json()) == (400, expected)
    good = get(client, "/npq-applications?filter[updated_since]=2025-01-28T13:15:00Z")
    assert good.status_code == 200


@pytest.mark.parametrize(
    "query", ["filter[participant_id]=not-a-uuid", "filter[participant_id][x]=1"]
)
def test_b5_bad_participant_id_filter(client: FlaskClient, query: str) -> None:
    response = get(client, f"/participant-declarations?{query}")
    assert (response.status_code, response.get_json()) == (400, BAD_PARTICIPANT_IDS)


def test_b5_participant_id_list_filters(client: FlaskClient) -> None:
    everything = all_pages(client, "/participant-declarations")
    chosen = sorted({d["attributes"]["participant_id"] for d in everything})[:2]
    expected = [d["id"] for d in everything if d["attributes"]["participant_id"] in chosen]
    found = all_pages(
        client, f"/participant-declarations?filter[participant_id]={','.join(chosen)}"
    )
    assert [d["id"] for d in found] == expected


def test_b6_bad_training_status_filter(client: FlaskClient) -> None:
    response = get(client, "/participants/npq?filter[training_status]=paused")
    detail = 'The filter \'#/training_status\' must be ["active", "deferred", "withdrawn"]'
    assert (response.status_code, response.get_json()) == (
        422,
        errors(("Unpermitted parameters", detail)),
    )


def test_b6_withdrawn_filter_lists_withdrawn_enrolments_only(
    client: FlaskClient, cases: Cases
) -> None:
    withdrawn = all_pages(client, "/participants/npq?filter[training_status]=withdrawn")
    assert cases[AMBITION.id]["withdrawn_participant"] in {p["id"] for p in withdrawn}
    statuses = {e["training_status"] for p in withdrawn for e in p["attributes"]["npq_enrolments"]}
    assert statuses == {"withdrawn"}


def test_b7_cohort_filter_spans_suffixes(client: FlaskClient) -> None:
    in_2025 = all_pages(client, "/npq-applications?filter[cohort]=2025")
    assert {(a["attributes"]["cohort"], a["attributes"]["cohort_suffix"]) for a in in_2025} == {
        ("2025", "a"),
        ("2025", "b"),
    }
    both = all_pages(client, "/npq-applications?filter[cohort]=2024,2025")
    assert {a["attributes"]["cohort"] for a in both} == {"2024", "2025"}
    assert len(both) == len(in_2025) + len(
        all_pages(client, "/npq-applications?filter[cohort]=2024")
    )


def test_b8_sorting_quirks(client: FlaskClient, seeded: tuple[Database, object]) -> None:
    with seeded[0].transaction() as conn:
        rows = conn.execute(
            select(applications.c.id, applications.c.updated_at, applications.c.created_at).where(
                applications.c.lead_provider_id == AMBITION.id
            )
        ).all()
    # Rails sorts on the raw columns, not on the `updated_at` the API shows (which also
    # counts the participant's changes); ties on both keep no particular order.
    expected = sorted(rows, key=lambda r: (-r.updated_at.timestamp(), r.created_at))
    found = all_pages(client, "/npq-applications?sort=-updated_at,created_at")
    keys = {r.id: (r.updated_at, r.created_at) for r in rows}
    assert [keys[a["id"]] for a in found] == [(r.updated_at, r.created_at) for r in expected]
    plain = {a["id"] for a in all_pages(client, "/npq-applications")}
    for unordered in ("sort=foo", "sort=+created_at"):
        assert {a["id"] for a in all_pages(client, f"/npq-applications?{unordered}")} == plain
    in_order = [d["id"] for d in all_pages(client, "/participant-declarations")]
    resorted = all_pages(client, "/participant-declarations?sort=-created_at")
    assert [d["id"] for d in resorted] == in_order
