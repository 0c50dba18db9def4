"""Calling the control plane (/sandbox/...) as a client does."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.helpers import AMBITION, TODAY, Cases, mine, send

__all__ = ["PREFIX", "Cases", "mine", "sandbox"]

PREFIX = "/sandbox"


def sandbox(
    client: FlaskClient,
    method: str,
    path: str,
    json: Any = None,
    token: str | None = AMBITION.token,
    **headers: str,
) -> TestResponse:
    """Send a request to `path` under /sandbox as the provider owning `token`."""
    return send(client, method, path, json, token, PREFIX, **headers)


def move(client: FlaskClient, declaration_id: str, state: str, **kwargs: Any) -> TestResponse:
    """Ask for a declaration to move to `state` (an API state name)."""
    json = {"data": {"attributes": {"state": state}}}
    path = f"/participant-declarations/{declaration_id}/state"
    return sandbox(client, "PUT", path, json, **{**TODAY, **kwargs})


def mark(client: FlaskClient, statement_id: str, what: str, **kwargs: Any) -> TestResponse:
    """Mark a statement payable or paid (`what` is "payable" or "paid")."""
    return sandbox(client, "PUT", f"/statements/{statement_id}/mark-{what}", **{**TODAY, **kwargs})
