"""Stored JSON and the lists of who sees what stay exact through every kind of write.

Each case reads everything once (so every record's body is stored), makes one write through
the API or the control plane, then reads everything again: the answers must equal those built
from the tables alone (after the stored bodies are thrown away), and the lists of who sees
what must equal the visibility rules computed afresh.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.store import derived
from npq_sandbox.store.db import Database
from werkzeug.test import TestResponse

from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    PROVIDERS,
    TODAY,
    Cases,
    all_pages,
    body,
    data,
    get,
    mine,
    post,
    put,
)
from tests.sandbox.api.declarations.calls import change, declare, started
from tests.sandbox.control.admin_calls import admin
from tests.sandbox.control.calls import mark, move, sandbox

RECORDS = {
    "/participants/npq": "/participants/npq/",
    "/npq-applications": "/npq-applications/",
    "/participant-declarations": "/participant-declarations/",
}
# The two lists of who sees what, as stored and as the visibility rules give them today.
SEEN = {
    "SELECT * FROM seen_participants ORDER BY 1, 2": (
        "SELECT DISTINCT a.lead_provider_id, p.id, p.created_at FROM applications a"
        " JOIN participants p ON p.id = a.participant_id WHERE a.status = 'accepted'"
        " ORDER BY 1, 2"
    ),
    "SELECT * FROM foreign_declarations ORDER BY 1, 3": (
        "SELECT a.lead_provider_id, d.created_at, d.id FROM declarations d"
        " JOIN applications a ON a.id = d.application_id"
        " WHERE a.lead_provider_id != d.lead_provider_id ORDER BY 1, 3"
    ),
}


def everything(client: FlaskClient) -> dict[str, Any]:
    """Every provider's lists, whole; and each record alone as the two providers the writes
    touch (Ambition's and the transfer's receiver) see it."""
    seen: dict[str, Any] = {}
    for provider in PROVIDERS:
        for path, one in RECORDS.items():
            listed = all_pages(client, path, provider.token, per_page=100)
            seen[f"{provider.name} {path}"] = listed
            if provider not in (AMBITION, BEST_PRACTICE):
                continue
            for record in listed:
                seen[f"{provider.name} {one}{record['id']}"] = data(
                    get(client, f"{one}{record['id']}", provider.token)
                )
    return seen


def rebuilt(client: FlaskClient, db: Database) -> dict[str, Any]:
    """`everything`, built from the tables alone."""
    with db.transaction(write=True) as conn:
        conn.exec_driver_sql("DELETE FROM rendered")
    return everything(client)


def seen_tables(db: Database) -> tuple[list[Any], list[Any]]:
    """The rows of the lists of who sees what, and the rows the visibility rules give today."""
    with db.transaction() as conn:
        kept = [[tuple(r) for r in conn.exec_driver_sql(stored)] for stored in SEEN]
        rule = [[tuple(r) for r in conn.exec_driver_sql(today)] for today in SEEN.values()]
    return kept, rule


def _declared(client: FlaskClient, cases: Cases) -> dict[str, Any]:
    """The attributes of Ambition's submitted declaration: an active participant's."""
    found = get(client, f"/participant-declarations/{mine(cases, 'declaration_submitted')}")
    return dict(data(found)["attributes"])


def _status(client: FlaskClient, cases: Cases, action: str, person: str = "") -> TestResponse:
    """Defer, resume or withdraw a participant (by default the declared one)."""
    if person:
        person = mine(cases, person)
        found = data(get(client, f"/participants/npq/{person}"))["attributes"]
        course = found["npq_enrolments"][0]["course_identifier"]
    else:
        declared = _declared(client, cases)
        person, course = declared["participant_id"], declared["course_identifier"]
    given = {"course_identifier": course, "reason": "other"}
    if action == "resume":
        given.pop("reason")
    return put(client, f"/participants/npq/{person}/{action}", body(**given), **TODAY)


Write = Callable[[FlaskClient, Cases], TestResponse]
WRITES: dict[str, Write] = {
    "accept": lambda c, k: post(
        c,
        f"/npq-applications/{mine(k, 'pending_application')}/accept",
        body(funded_place=True),
        **TODAY,
    ),
    "reject": lambda c, k: post(
        c, f"/npq-applications/{mine(k, 'competing_pending_application')}/reject", **TODAY
    ),
    "defer": lambda c, k: _status(c, k, "defer"),
    "resume": lambda c, k: _status(c, k, "resume", "deferred_participant"),
    "withdraw": lambda c, k: _status(c, k, "withdraw"),
    "void": lambda c, k: put(
        c, f"/participant-declarations/{mine(k, 'declaration_submitted')}/void", **TODAY
    ),
    "declaration posted": lambda c, k: declare(c, started(k)),
    "delivery partner changed": lambda c, k: change(
        c,
        mine(k, "declaration_submitted"),
        body(delivery_partner_id=mine(k, "delivery_partner_2025a_only")),
    ),
    "declaration moved": lambda c, k: move(c, mine(k, "declaration_eligible"), "payable"),
    "statement paid": lambda c, k: mark(c, mine(k, "statement_payable"), "paid"),
    "merge": lambda c, k: sandbox(
        c,
        "POST",
        "/participants/merge",
        body(
            from_participant_id=mine(k, "deferred_participant"),
            to_participant_id=mine(k, "active_participant"),
        ),
        **TODAY,
    ),
    "person edited": lambda c, k: sandbox(
        c, "PUT", f"/participants/{mine(k, 'active_participant')}", body(full_name="A"), **TODAY
    ),
    "person archived": lambda c, k: sandbox(
        c, "POST", f"/participants/{mine(k, 'active_participant')}/archive", **TODAY
    ),
    "eligibility": lambda c, k: admin(
        c, "PUT", mine(k, "pending_application"), "eligibility", eligible_for_funding=False
    ),
    "transfer": lambda c, k: admin(
        c,
        "POST",
        _declared(c, k)["application_id"],
        "transfer",
        lead_provider_id=BEST_PRACTICE.id,
    ),
    "training status": lambda c, k: admin(
        c,
        "PUT",
        _declared(c, k)["application_id"],
        "training-status",
        training_status="deferred",
        reason="other",
    ),
    "revert to pending": lambda c, k: admin(
        c, "POST", mine(k, "rejected_by_provider_application"), "revert-to-pending"
    ),
    "registration": lambda c, k: sandbox(
        c,
        "POST",
        "/npq-applications",
        body(
            participant_id=mine(k, "active_participant"),
            course_identifier="npq-headship",
            cohort="2025a",
        ),
    ),
    "reset": lambda c, k: sandbox(c, "POST", "/reset"),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_answers_after_a_write_are_built_afresh(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases, write: str
) -> None:
    everything(fresh_client)  # every body stored
    response = WRITES[write](fresh_client, fresh_cases)
    assert response.status_code == 200, response.get_data(as_text=True)
    kept, rule = seen_tables(fresh_db)
    assert kept == rule
    assert everything(fresh_client) == rebuilt(fresh_client, fresh_db)


def test_a_refused_write_keeps_nothing_it_changed(
    fresh_client: FlaskClient, fresh_db: Database, fresh_cases: Cases
) -> None:
    everything(fresh_client)
    rejected = mine(fresh_cases, "rejected_by_provider_application")
    refused = post(fresh_client, f"/npq-applications/{rejected}/accept", **TODAY)
    assert refused.status_code == 422
    assert everything(fresh_client) == rebuilt(fresh_client, fresh_db)


def test_stored_bodies_are_answered(fresh_client: FlaskClient, fresh_db: Database) -> None:
    """A stored body is what a read answers: the reads above do use the table."""
    path = "/npq-applications"
    [first] = data(get(fresh_client, f"{path}?page[per_page]=1"))
    with fresh_db.transaction(write=True) as conn:
        conn.exec_driver_sql(
            "UPDATE rendered SET body = replace(body, 'npq_application', 'marked') WHERE id = ?",
            (first["id"],),
        )
    assert data(get(fresh_client, f"{path}?page[per_page]=1"))[0]["type"] == "marked"
    assert data(get(fresh_client, f"{path}/{first['id']}"))["type"] == "marked"


def _body_count(db: Database) -> int:
    with db.transaction() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM rendered").scalar() or 0)


@pytest.fixture
def file_db(tmp_path: Path, pristine: tuple[Database, Any]) -> Iterator[Database]:
    """A seeded database file, so that two connections can race."""
    db = Database(str(tmp_path / "sandbox.db"))
    source, target = pristine[0].engine.raw_connection(), db.engine.raw_connection()
    source.driver_connection.backup(target.driver_connection)  # type: ignore[union-attr]
    source.close()
    target.close()
    with db.transaction(write=True) as conn:
        conn.exec_driver_sql("DELETE FROM rendered")
    yield db
    db.dispose()


def test_a_body_read_before_a_commit_is_not_kept(file_db: Database) -> None:
    reading = file_db.begin()
    reading.connection.exec_driver_sql("SELECT count(*) FROM participants").scalar()
    with file_db.transaction(write=True) as conn:  # another connection commits meanwhile
        conn.exec_driver_sql("UPDATE participants SET full_name = 'B'")
    derived.keep(reading.connection, derived.PARTICIPANT, AMBITION.id, {"x": "{}"})
    reading.finish(commit=True)
    assert _body_count(file_db) == 0


def test_keeping_never_waits_for_a_writer(file_db: Database) -> None:
    writing = file_db.begin(write=True)
    reading = file_db.begin()
    reading.connection.exec_driver_sql("SELECT count(*) FROM participants").scalar()
    began = time.monotonic()
    derived.keep(reading.connection, derived.PARTICIPANT, AMBITION.id, {"x": "{}"})
    assert time.monotonic() - began < 1  # SQLite's busy timeout is 30 s
    reading.finish(commit=True)
    writing.finish(commit=True)
    assert _body_count(file_db) == 0


def test_a_body_read_in_a_quiet_moment_is_kept(file_db: Database) -> None:
    reading = file_db.begin()
    reading.connection.exec_driver_sql("SELECT count(*) FROM participants").scalar()
    derived.keep(reading.connection, derived.PARTICIPANT, AMBITION.id, {"x": "{}"})
    reading.finish(commit=True)
    assert _body_count(file_db) == 1


def test_an_older_layout_is_rebuilt_on_opening(file_db: Database) -> None:
    """Triggers other than today's (an older sandbox's) mean the lists are made again."""
    with file_db.transaction(write=True) as conn:
        conn.exec_driver_sql("DELETE FROM seen_participants")
        conn.exec_driver_sql(
            "CREATE TRIGGER derived_old AFTER DELETE ON outcomes BEGIN SELECT 1; END"
        )
    file_db.dispose()
    reopened = Database(file_db.path)
    try:
        kept, rule = seen_tables(reopened)
        assert kept == rule and kept[0]
        with reopened.transaction() as conn:
            names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert "derived_old" not in {name for (name,) in names}
    finally:
        reopened.dispose()
