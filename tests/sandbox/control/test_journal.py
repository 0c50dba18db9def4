"""/sandbox/journal: every /api/v3 request of the caller and its answer, oldest first."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox import Settings, create_app
from npq_sandbox.api import clock
from npq_sandbox.domain import messages as m
from npq_sandbox.settings import ADMIN_TOKEN
from npq_sandbox.store.db import Database

from tests.helpers import (
    ACCESS_DENIED,
    AMBITION,
    BEST_PRACTICE,
    NOT_FOUND,
    TODAY,
    bad_request,
    body,
    data,
    failed,
    get,
    post,
    put,
)
from tests.sandbox.control.calls import Cases, mine, sandbox

START = datetime(2026, 11, 30, 12, 0, 0, 123_456, tzinfo=UTC)


@pytest.fixture(autouse=True)
def real_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each request arrives one second after the previous one, so times are exact."""
    ticks = iter(range(10_000))
    monkeypatch.setattr(clock, "real_now", lambda: START + timedelta(seconds=next(ticks)))


def journal(client: FlaskClient, query: str = "", token: str = AMBITION.token) -> list[Any]:
    entries: list[dict[str, Any]] = data(sandbox(client, "GET", f"/journal{query}", token=token))
    for entry in entries:
        assert entry["attributes"].pop("duration_ms") >= 0  # real time: not compared
    return entries


