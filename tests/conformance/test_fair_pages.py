"""Fair paging: a short page ends a sync, and lookups are not syncs (issue items 1 and 2)."""

from __future__ import annotations

from typing import Any

import pytest
from npq_conformance import journal as j
from npq_conformance.judging import judge

from tests.conformance.journals import (
    APP,
    PERSON,
    Journal,
    names,
    results,
    scenario,
    truth,
    verdict,
)

APPLICATIONS = "/npq-applications"
FULL = (
    "GET /api/v3/npq-applications (page 1) stopped after page 1, which was full (100 records, "
    "as page[per_page] asks), without reading page 2: only a page with fewer records than "
    "page[per_page] ends a list"
)


def pages(journal: Journal, sandbox: dict[str, Any] | None = None) -> Any:
    return verdict(
        judge(scenario(), journal.items, results(), sandbox or truth()), "reads-every-page"
    )


# ------------------------------------------------------------------ a short page ends a sync


@pytest.mark.parametrize(
    "journal",
    [
        Journal().page(APPLICATIONS, 1, 40),
        Journal().page(APPLICATIONS, 1, 99, per_page=None),
        Journal().page(APPLICATIONS, 1, 10, per_page="10").page(APPLICATIONS, 2, 3, per_page="10"),
        Journal().page(APPLICATIONS, 1, 100).page(APPLICATIONS, 2, 0),
    ],
    ids=["short-first-page", "short-default-page", "short-second-page", "empty-page"],
)
def test_a_sync_that_stops_on_a_short_or_empty_page_passes(journal: Journal) -> None:
    assert pages(journal).passed


def test_reading_past_a_short_page_is_the_same_sync() -> None:
    journal = Journal().page(APPLICATIONS, 1, 40).page(APPLICATIONS, 2, 0)
    assert pages(journal).reason == "every sync read on to a page that was not full (1 in all)"


@pytest.mark.parametrize(
    "journal",
    [
        Journal().page(APPLICATIONS, 1, 100),
        Journal().page(APPLICATIONS, 1, 100, per_page=None),
    ],
    ids=["asked-100", "default-100"],
)
def test_a_sync_that_stops_after_a_full_page_fails(journal: Journal) -> None:
    found = pages(journal)
    assert (found.passed, found.reason) == (False, FULL)


def test_a_full_page_of_a_smaller_size_names_that_size() -> None:
    found = pages(Journal().page(APPLICATIONS, 1, 10, per_page="10"))
    assert "which was full (10 records, as page[per_page] asks), without reading page 2" in (
        found.reason
    )


@pytest.mark.parametrize(
    ("asked", "size"), [(None, 100), ("10", 10), ("5000", 3000), ("10abc", 10), ("x", 0)]
)
def test_a_full_page_holds_per_page_records_as_the_api_reads_it(
    asked: str | None, size: int
) -> None:
    entry = {"query": {} if asked is None else {"page[per_page]": asked}}
    assert j.page_size(entry) == size


def many(count: int, updated_at: str = "2026-11-30T11:00:00Z") -> dict[str, Any]:
    """A truth of `count` applications in cohort 2025, all last updated at `updated_at`."""
    apps = {
        f"app-{n}": {"status": "pending", "cohort": "2025", "updated_at": updated_at}
        for n in range(count)
    }
    return truth(applications=apps)


def test_a_page_journaled_by_size_only_is_counted_from_the_truth() -> None:
    journal = Journal().page(APPLICATIONS, 1, 40, kept=False)
    assert pages(journal, many(40)).passed
    assert pages(journal, many(150)).reason == FULL


def test_a_page_journaled_by_size_only_counts_only_what_its_filters_list() -> None:
    since = {"filter[updated_since]": "2026-11-30T11:30:00.250Z"}
    journal = Journal().page(APPLICATIONS, 1, 40, kept=False, **since)
    changed = many(150)
    changed["applications"][APP] = {"status": "accepted", "updated_at": "2026-11-30T11:30:00Z"}
    assert pages(journal, changed).passed
    in_2024 = Journal().page(APPLICATIONS, 1, 40, kept=False, **{"filter[cohort]": "2024"})
    assert pages(in_2024, many(150)).passed


