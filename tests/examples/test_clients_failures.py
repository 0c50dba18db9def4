"""The reference clients under throttling, faults and lost responses: when each retries."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from tests.examples.calls import (
    Json,
    api,
    every_page,
    fault,
    journal,
    refusal_instructions,
    run_client,
    serve,
    statuses,
)


def test_careful_waits_when_throttled(
    seed_file: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    # Four requests a second: a full sync (three lists, two pages or more each) must wait.
    with serve(seed_file, tmp_path, "--rate-limit", "4/1") as base_url:
        results = run_client("careful", base_url, tmp_path, {"id": "s1", "action": "sync"})
        applications = statuses(every_page(base_url, "/npq-applications"), "status")

    assert results["results"] == [{"id": "s1", "outcome": "done"}]
    assert results["view"]["applications"] == applications


def lost_declaration(base_url: str, cases: dict[str, str]) -> Json:
    """A backdated declaration for the withdrawn participant, whose answer will be lost."""
    fault(base_url, method="POST", path="/api/v3/participant-declarations", lost_response=True)
    started = api(
        base_url, "GET", f"/participant-declarations/{cases['withdrawn_started_declaration']}"
    )
    attributes = started["data"]["attributes"]
    return {
        "id": "d1",
        "action": "submit_declaration",
        "participant_id": cases["withdrawn_participant"],
        "course_identifier": attributes["course_identifier"],
        "declaration_type": "retained-1",
        "declaration_date": "2026-06-18T10:00:00Z",  # before the withdrawal
        "delivery_partner_id": attributes["delivery_partner_id"],
    }


def retained(base_url: str, participant_id: str) -> list[Json]:
    query = f"?filter[participant_id]={participant_id}"
    declarations = api(base_url, "GET", f"/participant-declarations{query}")["data"]
    return [d for d in declarations if d["attributes"]["declaration_type"] == "retained-1"]


def test_careful_reports_the_declaration_a_lost_response_created(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("careful", base_url, tmp_path, lost_declaration(base_url, cases))

    [made] = retained(base_url, cases["withdrawn_participant"])
    record = {"id": made["id"], "state": "eligible"}
    assert results["results"] == [{"id": "d1", "outcome": "done", "record": record}]
    assert results["view"]["declarations"] == {made["id"]: "eligible"}
    posts = journal(base_url, "POST", "/api/v3/participant-declarations")
    assert [post["status"] for post in posts] == [200, 422]


def test_naive_reports_a_lost_declaration_as_refused(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("naive", base_url, tmp_path, lost_declaration(base_url, cases))

    generic = "Request failed with status 422"
    assert results["results"] == [{"id": "d1", "outcome": "refused", "error": generic}]
    assert len(retained(base_url, cases["withdrawn_participant"])) == 1


def test_careful_never_retries_a_refusal(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    run_client("careful", base_url, tmp_path, *refusal_instructions(cases))

    assert len(journal(base_url, "POST", "/api/v3/npq-applications/*")) == 2
    assert len(journal(base_url, "PUT", "/api/v3/participant-declarations/*")) == 1


def test_naive_storms_every_refusal(base_url: str, cases: dict[str, str], tmp_path: Path) -> None:
    run_client("naive", base_url, tmp_path, *refusal_instructions(cases))

    assert len(journal(base_url, "POST", "/api/v3/npq-applications/*")) == 2 * 4
    assert len(journal(base_url, "PUT", "/api/v3/participant-declarations/*")) == 4


def test_careful_waits_retry_after_on_429_and_retries_a_503(base_url: str, tmp_path: Path) -> None:
    fault(base_url, method="GET", path="/api/v3/npq-applications", status=429, retry_after=1)
    fault(base_url, method="GET", path="/api/v3/participant-declarations", status=503)
    results = run_client("careful", base_url, tmp_path, {"id": "s1", "action": "sync"})

    assert results["results"] == [{"id": "s1", "outcome": "done"}]
    assert results["view"]["applications"] == statuses(
        every_page(base_url, "/npq-applications"), "status"
    )
    assert results["view"]["declarations"] == statuses(
        every_page(base_url, "/participant-declarations"), "state"
    )
    throttled, retried = journal(base_url, "GET", "/api/v3/npq-applications")[:2]
    assert (throttled["status"], retried["status"]) == (429, 200)
    waited = datetime.fromisoformat(retried["time"]) - datetime.fromisoformat(throttled["time"])
    assert waited >= timedelta(seconds=1)


def test_naive_retries_a_429_at_once_and_gives_up(base_url: str, tmp_path: Path) -> None:
    fault(base_url, method="GET", path="/api/v3/npq-applications", status=429, times=4)
    results = run_client("naive", base_url, tmp_path, {"id": "s1", "action": "sync"})

    generic = "Request failed with status 429"
    assert results["results"] == [{"id": "s1", "outcome": "refused", "error": generic}]
    assert len(journal(base_url, "GET", "/api/v3/npq-applications")) == 4
