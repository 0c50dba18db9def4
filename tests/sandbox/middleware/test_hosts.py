"""Requests for a Host the sandbox does not answer to are refused (DNS rebinding)."""

from __future__ import annotations

import pytest
from npq_sandbox import Database, Settings, create_app
from npq_sandbox.domain import messages as m

from tests.helpers import AMBITION, errors, failed

REFUSED = errors((m.BAD_REQUEST_TITLE, m.SANDBOX_HOST_REFUSED))


def status(allowed: tuple[str, ...], host: str, db: Database) -> int:
    client = create_app(Settings(database=db, testing=True, allowed_hosts=allowed)).test_client()
    headers = {"Host": host, "Authorization": f"Bearer {AMBITION.token}"}
    return client.get("/api/v3/statements", headers=headers).status_code


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ((), "localhost"),
        ((), "localhost:8000"),
        ((), "127.0.0.1:8000"),
        ((), "[::1]:8000"),
        ((), "LOCALHOST."),
        (("10.0.0.5",), "10.0.0.5:8000"),
        (("sandbox.test",), "Sandbox.test:8000"),
        (("0.0.0.0",), "192.168.1.20:8000"),
        (("::",), "[fe80::1]:8000"),
    ],
)
def test_answered_hosts(fresh_db: Database, allowed: tuple[str, ...], host: str) -> None:
    assert status(allowed, host, fresh_db) == 200


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ((), "evil.example"),
        ((), "evil.example:8000"),
        ((), "localhost.evil.example"),
        (("10.0.0.5",), "10.0.0.6:8000"),
        (("0.0.0.0",), "rebound.example:8000"),
    ],
)
def test_refused_hosts(fresh_db: Database, allowed: tuple[str, ...], host: str) -> None:
    client = create_app(Settings(database=fresh_db, testing=True, allowed_hosts=allowed))
    headers = {"Host": host, "Authorization": f"Bearer {AMBITION.token}"}
    for path in ("/api/v3/statements", "/sandbox/clock"):
        response = client.test_client().get(path, headers=headers)
        assert failed(response, 400) == REFUSED
        assert response.headers["Cache-Control"] == "no-store"