def test_a_second_full_read_of_page_one_is_a_new_sync() -> None:
    journal = Journal().page(APPLICATIONS, 1, 40).page(APPLICATIONS, 1, 100)
    found = pages(journal)
    assert found.reason == FULL
    assert [len(e["response_body"]["data"]) for e in found.evidence] == [100]


# ------------------------------------------------------------------ lookups are not syncs

LOOKUPS = [
    {"filter[participant_id]": PERSON},
    {"filter[training_status]": "withdrawn"},
    {"filter[participant_id]": PERSON, "filter[updated_since]": "2026-11-30T12:00:00Z"},
]


@pytest.mark.parametrize("filters", LOOKUPS)
def test_a_lookup_stopping_after_a_full_page_is_not_judged(filters: dict[str, str]) -> None:
    journal = Journal().page(APPLICATIONS, 1, 100, **filters)
    assert "reads-every-page" not in names(judge(scenario(), journal.items, results(), truth()))


def test_a_single_record_get_is_not_a_list_read() -> None:
    journal = Journal().add("GET", f"{APPLICATIONS}/{APP}", answer={"data": {"id": APP}})
    assert "reads-every-page" not in names(judge(scenario(), journal.items, results(), truth()))


@pytest.mark.parametrize(
    "filters",
    [{"filter[cohort]": "2025"}, {"sort": "-updated_at"}, {"filter[updated_since]": "2026"}],
)
def test_a_read_of_a_whole_cohort_sorted_or_changed_list_is_a_sync(
    filters: dict[str, str],
) -> None:
    found = pages(Journal().page(APPLICATIONS, 1, 100, **filters))
    assert not found.passed


SYNC_TWICE = (
    {"id": "s1", "action": "sync", "resources": ["applications"]},
    {"id": "look", "action": "accept_application", "application_id": APP},
    {"id": "s2", "action": "sync", "resources": ["applications"]},
)
SINCE = {"filter[updated_since]": "2026-11-30T12:00:00Z"}


def incremental(journal: Journal) -> Any:
    return verdict(
        judge(scenario(*SYNC_TWICE), journal.items, results(), truth()), "incremental-sync"
    )


def test_lookups_between_syncs_are_not_later_syncs() -> None:
    journal = (
        Journal()
        .page(APPLICATIONS, 1, 0)
        .page(APPLICATIONS, 1, 0, **{"filter[participant_id]": PERSON})
        .add("GET", f"{APPLICATIONS}/{APP}", answer={"data": {"id": APP}})
        .page(APPLICATIONS, 1, 0, **SINCE)
    )
    assert incremental(journal).passed


def test_a_lookup_does_not_stand_in_for_a_later_sync() -> None:
    journal = (
        Journal()
        .page(APPLICATIONS, 1, 0)
        .page(APPLICATIONS, 1, 0, **{"filter[participant_id]": PERSON, **SINCE})
    )
    assert incremental(journal).reason == (
        "steps s1, s2 synced applications but GET /api/v3/npq-applications was read once"
    )


def test_syncs_by_cohort_are_judged_cohort_by_cohort() -> None:
    journal = Journal()
    for cohort in ("2024", "2025"):
        journal.page(APPLICATIONS, 1, 0, **{"filter[cohort]": cohort})
    for cohort in ("2024", "2025"):
        journal.page(APPLICATIONS, 1, 0, **{"filter[cohort]": cohort, **SINCE})
    assert incremental(journal).passed
    journal.page(APPLICATIONS, 1, 0, **{"filter[cohort]": "2025"})
    assert incremental(journal).reason == (
        "step s2: GET /api/v3/npq-applications?filter[cohort]=2025 (page 1), a later sync of "
        "applications, did not ask filter[updated_since]"
    )


def test_a_sync_that_stops_early_names_its_step() -> None:
    case = scenario({"id": "sync", "action": "sync", "resources": ["applications"]})
    journal = Journal().page(APPLICATIONS, 1, 100)
    found = verdict(judge(case, journal.items, results(), truth()), "reads-every-page")
    assert found.reason == f"step sync: {FULL}"
