"""Declaration dates that cast to a time but are not RFC 3339: docs/rules.md §8.3 rule 5."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import Cases, data, errors, failed, get
from tests.sandbox.api.declarations.calls import declare, started

# Each casts to a time after the schedule's start, so DfE's format check is the only refusal.
PARSEABLE_NOT_RFC3339 = [
    "2025-11-03T10:00Z",
    "2025-11-03T10:00",
    "2025-11-03 10:00:00Z",
    "2025-11-03 10:00",
    "2025-11-03",
    "2025-11-03T10:00:00 UTC",
    "2025-11-3T10:00:00Z",
]


@pytest.mark.parametrize("value", PARSEABLE_NOT_RFC3339)
def test_only_the_format_message(fresh_client: FlaskClient, fresh_cases: Cases, value: str) -> None:
    before = get(fresh_client, "/participant-declarations?page[per_page]=3000").get_json()
    refused = declare(fresh_client, started(fresh_cases, declaration_date=value))
    assert failed(refused, 422) == errors(("declaration_date", m.INVALID_DECLARATION_DATE))
    after = get(fresh_client, "/participant-declarations?page[per_page]=3000").get_json()
    assert after == before


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2025-11-03t10:00:00z", "2025-11-03T10:00:00Z"),
        ("2025-11-03T10:00:00", "2025-11-03T10:00:00Z"),
        ("2025-11-03T10:00:00+01", "2025-11-03T09:00:00Z"),
        ("2025-11-03T10:00:00,5Z", "2025-11-03T10:00:00Z"),
    ],
)
def test_rfc3339_forms_dfe_accepts(
    fresh_client: FlaskClient, fresh_cases: Cases, value: str, shown: str
) -> None:
    made = declare(fresh_client, started(fresh_cases, declaration_date=value))
    assert data(made)["attributes"]["declaration_date"] == shown
