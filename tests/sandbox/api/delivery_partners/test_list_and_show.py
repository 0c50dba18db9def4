"""GET /delivery-partners and /delivery-partners/{id}: docs/rules.md §11; edge case I2 (§20)."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.helpers import AMBITION, BEST_PRACTICE, NOT_FOUND, Cases, all_pages, data, failed, get


def test_partner_shape_with_integer_cohorts(client: FlaskClient, cases: dict) -> None:
    found = data(get(client, f"/delivery-partners/{cases[AMBITION.id]['delivery_partner']}"))
    assert found["type"] == "delivery-partner"
    attributes = found["attributes"]
    assert list(attributes) == ["name", "cohort", "created_at", "updated_at"]
    assert attributes["cohort"] == sorted(attributes["cohort"])
    assert all(isinstance(year, int) for year in attributes["cohort"])


def test_i2_cohort_filter_collapses_suffixes(client: FlaskClient, cases: dict) -> None:
    only_2025a = cases[AMBITION.id]["delivery_partner_2025a_only"]
    partner = data(get(client, f"/delivery-partners/{only_2025a}"))
    assert partner["attributes"]["cohort"] == [2025]
    found = all_pages(client, "/delivery-partners?filter[cohort]=2025")
    assert only_2025a in {p["id"] for p in found}
    assert len(found) == len({p["id"] for p in found})
    assert only_2025a not in {
        p["id"] for p in all_pages(client, "/delivery-partners?filter[cohort]=2024")
    }


def test_default_order_is_name_and_sort_works(client: FlaskClient) -> None:
    names = [p["attributes"]["name"] for p in all_pages(client, "/delivery-partners")]
    assert names == sorted(names)
    reverse = [p["attributes"]["name"] for p in all_pages(client, "/delivery-partners?sort=-name")]
    assert reverse == sorted(names, reverse=True)


def test_i2_unpartnered_partner_is_not_found(client: FlaskClient, cases: dict) -> None:
    theirs = cases[BEST_PRACTICE.id]["delivery_partner_2025a_only"]
    response = get(client, f"/delivery-partners/{theirs}")
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)
    assert theirs not in {p["id"] for p in all_pages(client, "/delivery-partners")}


def test_i2_delivery_partner_cohorts(client: FlaskClient, cases: Cases) -> None:
    partners = all_pages(client, "/delivery-partners?filter[cohort]=2025")
    found = [p["id"] for p in partners]
    assert len(found) == len(set(found))
    assert cases[AMBITION.id]["delivery_partner_2025a_only"] in found
    for partner in partners:
        years = partner["attributes"]["cohort"]
        assert 2025 in years
        assert years == sorted(set(years)) and all(isinstance(y, int) for y in years)
    unpartnered = cases[AMBITION.id]["unpartnered_delivery_partner"]
    assert failed(get(client, f"/delivery-partners/{unpartnered}"), 404) == NOT_FOUND
