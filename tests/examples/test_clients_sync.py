"""The reference clients sync as they promise: every page, then only what changed."""

from __future__ import annotations

from pathlib import Path

from tests.examples.calls import api, control, every_page, journal, run_client, statuses


def test_careful_reads_every_page_into_its_view(base_url: str, tmp_path: Path) -> None:
    results = run_client("careful", base_url, tmp_path, {"id": "s1", "action": "sync"})

    applications = statuses(every_page(base_url, "/npq-applications"), "status")
    declarations = statuses(every_page(base_url, "/participant-declarations"), "state")
    assert len(applications) > 100 and len(declarations) > 100
    assert results["results"] == [{"id": "s1", "outcome": "done"}]
    assert results["view"]["applications"] == applications
    assert results["view"]["declarations"] == declarations


def test_naive_reads_only_the_first_page(base_url: str, tmp_path: Path) -> None:
    results = run_client("naive", base_url, tmp_path, {"id": "s1", "action": "sync"})

    first_page = api(base_url, "GET", "/npq-applications")["data"]
    assert results["view"]["applications"] == statuses(first_page, "status")
    assert len(results["view"]["applications"]) == 100


def test_careful_asks_only_for_changes_on_the_second_sync(base_url: str, tmp_path: Path) -> None:
    sync = {"action": "sync", "resources": ["applications"]}
    run_client("careful", base_url, tmp_path, {"id": "s1", **sync}, {"id": "s2", **sync})

    entries = journal(base_url, "GET", "/api/v3/npq-applications")
    first = [e for e in entries if "filter[updated_since]" not in e["query"]]
    second = [e for e in entries if "filter[updated_since]" in e["query"]]
    assert entries == first + second
    for sync in (first, second):
        assert [e["query"]["page[page]"] for e in sync] == [str(n + 1) for n in range(len(sync))]
        assert sync[-1]["response_body"] == {"data": []}
    assert second[0]["query"]["filter[updated_since]"].endswith("Z")


def test_naive_syncs_everything_every_time(base_url: str, tmp_path: Path) -> None:
    sync = {"action": "sync", "resources": ["applications"]}
    run_client("naive", base_url, tmp_path, {"id": "s1", **sync}, {"id": "s2", **sync})

    queries = [entry["query"] for entry in journal(base_url, "GET", "/api/v3/npq-applications")]
    assert queries == [{}, {}]


def test_careful_syncs_by_the_servers_clock_not_its_own(base_url: str, tmp_path: Path) -> None:
    # The sandbox's clock is four weeks behind this machine's, so changes are stamped then.
    control(
        base_url, "PUT", "/sandbox/clock", {"data": {"attributes": {"now": "2026-11-02T09:00:00Z"}}}
    )
    register = {"course_identifier": "npq-headship", "cohort": "2025"}
    first = control(
        base_url, "POST", "/sandbox/npq-applications", {"data": {"attributes": register}}
    )
    person = first["data"][0]["attributes"]["participant_id"]
    again = {**register, "participant_id": person}
    second = control(base_url, "POST", "/sandbox/npq-applications", {"data": {"attributes": again}})
    accepted, rejected = first["data"][0]["id"], second["data"][0]["id"]
    sync = {"action": "sync", "resources": ["applications"]}
    accept = {"action": "accept_application", "application_id": accepted, "funded_place": True}

    results = run_client(
        "careful",
        base_url,
        tmp_path,
        {"id": "s1", **sync},
        {"id": "a", **accept},
        {"id": "s2", **sync},
    )

    # Accepting one rejected the other; only the second sync can have shown it.
    assert results["view"]["applications"][accepted] == "accepted"
    assert results["view"]["applications"][rejected] == "rejected"
    since = {
        entry["query"].get("filter[updated_since]")
        for entry in journal(base_url, "GET", "/api/v3/npq-applications")
    }
    assert len(since - {None}) == 1
    assert min(since - {None}) < "2026-11-02T09:00:00Z"
