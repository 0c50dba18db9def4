"""Calls and bodies the declaration tests share; what they send is sent at TODAY."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from npq_sandbox.store.db import Database

from tests.helpers import TODAY, Cases, body, data, get, mine, post, put
from tests.sandbox.api import setup

DATE = "2025-10-15T10:00:00Z"


def declare(client: FlaskClient, json: Any, **headers: str) -> Any:
    return post(client, "/participant-declarations", json, **{**TODAY, **headers})


def started(cases: Cases, **changes: Any) -> dict[str, Any]:
    """A valid `started` for the seed's active, fundable 2025a headship participant."""
    attributes = {
        "participant_id": mine(cases, "active_participant"),
        "declaration_type": "started",
        "declaration_date": DATE,
        "course_identifier": "npq-headship",
        "delivery_partner_id": mine(cases, "delivery_partner"),
    }
    return body(**{**attributes, **changes})


def for_application(db: Database, app_id: str) -> dict[str, Any]:
    found = setup.application(db, app_id)
    return {"participant_id": found.participant_id, "course_identifier": found.course_identifier}


def void(client: FlaskClient, declaration_id: str, **headers: str) -> Any:
    return put(client, f"/participant-declarations/{declaration_id}/void", **{**TODAY, **headers})


def show(client: FlaskClient, declaration_id: str) -> dict[str, Any]:
    found: dict[str, Any] = data(get(client, f"/participant-declarations/{declaration_id}"))
    return found["attributes"]


def change(client: FlaskClient, declaration_id: str, json: Any) -> Any:
    path = f"/participant-declarations/{declaration_id}/change-delivery-partner"
    return put(client, path, json, **TODAY)
