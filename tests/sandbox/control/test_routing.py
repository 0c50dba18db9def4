"""The control plane's routing, headers and refusals, shared by every endpoint."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import ACCESS_DENIED, NOT_FOUND, UNKNOWN_ID, errors, failed
from tests.sandbox.control.calls import sandbox

ENDPOINTS = [
    ("POST", "/npq-applications"),
    ("PUT", f"/participant-declarations/{UNKNOWN_ID}/state"),
    ("PUT", f"/statements/{UNKNOWN_ID}/mark-payable"),
    ("PUT", f"/statements/{UNKNOWN_ID}/mark-paid"),
    ("GET", "/clock"),
    ("PUT", "/clock"),
    ("POST", "/clock/advance"),
    ("DELETE", "/clock"),
    ("POST", "/reset"),
    ("POST", "/reset-all"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_needs_a_token(client: FlaskClient, method: str, path: str) -> None:
    response = sandbox(client, method, path, token=None)
    assert failed(response, 401) == ACCESS_DENIED
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("token", ["nope", ""])
def test_unknown_tokens(client: FlaskClient, token: str) -> None:
    assert failed(sandbox(client, "GET", "/clock", token=token), 401) == ACCESS_DENIED


def test_answers_are_not_cached(client: FlaskClient) -> None:
    assert sandbox(client, "GET", "/clock").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/nothing"), ("GET", "/reset"), ("POST", "/clock"), ("PATCH", "/clock")],
)
def test_unknown_routes_and_verbs(client: FlaskClient, method: str, path: str) -> None:
    assert failed(sandbox(client, method, path), 404) == NOT_FOUND


def test_malformed_json(client: FlaskClient) -> None:
    response = client.put(
        "/sandbox/clock",
        data="{",
        headers={"Authorization": "Bearer ambition-token", "Content-Type": "application/json"},
    )
    assert failed(response, 400) == errors(("Bad request", m.SANDBOX_MALFORMED_JSON))


def test_bad_server_date(client: FlaskClient) -> None:
    response = sandbox(client, "GET", "/clock", **{"X-With-Server-Date": "soon"})
    assert failed(response, 400) == errors(("Bad request", m.SANDBOX_BAD_SERVER_DATE))
