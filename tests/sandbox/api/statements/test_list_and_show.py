"""GET /statements and /statements/{id}: docs/rules.md §10.2; edge case I1 (§20)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    NOT_FOUND,
    Cases,
    all_pages,
    bad_request,
    data,
    failed,
    get,
)

MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
}


def test_statement_shape(client: FlaskClient, cases: dict) -> None:
    found = data(get(client, f"/statements/{cases[AMBITION.id]['statement_paid']}"))
    assert found["type"] == "statement"
    attributes = found["attributes"]
    assert list(attributes) == [
        "month",
        "year",
        "cohort",
        "cut_off_date",
        "payment_date",
        "paid",
        "created_at",
        "updated_at",
    ]
    assert attributes["month"] in MONTHS and attributes["paid"] is True
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", attributes["cut_off_date"])
    assert re.match(r"^\d{4}$", attributes["year"]) and re.match(r"^\d{4}$", attributes["cohort"])


def test_only_paid_statements_say_paid(client: FlaskClient, cases: dict) -> None:
    for case in ("statement_open", "statement_payable"):
        assert (
            data(get(client, f"/statements/{cases[AMBITION.id][case]}"))["attributes"]["paid"]
            is False
        )


def test_i1_non_output_fee_and_other_providers_statements_are_hidden(
    client: FlaskClient, cases: dict
) -> None:
    hidden = [
        cases[AMBITION.id]["non_output_fee_statement"],
        cases[BEST_PRACTICE.id]["statement_paid"],
    ]
    listed = {s["id"] for s in all_pages(client, "/statements")}
    for statement_id in hidden:
        response = get(client, f"/statements/{statement_id}")
        assert (response.status_code, response.get_json()) == (404, NOT_FOUND)
        assert statement_id not in listed


def test_i1_output_fee_months_only_and_ordered_by_payment_date(client: FlaskClient) -> None:
    found = [s["attributes"] for s in all_pages(client, "/statements")]
    payment_dates = [s["payment_date"] for s in found]
    assert payment_dates == sorted(payment_dates)
    assert {s["cohort"] for s in found} == {"2021", "2022", "2023", "2024", "2025", "2026"}


def test_cohort_filter_and_show_honours_it(client: FlaskClient, cases: dict) -> None:
    found = all_pages(client, "/statements?filter[cohort]=2023,2024")
    assert {s["attributes"]["cohort"] for s in found} == {"2023", "2024"}
    statement = data(get(client, f"/statements/{cases[AMBITION.id]['statement_paid']}"))
    other_year = "2021" if statement["attributes"]["cohort"] != "2021" else "2022"
    response = get(client, f"/statements/{statement['id']}?filter[cohort]={other_year}")
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)


def test_bad_updated_since(client: FlaskClient) -> None:
    response = get(client, "/statements?filter[updated_since]=2025-01-01")
    assert (response.status_code, response.get_json()) == (
        400,
        bad_request("The filter '#/updated_since' must be a valid ISO 8601 date"),
    )


def test_i1_statement_visibility(client: FlaskClient, cases: Cases) -> None:
    listed = all_pages(client, "/statements")
    payment_dates = [s["attributes"]["payment_date"] for s in listed]
    assert payment_dates == sorted(payment_dates)
    mine = cases[AMBITION.id]
    assert mine["statement_open"] in [s["id"] for s in listed]
    assert mine["non_output_fee_statement"] not in [s["id"] for s in listed]
    for hidden in (mine["non_output_fee_statement"], cases[BEST_PRACTICE.id]["statement_open"]):
        assert failed(get(client, f"/statements/{hidden}"), 404) == NOT_FOUND
    # 2025a and 2025b statements both show the start year only.
    cohorts = {
        s["attributes"]["cohort"] for s in all_pages(client, "/statements?filter[cohort]=2025")
    }
    assert cohorts == {"2025"}
    paid = {s["id"]: s["attributes"]["paid"] for s in listed}
    assert (paid[mine["statement_paid"]], paid[mine["statement_payable"]]) == (True, False)
    assert paid[mine["statement_open"]] is False
