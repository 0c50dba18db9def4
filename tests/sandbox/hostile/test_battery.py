"""The hostile-input battery: against both servers, every case is a JSON 4xx and writes nothing.

Each server kind runs once for the module (the threaded server, and gunicorn with two
workers); after each case the data file's rows are compared with what they were before it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.live import serving
from tests.sandbox.hostile.cases import APPLICATION, DECLARATION, PARTICIPANT, Case, all_cases
from tests.sandbox.hostile.wire import TOKEN, digest, request, send

SERVERS = {"threaded": (), "workers": ("--workers", "2")}


class Server:
    """A running server, its data file and the seeded ids the cases name."""

    def __init__(self, base_url: str, db_path: Path) -> None:
        self.base_url, self.db_path = base_url, db_path
        self.ids = {
            APPLICATION: self._first("/npq-applications", "pending"),
            PARTICIPANT: self._first("/participants/npq", None),
            DECLARATION: self._first("/participant-declarations", None),
        }

    def _first(self, path: str, status: str | None) -> str:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        found = requests.get(f"{self.base_url}{path}", headers=headers, timeout=10).json()["data"]
        return next(r["id"] for r in found if status in (None, r["attributes"].get("status")))

    def fill(self, raw: bytes) -> bytes:
        """The request with the seeded ids in place of their placeholders."""
        for placeholder, found in self.ids.items():
            raw = raw.replace(placeholder.encode(), found.encode())
        return raw


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    db_path = tmp_path_factory.mktemp(request.param) / "s.db"
    with serving(db_path, *SERVERS[request.param]) as base_url:
        yield Server(base_url, db_path)


@pytest.mark.parametrize("case", all_cases(), ids=lambda case: case.name)
def test_hostile_input_is_a_json_4xx_that_changes_nothing(server: Server, case: Case) -> None:
    before = digest(server.db_path)
    reply = send(server.base_url, server.fill(case.raw))
    assert reply.content_type.startswith("application/json"), (reply.status, reply.body[:300])
    assert reply.status == 200 if case.ok else 400 <= reply.status < 500, reply.body[:300]
    assert isinstance(reply.document(), dict | list)
    assert digest(server.db_path) == before


def test_the_battery_is_large_enough() -> None:
    assert sum(not case.ok for case in all_cases()) >= 70


def test_a_filter_of_120_participant_ids_is_served(server: Server) -> None:
    ids = "%2C".join(str(uuid.UUID(int=n)) for n in range(120))
    target = f"/api/v3/participant-declarations?filter[participant_id]={ids}"
    reply = send(server.base_url, request("GET", target))
    assert (reply.status, reply.document()) == (200, {"data": []})
