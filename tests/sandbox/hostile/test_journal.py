"""The journal renders every body it recorded, however hostile."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import AMBITION, API, data
from tests.sandbox.control.calls import sandbox


# 8,000 deep is past any parser's recursion limit yet under the 16 KiB the journal keeps as text.
@pytest.mark.parametrize("depth", [8_000, 200])
def test_a_body_nested_too_deep_to_render_is_shown_as_its_text(
    fresh_client: FlaskClient, depth: int
) -> None:
    raw = b"[" * depth + b"]" * depth
    headers = {"Authorization": f"Bearer {AMBITION.token}", "Content-Type": "application/json"}
    fresh_client.post(f"{API}/participant-declarations", data=raw, headers=headers)
    [entry] = data(sandbox(fresh_client, "GET", "/journal"))
    assert entry["attributes"]["request_body"] == raw.decode()


def test_a_body_nested_deeper_than_the_journal_keeps_is_kept_by_size(
    fresh_client: FlaskClient,
) -> None:
    raw = b"[" * 50_000 + b"]" * 50_000
    headers = {"Authorization": f"Bearer {AMBITION.token}", "Content-Type": "application/json"}
    fresh_client.post(f"{API}/participant-declarations", data=raw, headers=headers)
    [entry] = data(sandbox(fresh_client, "GET", "/journal"))
    assert (entry["attributes"]["request_body"], entry["attributes"]["request_size"]) == (
        None,
        len(raw),
    )
