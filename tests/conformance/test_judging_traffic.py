"""Verdicts on what traffic shows: retries, Retry-After, paging, syncs, the view, the requests."""

from __future__ import annotations

from typing import Any

import pytest
from npq_conformance.judging import Verdict, judge
from npq_conformance.scenarios import Step

from tests.conformance.journals import (
    ACCEPT,
    ACCEPTED,
    APP,
    PERSON,
    REJECTED,
    Journal,
    accept,
    declaration_body,
    names,
    refusal,
    results,
    scenario,
    truth,
    verdict,
)

# ------------------------------------------------------------------ no-retry-storm


def storm(times: int) -> Journal:
    journal = Journal()
    for _ in range(times):
        journal.add("POST", ACCEPT, 422, answer=refusal(REJECTED))
    return journal


def test_no_retry_storm_allows_the_limit() -> None:
    found = judge(scenario(accept()), storm(3).items, results(), ACCEPTED)
    assert verdict(found, "no-retry-storm") == Verdict(
        "no-retry-storm", True, "no refused request was repeated more than 2 times"
    )


def test_a_retry_storm_fails_naming_the_request() -> None:
    found = judge(scenario(accept()), storm(5).items, results(), ACCEPTED)
    assert (
        verdict(found, "no-retry-storm").reason
        == f'step accept: POST /api/v3{ACCEPT} answered 422 "{REJECTED}" and was sent 4 more '
        "times (at most 2)"
    )


def test_a_different_body_is_not_a_retry() -> None:
    journal = Journal()
    for n in range(5):
        journal.add(
            "POST",
            "/participant-declarations",
            422,
            body=declaration_body(f"2026-10-0{n + 1}T10:00:00Z"),
            answer=refusal("x"),
        )
    assert verdict(judge(scenario(), journal.items, results(), truth()), "no-retry-storm").passed


def test_no_retry_storm_is_not_judged_without_a_4xx() -> None:
    journal = (
        Journal()
        .add("POST", ACCEPT, 429, answer="Retry later\n")
        .add("POST", ACCEPT, 503, answer=refusal("Injected fault"))
    )
    assert "no-retry-storm" not in names(judge(scenario(), journal.items, results(), truth()))


# ------------------------------------------------------------------ honours-retry-after

THROTTLE = Step(
    "POST", "/sandbox/faults", {"data": {"attributes": {"status": 429, "retry_after": 2}}}
)


@pytest.mark.parametrize(("wait", "passed"), [(2.0, True), (2.5, True), (1.5, False)])
def test_honours_retry_after_measures_the_gap_after_a_429(wait: float, passed: bool) -> None:
    journal = (
        Journal()
        .add("GET", "/statements", 429, answer="Retry later\n")
        .add("GET", "/statements", after=wait)
    )
    found = verdict(
        judge(scenario(setup=(THROTTLE,)), journal.items, results(), truth()), "honours-retry-after"
    )
    assert found.passed is passed
    if not passed:
        assert (
            found.reason == "GET /api/v3/statements answered 429 with Retry-After: 2 but the next "
            "request (GET /api/v3/statements) came 1.500 s later"
        )


def test_retry_after_defaults_to_the_sandboxs_one_second() -> None:
    journal = (
        Journal()
        .add("GET", "/statements", 429, answer="Retry later\n")
        .add("GET", "/statements", after=1.0)
    )
    assert (
        verdict(judge(scenario(), journal.items, results(), truth()), "honours-retry-after").reason
        == "waited at least 1 s after each 429"
    )


def test_honours_retry_after_is_not_judged_without_a_429() -> None:
    assert "honours-retry-after" not in names(
        judge(scenario(), Journal().add("GET", "/statements/x").items, results(), truth())
    )


# ------------------------------------------------------------------ reads-every-page


