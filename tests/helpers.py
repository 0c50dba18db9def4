"""Small helpers for talking to the API as a client does."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from sandbox.domain.reference import LEAD_PROVIDERS

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


def bad_request(detail: str) -> dict[str, Any]:
    return {"errors": [{"title": "Bad request", "detail": detail}]}


def get(
    client: FlaskClient, path: str, token: str | None = AMBITION.token, **headers: str
) -> TestResponse:
    """GET `path` under /api/v3 as the provider owning `token`."""
    if token is not None:
        headers.setdefault("Authorization", f"Bearer {token}")
    return client.get(f"{API}{path}", headers=headers)


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
