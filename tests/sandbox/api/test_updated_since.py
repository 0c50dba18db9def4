"""`filter[updated_since]` keeps exactly the records whose shown `updated_at` is that late.

docs/rules.md §3.3; edge case I5 (§20).
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import AMBITION, Cases, all_pages, data, get, ids
from tests.sandbox.control.calls import mark

LISTS = ["/npq-applications", "/participants/npq", "/participant-declarations", "/statements"]


@pytest.mark.parametrize("path", LISTS)
def test_updated_since_keeps_exactly_the_later_records(client: FlaskClient, path: str) -> None:
    everything = all_pages(client, path)
    stamps = sorted(r["attributes"]["updated_at"] for r in everything)
    middle = stamps[len(stamps) // 2]
    expected = {r["id"] for r in everything if r["attributes"]["updated_at"] >= middle}
    found = {r["id"] for r in all_pages(client, f"{path}?filter[updated_since]={middle}")}
    assert found == expected
    assert 0 < len(found) < len(everything)


def test_created_since_keeps_exactly_the_later_outcomes(client: FlaskClient) -> None:
    everything = all_pages(client, "/participants/npq/outcomes")
    stamps = sorted(o["attributes"]["created_at"] for o in everything)
    middle = stamps[len(stamps) // 2]
    expected = {o["id"] for o in everything if o["attributes"]["created_at"] >= middle}
    found = all_pages(client, f"/participants/npq/outcomes?filter[created_since]={middle}")
    assert {o["id"] for o in found} == expected
    assert 0 < len(expected) < len(everything)


def test_i5_updated_since_after_dfe_moves(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    statement_id = fresh_cases[AMBITION.id]["statement_open"]
    moved = data(mark(fresh_client, statement_id, "payable"))[1:]
    assert moved
    since = "/participant-declarations?filter[updated_since]=2026-11-30T11:59:59Z"
    polled = ids(get(fresh_client, since))
    assert set(polled) == {d["id"] for d in moved}
    assert fresh_cases[AMBITION.id]["declaration_eligible"] in polled
