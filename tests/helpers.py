"""Small helpers for talking to the API as a client does."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from werkzeug.test import TestResponse

API = "/api/v3"
PROVIDERS = LEAD_PROVIDERS
AMBITION, BEST_PRACTICE = LEAD_PROVIDERS[0], LEAD_PROVIDERS[1]
NOT_FOUND = {"error": "Resource not found"}
# Every list endpoint of v3, as paths under /api/v3.
LISTS = [
    "/npq-applications",
    "/participants/npq",
    "/participants/npq/outcomes",
    "/participant-declarations",
    "/statements",
    "/delivery-partners",
]
ACCESS_DENIED = {"error": "HTTP Token: Access denied"}
# The instant the tests' writes happen at, a day after the seed's anchor on which the 2024a and
# 2025a contracts still run: a string as the API shows it, the header that sets it for one
# request, and the same instant as a datetime for the domain's pure functions.
NOW = "2026-11-30T12:00:00Z"
TODAY = {"X-With-Server-Date": NOW}
NOW_AT = datetime(2026, 11, 30, 12, tzinfo=UTC)
# A well-formed id that no record has.
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
# The seed's guaranteed records: lead provider id -> case name -> record id.
Cases = dict[str, dict[str, str]]


def mine(cases: Cases, name: str) -> str:
    """The id of one of Ambition Institute's seeded cases."""
    return cases[AMBITION.id][name]


def bad_request(detail: str) -> dict[str, Any]:
    return {"errors": [{"title": "Bad request", "detail": detail}]}


INVALID_STRUCTURE = bad_request(m.INVALID_DATA_STRUCTURE)


def get(
    client: FlaskClient, path: str, token: str | None = AMBITION.token, **headers: str
) -> TestResponse:
    """GET `path` under /api/v3 as the provider owning `token`."""
    if token is not None:
        headers.setdefault("Authorization", f"Bearer {token}")
    return client.get(f"{API}{path}", headers=headers)


def body(**attributes: Any) -> dict[str, Any]:
    """A request body in DfE's shape; `type` is never read, as at DfE."""
    return {"data": {"type": "sandbox-test", "attributes": attributes}}


def send(
    client: FlaskClient,
    method: str,
    path: str,
    json: Any = None,
    token: str | None = AMBITION.token,
    prefix: str = API,
    **headers: str,
) -> TestResponse:
    """Send a request to `path` under `prefix` (/api/v3) as the provider owning `token`."""
    if token is not None:
        headers.setdefault("Authorization", f"Bearer {token}")
    return client.open(f"{prefix}{path}", method=method, json=json, headers=headers)


def post(client: FlaskClient, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
    return send(client, "POST", path, json, **kwargs)


def put(client: FlaskClient, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
    return send(client, "PUT", path, json, **kwargs)


def errors(*entries: tuple[str, str]) -> dict[str, Any]:
    """DfE's error body: one {title, detail} per (attribute, message)."""
    return {"errors": [{"title": title, "detail": detail} for title, detail in entries]}


def assert_refused(response: TestResponse, status: int, expected: object) -> None:
    """Assert a refusal's status and exact JSON body."""
    assert (response.status_code, response.get_json()) == (status, expected)
    assert response.headers["Content-Type"] == "application/json"


def failed(response: TestResponse, status: int) -> Any:
    """Assert the status of a refused request and return its JSON body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/json"
    return response.get_json()


def data(response: TestResponse) -> Any:
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert list(body) == ["data"]
    return body["data"]


def ids(response: TestResponse) -> list[str]:
    return [item["id"] for item in data(response)]


def all_pages(
    client: FlaskClient, path: str, token: str = AMBITION.token, per_page: int = 3000
) -> list[dict[str, Any]]:
    """Read every page of a list, as a careful client does."""
    items: list[dict[str, Any]] = []
    sep = "&" if "?" in path else "?"
    for number in range(1, 1000):
        page = data(get(client, f"{path}{sep}page[page]={number}&page[per_page]={per_page}", token))
        if not page:
            return items
        items += page
    raise AssertionError("too many pages")


def in_file_itself(path: Path, sql: str, *params: Any) -> tuple[Any, ...] | None:
    """The first row `sql` reads from the database file alone, its write-ahead log left unread."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        found: tuple[Any, ...] | None = conn.execute(sql, params).fetchone()
        return found
    finally:
        conn.close()