def test_reads_every_page_passes_when_each_sync_ends_on_an_empty_page() -> None:
    journal = (
        Journal()
        .page("/npq-applications", 1, 100)
        .add("GET", "/npq-applications", 429, answer="Retry later\n", query={"page[page]": "2"})
        .page("/npq-applications", 2, 100)
        .page("/npq-applications", 3, 0)
    )
    journal.page("/participant-declarations", 1, 0, **{"filter[participant_id]": PERSON})
    assert verdict(
        judge(scenario(), journal.items, results(), truth()), "reads-every-page"
    ) == Verdict(
        "reads-every-page", True, "every sync read on to a page that was not full (1 in all)"
    )


def test_a_sync_that_stops_after_a_full_page_or_a_429_fails() -> None:
    journal = (
        Journal()
        .page("/npq-applications", 1, 100)
        .page("/npq-applications", 1, 100)
        .add("GET", "/npq-applications", 429, answer="Retry later\n", query={"page[page]": "2"})
    )
    found = verdict(judge(scenario(), journal.items, results(), truth()), "reads-every-page")
    assert found.failures == (
        "GET /api/v3/npq-applications (page 1) stopped after page 1, which was full (100 "
        "records, as page[per_page] asks), without reading page 2: only a page with fewer "
        "records than page[per_page] ends a list",
        "GET /api/v3/npq-applications (pages 1, 2) stopped after page 2 answered 429 "
        '"Retry later", without asking for it again',
    )
    assert found.reason == f"{found.failures[0]} (and 1 more)"
    assert [e["status"] for e in found.evidence] == [200, 429]


def test_reads_every_page_is_not_judged_without_list_reads() -> None:
    assert "reads-every-page" not in names(
        judge(scenario(), Journal().add("POST", ACCEPT).items, results(), truth())
    )


# ------------------------------------------------------------------ incremental-sync

TWICE = (
    {"id": "s1", "action": "sync", "resources": ["applications"]},
    {"id": "s2", "action": "sync", "resources": ["applications"]},
)
SINCE = {"filter[updated_since]": "2026-11-30T12:00:00Z"}


def test_incremental_sync_passes_when_the_second_read_asks_for_changes() -> None:
    journal = Journal().page("/npq-applications", 1, 0).page("/npq-applications", 1, 0, **SINCE)
    assert verdict(
        judge(scenario(*TWICE), journal.items, results(), truth()), "incremental-sync"
    ).passed


def test_incremental_sync_fails_on_a_second_full_read() -> None:
    journal = Journal().page("/npq-applications", 1, 0).page("/npq-applications", 1, 0)
    found = verdict(judge(scenario(*TWICE), journal.items, results(), truth()), "incremental-sync")
    assert (
        found.reason == "step s2: GET /api/v3/npq-applications (page 1), a later sync of "
        "applications, did not ask filter[updated_since]"
    )


def test_incremental_sync_fails_when_the_second_sync_reads_nothing() -> None:
    journal = Journal().page("/npq-applications", 1, 0)
    found = verdict(judge(scenario(*TWICE), journal.items, results(), truth()), "incremental-sync")
    assert (
        found.reason
        == "steps s1, s2 synced applications but GET /api/v3/npq-applications was read once"
    )


def test_incremental_sync_is_not_judged_for_one_sync_per_run() -> None:
    journal = Journal().page("/npq-applications", 1, 0).page("/npq-applications", 1, 0, run=1)
    first, second = TWICE
    from npq_conformance.scenarios import Run

    case = scenario(first, later=(Run((), (second,)),))
    assert "incremental-sync" not in names(judge(case, journal.items, results(), truth()))


# ------------------------------------------------------------------ view-matches-truth

PARTICIPANT = {
    "npq_enrolments": [
        {"course_identifier": "npq-senco", "training_status": "active"},
        {"course_identifier": "npq-headship", "training_status": "withdrawn"},
    ]
}


