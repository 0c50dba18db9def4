"""A format suffix routes as in Rails: docs/rules.md §0."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from npq_sandbox.middleware.formats import without_suffix

from tests.helpers import NOT_FOUND, TODAY, Cases, data, get, mine, post
from tests.sandbox.control.calls import sandbox

LISTS_AND_RECORDS = [
    ("/statements", None),
    ("/npq-applications", None),
    ("/participants/npq", None),
    ("/participants/npq/outcomes", None),
    ("/participant-declarations", None),
    ("/delivery-partners", None),
    ("/npq-applications/{}", "accepted_application"),
    ("/participants/npq/{}", "active_participant"),
    ("/participants/npq/{}/outcomes", "active_participant"),
    ("/participant-declarations/{}", "declaration_eligible"),
    ("/statements/{}", "statement_open"),
    ("/delivery-partners/{}", "delivery_partner"),
]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v3/statements.json", "/api/v3/statements"),
        ("/api/v3/npq-applications/abc.xml", "/api/v3/npq-applications/abc"),
        ("/api/v3/npq-applications/abc/accept.json", "/api/v3/npq-applications/abc/accept"),
        ("/api/v3/statements.json.xml", "/api/v3/statements.json"),
        ("/api/v3/statements", "/api/v3/statements"),
        ("/api/v3/statements/", "/api/v3/statements/"),
        ("/api/v3/.json", "/api/v3/.json"),
        ("/api/v3/statements/.json", "/api/v3/statements/.json"),
    ],
)
def test_without_suffix(path: str, expected: str) -> None:
    assert without_suffix(path) == expected


@pytest.mark.parametrize(("path", "case"), LISTS_AND_RECORDS)
@pytest.mark.parametrize("suffix", [".json", ".xml"])
def test_a_suffixed_get_answers_as_the_plain_one(
    client: FlaskClient, cases: Cases, path: str, case: str | None, suffix: str
) -> None:
    target = path.format(mine(cases, case)) if case else path
    plain, suffixed = get(client, target), get(client, f"{target}{suffix}")
    assert plain.status_code == 200
    assert (suffixed.status_code, suffixed.get_data()) == (200, plain.get_data())
    assert suffixed.headers["Content-Type"] == "application/json"


def test_a_suffixed_write(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = mine(fresh_cases, "pending_application_2023a")
    accepted = post(fresh_client, f"/npq-applications/{app_id}/accept.json", **TODAY)
    assert data(accepted)["attributes"]["status"] == "accepted"
    again = post(fresh_client, f"/npq-applications/{app_id}/accept.json", **TODAY)
    assert again.status_code == 422


def test_a_suffixed_query_keeps_its_filters(client: FlaskClient) -> None:
    plain = get(client, "/npq-applications?filter[cohort]=2025&page[per_page]=5")
    suffixed = get(client, "/npq-applications.json?filter[cohort]=2025&page[per_page]=5")
    assert suffixed.get_data() == plain.get_data()


@pytest.mark.parametrize("path", ["/statements.json.xml", "/statementsjson", "/statements/.json"])
def test_only_one_suffix_after_a_name(client: FlaskClient, path: str) -> None:
    answer = get(client, path)
    assert (answer.status_code, answer.get_json()) == (404, NOT_FOUND)


def test_the_journal_keeps_the_path_as_sent(fresh_client: FlaskClient) -> None:
    get(fresh_client, "/statements.json")
    [entry] = data(sandbox(fresh_client, "GET", "/journal"))
    assert entry["attributes"]["path"] == "/api/v3/statements.json"
