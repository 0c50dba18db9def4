"""Racing requests against a real server end as DfE's service ends them.

Requests go through real sockets and threads to `npq-sandbox serve`, so the test exercises the
server's own locking, not the test client's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from npq_sandbox.domain import messages as m
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.seeding import seed_database
from npq_sandbox.store.db import Database

from tests.live import serving

AMBITION, BEST_PRACTICE = LEAD_PROVIDERS[0], LEAD_PROVIDERS[1]
Cases = dict[str, str]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Cases]]:
    """A served database seeded here first, so the test knows its cases."""
    db_path = tmp_path_factory.mktemp("live") / "sandbox.db"
    db = Database(str(db_path))
    cases = seed_database(db, participants=0).cases[AMBITION.id]
    db.dispose()
    with serving(db_path) as base_url:
        yield base_url, cases


def _race(count: int, send: Callable[[int], requests.Response]) -> list[requests.Response]:
    """Send `count` requests at once: every thread waits at a barrier, then fires."""
    barrier = threading.Barrier(count)

    def fire(index: int) -> requests.Response:
        barrier.wait(timeout=30)
        return send(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(fire, range(count)))


def _call(method: str, url: str, token: str, json: Any = None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, url, json=json, headers=headers, timeout=60)


def test_competing_accepts_end_with_one_accepted_application(live: tuple[str, Cases]) -> None:
    base_url, cases = live
    mine, theirs = (
        cases["competing_pending_application"],
        cases["competing_other_provider_application"],
    )
    callers = [(mine, AMBITION.token), (theirs, BEST_PRACTICE.token)]
    accept = {"data": {"attributes": {"funded_place": True}}}
    answers = _race(
        2,
        lambda i: _call(
            "POST", f"{base_url}/npq-applications/{callers[i][0]}/accept", callers[i][1], accept
        ),
    )
    assert sorted(a.status_code for a in answers) == [200, 422]
    statuses = [
        _call("GET", f"{base_url}/npq-applications/{app_id}", token).json()["data"]["attributes"]
        for app_id, token in callers
    ]
    assert sorted(s["status"] for s in statuses) == ["accepted", "rejected"]
    loser = next(s for s in statuses if s["status"] == "rejected")
    assert loser["reason_for_rejection"] == "other_application_in_this_cohort_accepted"


def test_identical_declarations_make_one_record(live: tuple[str, Cases]) -> None:
    base_url, cases = live
    application = _call(
        "GET",
        f"{base_url}/npq-applications/{cases['accepted_capped_unfunded_application']}",
        AMBITION.token,
    ).json()["data"]["attributes"]
    declaration = {
        "participant_id": application["participant_id"],
        "course_identifier": application["course_identifier"],
        "declaration_type": "retained-2",
        "declaration_date": "2026-11-02T10:00:00Z",
        "delivery_partner_id": cases["delivery_partner"],
    }
    url = f"{base_url}/participant-declarations"
    answers = _race(
        20, lambda _i: _call("POST", url, AMBITION.token, {"data": {"attributes": declaration}})
    )
    made = {a.json()["data"]["id"] for a in answers if a.status_code == 200}
    assert len(made) == 1, [a.text for a in answers]
    duplicate = {"errors": [{"title": "base", "detail": m.ALREADY_DECLARED}]}
    assert all(
        a.status_code == 200 or (a.status_code, a.json()) == (422, duplicate) for a in answers
    )
    listed = _call(
        "GET", f"{url}?filter[participant_id]={application['participant_id']}", AMBITION.token
    ).json()["data"]
    same_event = [
        d
        for d in listed
        if d["attributes"]["declaration_type"] == "retained-2"
        and d["attributes"]["course_identifier"] == application["course_identifier"]
    ]
    assert [d["id"] for d in same_event] == list(made)


def test_racing_writers_all_land(live: tuple[str, Cases]) -> None:
    """Writers read without a lock: those that lose the race for it run again, holding it."""
    base_url = live[0]
    url = f"{base_url.removesuffix('/api/v3')}/sandbox/npq-applications"
    before = _call("GET", f"{base_url}/npq-applications?page[per_page]=3000", AMBITION.token)
    given = {"course_identifier": "npq-headship", "cohort": "2025a"}
    answers = _race(
        16, lambda _i: _call("POST", url, AMBITION.token, {"data": {"attributes": given}})
    )
    assert [a.status_code for a in answers] == [200] * 16, [a.text for a in answers]
    made = {a.json()["data"][0]["id"] for a in answers}
    after = _call("GET", f"{base_url}/npq-applications?page[per_page]=3000", AMBITION.token)
    listed = {a["id"] for a in after.json()["data"]} - {a["id"] for a in before.json()["data"]}
    assert listed == made and len(made) == 16