def test_view_matches_truth_compares_every_record_of_the_view() -> None:
    case = scenario(
        {
            "id": "w",
            "action": "withdraw_participant",
            "participant_id": PERSON,
            "course_identifier": "npq-headship",
        },
        truth={"participants": {PERSON: "withdrawn"}},
    )
    sandbox = truth(participants={PERSON: PARTICIPANT}, applications={APP: {"status": "accepted"}})
    view = results(participants={PERSON: "withdrawn"}, applications={APP: "accepted"})
    assert verdict(judge(case, [], view, sandbox), "view-matches-truth") == Verdict(
        "view-matches-truth", True, "the client's view agrees with the sandbox"
    )


@pytest.mark.parametrize(
    ("view", "reason"),
    [
        (
            {"applications": {APP: "pending"}},
            f'application {APP}: the client\'s view says "pending", the sandbox holds "accepted"',
        ),
        (
            {},
            f'application {APP}: missing from the client\'s view (the sandbox holds "accepted")',
        ),
        (
            {"applications": {APP: "accepted"}, "declarations": {"ghost": "voided"}},
            'declaration ghost: the client\'s view says "voided", the sandbox holds no such '
            "declaration",
        ),
    ],
)
def test_view_matches_truth_fails_on_a_stale_missing_or_unknown_record(
    view: dict[str, Any], reason: str
) -> None:
    case = scenario(truth={"applications": {APP: "accepted"}})
    assert (
        verdict(judge(case, [], results(**view), ACCEPTED), "view-matches-truth").reason == reason
    )


# ------------------------------------------------------------------ requests-valid


def test_requests_valid_passes_for_documented_requests() -> None:
    journal = (
        Journal()
        .page("/npq-applications", 1, 0, **SINCE)
        .add(
            "POST",
            ACCEPT,
            body={"data": {"type": "npq-application-accept", "attributes": {"funded_place": True}}},
        )
    )
    assert verdict(
        judge(scenario(), journal.items, results(), truth()), "requests-valid"
    ) == Verdict("requests-valid", True, "all 2 requests match openapi.yaml")


@pytest.mark.parametrize(
    ("method", "path", "query", "body", "reason"),
    [
        (
            "GET",
            "/nowhere",
            {},
            None,
            "GET /api/v3/nowhere: no documented path matches /api/v3/nowhere",
        ),
        (
            "PATCH",
            ACCEPT,
            {},
            None,
            f"PATCH /api/v3{ACCEPT}: PATCH is not documented for "
            f"/api/v3/npq-applications/{{id}}/accept",
        ),
        (
            "GET",
            "/statements",
            {"filter[updated_after]": "x"},
            None,
            "GET /api/v3/statements?filter[updated_after]=x: undocumented query "
            "parameter filter[updated_after]",
        ),
        (
            "GET",
            "/statements",
            {"page[page]": "0"},
            None,
            "GET /api/v3/statements?page[page]=0: query parameter page[page]=0: 0 "
            "is less than the minimum of 1",
        ),
        (
            "POST",
            ACCEPT,
            {},
            {"data": {"attributes": {"funded_place": "yes"}}},
            f"POST /api/v3{ACCEPT}: body: data/attributes/funded_place: 'yes' is not "
            "of type 'boolean'",
        ),
        ("POST", ACCEPT, {}, "funded_place=true", f"POST /api/v3{ACCEPT}: the body is not JSON"),
    ],
)
def test_requests_valid_fails_naming_the_request_and_the_problem(
    method: str, path: str, query: dict[str, str], body: Any, reason: str
) -> None:
    journal = Journal().add(method, path, 400, query=query, body=body)
    assert (
        verdict(judge(scenario(), journal.items, results(), truth()), "requests-valid").reason
        == reason
    )


def test_the_outcomes_list_is_not_read_as_a_participant_id() -> None:
    journal = Journal().add(
        "GET", "/participants/npq/outcomes", query={"filter[created_since]": "2026-01-01T00:00:00Z"}
    )
    assert verdict(judge(scenario(), journal.items, results(), truth()), "requests-valid").passed
