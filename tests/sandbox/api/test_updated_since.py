"""`filter[updated_since]` keeps exactly the records whose shown `updated_at` is that late."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import all_pages

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
