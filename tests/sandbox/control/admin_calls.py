"""Calls the tests of DfE's admin operations share: a fresh person's application, syncs."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.helpers import AMBITION, NOW, TODAY, body, data, get, post
from tests.sandbox.control.calls import sandbox

EARLIER = {"X-With-Server-Date": "2026-11-20T10:00:00Z"}


def registered(client: FlaskClient, *, accept: bool = True, **attributes: Any) -> dict[str, Any]:
    """A new person's application with the caller, made (and accepted) before NOW."""
    given = {"course_identifier": "npq-headship", "cohort": "2023a", **attributes}
    [created] = data(sandbox(client, "POST", "/npq-applications", body(**given), **EARLIER))
    if accept:
        path = f"/npq-applications/{created['id']}/accept"
        created = data(post(client, path, **EARLIER))
    return dict(created)


def admin(
    client: FlaskClient,
    method: str,
    application_id: str,
    action: str,
    token: str = AMBITION.token,
    **attributes: Any,
) -> TestResponse:
    """Run one of DfE's admin operations on an application, at NOW."""
    json = body(**attributes) if attributes else None
    path = f"/npq-applications/{application_id}/{action}"
    return sandbox(client, method, path, json, token=token, **TODAY)


def application(client: FlaskClient, application_id: str, token: str = AMBITION.token) -> Any:
    return data(get(client, f"/npq-applications/{application_id}", token))


def synced(client: FlaskClient, path: str, token: str = AMBITION.token) -> list[str]:
    """The ids an incremental sync from NOW brings back."""
    sep = "&" if "?" in path else "?"
    return [r["id"] for r in data(get(client, f"{path}{sep}filter[updated_since]={NOW}", token))]
