"""Odd query strings never give a 500 or a non-JSON body, on any list."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import LISTS, get

ODD = [
    "filter[updated_since][x]=1",
    "filter[created_since][x]=1",
    "filter[cohort][]=1",
    "filter[cohort]=%E2%82",
    "filter[participant_id]=%ZZ",
    "filter[training_status][x]=1",
    "filter[from_participant_id][a]=1",
    "filter[]=1",
    "page[page][x]=1",
    "page[]=3",
    "sort[x]=1",
    "sort=,,,-",
    "=31",
    "[]=1",
    "%F0%A6%B6%84=%C3%A4",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("query", ODD)
def test_odd_query_gets_a_json_answer(client: FlaskClient, path: str, query: str) -> None:
    response = get(client, f"{path}?{query}")
    assert response.status_code in (200, 400, 422)
    assert response.headers["Content-Type"] == "application/json"
    assert response.get_json() is not None
