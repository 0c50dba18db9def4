"""The journal renders every body it recorded, however hostile."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import AMBITION, API, data
from tests.sandbox.control.calls import sandbox


@pytest.mark.parametrize("depth", [50_000, 200])
def test_a_body_nested_too_deep_to_render_is_shown_as_its_text(
    fresh_client: FlaskClient, depth: int
) -> None:
    raw = b"[" * depth + b"]" * depth
    headers = {"Authorization": f"Bearer {AMBITION.token}", "Content-Type": "application/json"}
    fresh_client.post(f"{API}/participant-declarations", data=raw, headers=headers)
    [entry] = data(sandbox(fresh_client, "GET", "/journal"))
    assert entry["attributes"]["request_body"] == raw.decode()
