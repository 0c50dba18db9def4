"""SCENARIOS.md section I: statements, delivery partners, rate limits and polling."""

from __future__ import annotations

from flask.testing import FlaskClient

from sandbox import Settings, create_app
from sandbox.settings import Limit
from sandbox.store.db import Database
from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    NOT_FOUND,
    Cases,
    all_pages,
    data,
    failed,
    get,
    ids,
)
from tests.sandbox.control.calls import mark


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


def test_i4_rate_limit(fresh_db: Database) -> None:
    client = create_app(Settings(database=fresh_db, rate_limit=Limit(5, 300))).test_client()
    for _ in range(5):
        assert get(client, "/statements").status_code == 200
    refused = get(client, "/statements")
    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "text/plain"
    assert refused.get_data(as_text=True) == "Retry later\n"
    assert 1 <= int(refused.headers["Retry-After"]) <= 300
    # Counted per Authorization header value: another token is not refused.
    assert get(client, "/statements", BEST_PRACTICE.token).status_code == 200
    # Unknown routes are throttled too (DfE throttles before routing).
    assert get(client, "/no-such-route").status_code == 429


def test_i5_updated_since_after_dfe_moves(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    statement_id = fresh_cases[AMBITION.id]["statement_open"]
    moved = data(mark(fresh_client, statement_id, "payable"))[1:]
    assert moved
    since = "/participant-declarations?filter[updated_since]=2026-11-30T11:59:59Z"
    polled = ids(get(fresh_client, since))
    assert set(polled) == {d["id"] for d in moved}
    assert fresh_cases[AMBITION.id]["declaration_eligible"] in polled
