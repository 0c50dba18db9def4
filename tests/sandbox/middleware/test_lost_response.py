"""A lost response through a real `npq-sandbox serve`: committed, then the connection drops.

Only real sockets show what a client sees: no status line, no headers, a closed connection;
and the server must carry on answering the next connection.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from npq_sandbox.domain import messages as m
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.seeding import seed_database
from npq_sandbox.store.db import Database

from tests.live import serving

AMBITION = LEAD_PROVIDERS[0]
HEADERS = {"Authorization": f"Bearer {AMBITION.token}"}


@pytest.fixture(
    scope="module", params=[(), ("--workers", "2")], ids=["threaded", "gunicorn-workers"]
)
def live(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[str, dict[str, str]]]:
    """A served, seeded database: Werkzeug's threaded server, then gunicorn with two workers."""
    db_path: Path = tmp_path_factory.mktemp("lost") / "sandbox.db"
    db = Database(str(db_path))
    cases = seed_database(db, participants=0).cases[AMBITION.id]
    db.dispose()
    with serving(db_path, *request.param) as base_url:
        yield base_url, cases


def _call(method: str, url: str, json: Any = None) -> requests.Response:
    return requests.request(method, url, json=json, headers=HEADERS, timeout=30)


def _posts_journaled(sandbox_url: str, count: int) -> list[dict[str, Any]]:
    """The journal's POST entries, once `count` are there: another worker's entries become
    readable a few milliseconds after its answer (each worker writes its own in batches)."""
    deadline = time.monotonic() + 10
    while True:
        found: list[dict[str, Any]] = _call(
            "GET", f"{sandbox_url}/journal?filter[method]=POST"
        ).json()["data"]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_a_declaration_is_committed_though_its_answer_is_lost(
    live: tuple[str, dict[str, str]],
) -> None:
    base_url, cases = live
    sandbox_url = base_url.removesuffix("/api/v3") + "/sandbox"
    url = f"{base_url}/participant-declarations"
    fault = {"path": "/api/v3/participant-declarations", "method": "POST", "lost_response": True}
    fault_id = _call("POST", f"{sandbox_url}/faults", {"data": {"attributes": fault}}).json()
    fault_id = fault_id["data"]["id"]
    application = _call("GET", f"{base_url}/npq-applications/{cases['accepted_application']}")
    attributes = application.json()["data"]["attributes"]
    declaration = {
        "participant_id": attributes["participant_id"],
        "course_identifier": attributes["course_identifier"],
        "declaration_type": "retained-1",
        "declaration_date": "2026-11-02T10:00:00Z",
        "delivery_partner_id": cases["delivery_partner"],
    }
    with pytest.raises(requests.ConnectionError):
        _call("POST", url, {"data": {"attributes": declaration}})
    # The retry, on a new connection, is answered: the declaration was made the first time.
    retry = _call("POST", url, {"data": {"attributes": declaration}})
    assert (retry.status_code, retry.json()) == (
        422,
        {"errors": [{"title": "base", "detail": m.ALREADY_DECLARED}]},
    )
    lost, answered = (entry["attributes"] for entry in _posts_journaled(sandbox_url, 2))
    assert (lost["status"], lost["fault"]) == (200, {"id": fault_id, "kind": "lost-response"})
    made = lost["response_body"]["data"]["id"]
    assert answered["status"] == 422
    found = _call("GET", f"{url}/{made}")
    assert found.status_code == 200
    assert found.json()["data"]["attributes"]["declaration_type"] == "retained-1"


def test_serve_no_journal_records_nothing(tmp_path: Path) -> None:
    with serving(tmp_path / "sandbox.db", "--no-journal") as base_url:
        assert _call("GET", f"{base_url}/statements").status_code == 200
        sandbox_url = base_url.removesuffix("/api/v3") + "/sandbox"
        assert _call("GET", f"{sandbox_url}/journal").json() == {"data": []}