def test_a_refused_write_is_recorded_with_both_bodies(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    application_id = mine(fresh_cases, "accepted_application")
    sent = body(funded_place=True)
    response = post(fresh_client, f"/npq-applications/{application_id}/accept", sent)
    answer = failed(response, 422)
    [entry] = journal(fresh_client)
    assert entry == {
        "id": entry["id"],
        "type": "journal-entry",
        "attributes": {
            "time": "2026-11-30T12:00:00.123456Z",
            "method": "POST",
            "path": f"/api/v3/npq-applications/{application_id}/accept",
            "query": {},
            "query_string": "",
            "request_body": sent,
            "request_size": len(json.dumps(sent)),  # as the test client encodes it
            "status": 422,
            "response_body": answer,
            "response_size": len(response.get_data()),
            "fault": None,
        },
    }
    assert entry["id"].isdigit()


def test_a_large_answer_is_recorded_by_size(fresh_client: FlaskClient) -> None:
    listed = get(fresh_client, "/npq-applications?page[per_page]=3000")
    assert listed.status_code == 200 and len(listed.get_data()) > 16 * 1024
    [entry] = journal(fresh_client)
    assert entry["attributes"]["response_body"] is None
    assert entry["attributes"]["response_size"] == len(listed.get_data())


def test_query_404_and_text_bodies_are_recorded(fresh_client: FlaskClient) -> None:
    get(fresh_client, "/statements?filter[cohort]=2025&filter[cohort]=2024&page[per_page]=1")
    assert failed(get(fresh_client, "/statements/nope"), 404) == NOT_FOUND
    headers = {"Authorization": f"Bearer {AMBITION.token}", "Content-Type": "text/plain"}
    fresh_client.post("/api/v3/participant-declarations", data="not json", headers=headers)
    first, second, third = (e["attributes"] for e in journal(fresh_client))
    assert first["query"] == {"filter[cohort]": "2024", "page[per_page]": "1"}
    assert first["query_string"] == "filter[cohort]=2025&filter[cohort]=2024&page[per_page]=1"
    assert first["status"] == 200 and first["response_body"]["data"]
    assert (second["status"], second["response_body"]) == (404, NOT_FOUND)
    assert (third["request_body"], third["status"]) == ("not json", 400)


def test_requests_without_a_providers_token_are_not_recorded(fresh_client: FlaskClient) -> None:
    assert failed(get(fresh_client, "/statements", token="nobody"), 401) == ACCESS_DENIED
    assert failed(get(fresh_client, "/statements", token=None), 401) == ACCESS_DENIED
    sandbox(fresh_client, "GET", "/clock")  # the control plane is never recorded
    assert journal(fresh_client) == []


def test_journals_are_per_provider(fresh_client: FlaskClient) -> None:
    get(fresh_client, "/statements")
    get(fresh_client, "/delivery-partners", token=BEST_PRACTICE.token)
    [theirs] = journal(fresh_client, token=BEST_PRACTICE.token)
    assert theirs["attributes"]["path"] == "/api/v3/delivery-partners"
    [ours] = journal(fresh_client)
    assert ours["attributes"]["path"] == "/api/v3/statements"


def test_filters(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    get(fresh_client, "/participant-declarations")  # 12:00:00
    post(fresh_client, "/participant-declarations", body(), **TODAY)  # 12:00:01
    put(fresh_client, "/participant-declarations/x/void", **TODAY)  # 12:00:02
    get(fresh_client, "/statements")  # 12:00:03

    def paths(query: str) -> list[tuple[str, str]]:
        found = journal(fresh_client, query)
        return [(e["attributes"]["method"], e["attributes"]["path"]) for e in found]

    assert paths("?filter[method]=post") == [("POST", "/api/v3/participant-declarations")]
    assert paths("?filter[path]=/api/v3/participant-declarations*") == [
        ("GET", "/api/v3/participant-declarations"),
        ("POST", "/api/v3/participant-declarations"),
        ("PUT", "/api/v3/participant-declarations/x/void"),
    ]
    assert paths("?filter[method]=GET&filter[path]=/api/v3/participant-declarations") == [
        ("GET", "/api/v3/participant-declarations")
    ]
    assert paths("?filter[path]=/api/v3/[!p]*") == [("GET", "/api/v3/statements")]
    since = "?filter[since]=2026-11-30T12:00:02.123456Z"
    assert paths(since) == [
        ("PUT", "/api/v3/participant-declarations/x/void"),
        ("GET", "/api/v3/statements"),
    ]
    assert paths("?filter[since]=2026-11-30T13:00:02.2%2B01:00") == [("GET", "/api/v3/statements")]


def test_bad_since_and_pagination_are_refused(fresh_client: FlaskClient) -> None:
    answer = sandbox(fresh_client, "GET", "/journal?filter[since]=yesterday")
    assert failed(answer, 400) == bad_request(m.invalid_date_filter("since"))
    answer = sandbox(fresh_client, "GET", "/journal?page[per_page]=0")
    assert failed(answer, 400) == bad_request(m.INVALID_PAGINATION)
    assert failed(sandbox(fresh_client, "GET", "/journal", token="nobody"), 401) == ACCESS_DENIED


def test_pages_oldest_first(fresh_client: FlaskClient) -> None:
    for _ in range(5):
        get(fresh_client, "/statements")
    ids = [e["id"] for e in journal(fresh_client)]
    assert ids == sorted(ids, key=int) and len(ids) == 5
    assert [e["id"] for e in journal(fresh_client, "?page[per_page]=2&page[page]=2")] == ids[2:4]
    assert [e["id"] for e in journal(fresh_client, "?page[per_page]=2&page[page]=3")] == ids[4:]


def test_delete_and_resets_clear_journals(fresh_client: FlaskClient) -> None:
    get(fresh_client, "/statements")
    get(fresh_client, "/statements", token=BEST_PRACTICE.token)
    assert data(sandbox(fresh_client, "DELETE", "/journal")) == []
    assert journal(fresh_client) == []
    get(fresh_client, "/statements")
    data(sandbox(fresh_client, "POST", "/reset"))
    assert journal(fresh_client) == []
    assert len(journal(fresh_client, token=BEST_PRACTICE.token)) == 1
    data(sandbox(fresh_client, "POST", "/reset-all", token=ADMIN_TOKEN))
    assert journal(fresh_client, token=BEST_PRACTICE.token) == []


def test_journal_can_be_turned_off(fresh_db: Database) -> None:
    client = create_app(Settings(database=fresh_db, testing=True, journal=False)).test_client()
    get(client, "/statements")
    assert journal(client) == []
