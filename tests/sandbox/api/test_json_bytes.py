"""JSON bodies are the exact bytes DfE sends: compact, in order, no trailing newline.

docs/rules.md §2.1.
"""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.helpers import UNKNOWN_ID, body, get, post, send


def _assert_exact(response: TestResponse, status: int) -> None:
    raw = response.get_data()
    assert response.status_code == status, raw
    assert response.headers["Content-Type"] == "application/json"
    assert not raw.endswith(b"\n")
    assert raw == json.dumps(json.loads(raw), separators=(",", ":")).encode()
    assert response.headers["Content-Length"] == str(len(raw))


@pytest.mark.parametrize(
    ("path", "token", "status"),
    [
        ("/npq-applications", "ambition-token", 200),
        ("/statements", "ambition-token", 200),
        (f"/npq-applications/{UNKNOWN_ID}", "ambition-token", 404),
        ("/npq-applications", None, 401),
        ("/participants/npq?filter[updated_since]=yesterday", "ambition-token", 400),
    ],
)
def test_answers_end_at_the_closing_brace(
    client: FlaskClient, path: str, token: str | None, status: int
) -> None:
    _assert_exact(get(client, path, token=token), status)


def test_a_refusal_ends_at_the_closing_brace(client: FlaskClient) -> None:
    refused = post(client, "/participant-declarations", body(participant_id=UNKNOWN_ID))
    _assert_exact(refused, 422)


def test_the_control_plane_ends_at_the_closing_brace(client: FlaskClient) -> None:
    _assert_exact(send(client, "GET", "/faults", prefix="/sandbox"), 200)
