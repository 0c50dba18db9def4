"""The journal stays bounded: large request bodies by size only, and so many entries per provider.

docs/rules.md §18.7.
"""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from flask.testing import FlaskClient
from npq_sandbox import Settings, create_app
from npq_sandbox.cli import main
from npq_sandbox.store.db import Database
from npq_sandbox.store.journal import MAX_ROWS

from tests.helpers import AMBITION, BEST_PRACTICE, body, data, get, post
from tests.sandbox.control.calls import sandbox


def journal(client: FlaskClient, token: str = AMBITION.token) -> list[dict[str, Any]]:
    entries = data(sandbox(client, "GET", "/journal?page[per_page]=100", token=token))
    return [entry["attributes"] for entry in entries]


def test_a_large_request_body_is_recorded_by_size(fresh_client: FlaskClient) -> None:
    sent = body(notes="x" * 20_000)
    post(fresh_client, "/participant-declarations", sent)
    small = body(notes="x")
    post(fresh_client, "/participant-declarations", small)
    large, kept = journal(fresh_client)
    assert (large["request_body"], large["request_size"]) == (None, len(json.dumps(sent)))
    assert (kept["request_body"], kept["request_size"]) == (small, len(json.dumps(small)))


def test_each_provider_keeps_its_newest_entries(fresh_db: Database) -> None:
    client = create_app(Settings(database=fresh_db, journal_max_rows=3)).test_client()
    for page in range(1, 6):
        get(client, f"/statements?page[page]={page}")
    get(client, "/statements", BEST_PRACTICE.token)
    mine = [entry["query_string"] for entry in journal(client)]
    assert mine == [f"page[page]={page}" for page in (3, 4, 5)]
    assert len(journal(client, BEST_PRACTICE.token)) == 1


def test_serve_documents_its_journal_bound(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", "--help"])
    assert "--journal-max-rows" in result.output
    assert str(MAX_ROWS) in result.output
