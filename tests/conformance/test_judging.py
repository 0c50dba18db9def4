"""Each verdict, passing and failing, on small synthetic journals (no sandbox involved)."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.judging import VERDICTS, Verdict, judge
from conformance.scenarios import Step
from tests.conformance.journals import (
    ALREADY,
    APP,
    DECL,
    PERSON,
    Journal,
    accept,
    declaration_body,
    declare,
    refusal,
    result,
    results,
    scenario,
    truth,
)

ACCEPT = f"/npq-applications/{APP}/accept"
REJECTED = "Once rejected an application cannot change state"
ACCEPTED = truth(applications={APP: {"status": "accepted"}})


def verdict(found: list[Verdict], name: str) -> Verdict:
    (match,) = [v for v in found if v.name == name]
    return match


def names(found: list[Verdict]) -> list[str]:
    return [v.name for v in found]


# ------------------------------------------------------------------ outcome-matches


def test_outcome_matches_when_the_step_and_the_sandbox_end_as_expected() -> None:
    case = scenario(
        accept(),
        expect={"accept": {"outcome": "done", "record": {"status": "accepted"}}},
        truth={"applications": {APP: "accepted"}},
    )
    journal = Journal().add("POST", ACCEPT)
    found = judge(case, journal.items, results(result("accept", status="accepted")), ACCEPTED)
    assert verdict(found, "outcome-matches") == Verdict(
        "outcome-matches", True, "every step ended as the API decided"
    )


def test_outcome_fails_naming_the_record_request_and_answer() -> None:
    case = scenario(accept(), expect={"accept": {"outcome": "refused"}})
    journal = Journal().add("POST", ACCEPT, 422, answer=refusal(REJECTED))
    found = judge(case, journal.items, results(result("accept")), ACCEPTED)
    assert verdict(found, "outcome-matches") == Verdict(
        "outcome-matches",
        False,
        f'application {APP}: POST /api/v3{ACCEPT} answered 422 "{REJECTED}" but '
        "the client reported done",
    )


@pytest.mark.parametrize(
    ("reported", "reason"),
    [
        (
            results(),
            f"application {APP}: POST /api/v3{ACCEPT} answered 200 but the client "
            "reported no result",
        ),
        (
            results(result("accept", status="pending")),
            f"application {APP}: POST /api/v3{ACCEPT} answered 200 but the client "
            "reported status 'pending', not 'accepted'",
        ),
    ],
)
def test_outcome_fails_on_a_missing_result_or_a_wrong_record(
    reported: dict[str, Any], reason: str
) -> None:
    case = scenario(accept(), expect={"accept": {"record": {"status": "accepted"}}})
    found = judge(case, Journal().add("POST", ACCEPT).items, reported, ACCEPTED)
    assert verdict(found, "outcome-matches").reason == reason


def test_outcome_fails_when_the_sandbox_does_not_hold_the_expected_truth() -> None:
    case = scenario(accept(), truth={"applications": {APP: "accepted"}})
    held = truth(applications={APP: {"status": "rejected"}})
    found = judge(case, [], results(view={}), held)
    assert (
        verdict(found, "outcome-matches").reason
        == f"application {APP}: the sandbox holds 'rejected', the scenario expects 'accepted'"
    )


def test_a_step_without_requests_says_so() -> None:
    case = scenario(accept(), expect={"accept": {"outcome": "done"}})
    found = judge(case, [], results(result("accept", outcome="refused")), ACCEPTED)
    assert (
        verdict(found, "outcome-matches").reason
        == f"application {APP} (step accept): no request was sent but the client reported refused"
    )


def lost_then_refused() -> Journal:
    return (
        Journal()
        .add(
            "POST",
            "/participant-declarations",
            body=declaration_body(),
            answer={"data": {"id": DECL}},
            fault="lost-response",
        )
        .add(
            "POST",
            "/participant-declarations",
            422,
            body=declaration_body(),
            answer=refusal(ALREADY),
        )
    )


def held(*ids: str, state: str = "eligible") -> dict[str, Any]:
    same = {
        "participant_id": PERSON,
        "course_identifier": "npq-headship",
        "declaration_type": "started",
        "state": state,
    }
    return truth(declarations={i: dict(same) for i in ids})


def test_unique_passes_when_the_client_reports_the_one_existing_declaration() -> None:
    case = scenario(declare(), expect={"declare": {"outcome": "done", "unique": True}})
    found = judge(
        case,
        lost_then_refused().items,
        results(result("declare", id=DECL, state="eligible")),
        held(DECL),
    )
    assert verdict(found, "outcome-matches").passed


@pytest.mark.parametrize(
    ("reported", "sandbox", "ending"),
    [
        (
            result("declare", outcome="refused", error=ALREADY),
            held(DECL),
            "but the client reported refused",
        ),
        (
            result("declare", id="other"),
            held(DECL),
            f"but the client reported id 'other', not {DECL}",
        ),
        (
            result("declare", id=DECL),
            held(DECL, "second"),
            "; the sandbox holds 2 live declarations for it, not 1",
        ),
    ],
)
def test_unique_fails_on_a_refusal_a_wrong_id_or_a_second_record(
    reported: dict[str, Any], sandbox: dict[str, Any], ending: str
) -> None:
    case = scenario(declare(), expect={"declare": {"outcome": "done", "unique": True}})
    found = judge(case, lost_then_refused().items, results(reported), sandbox)
    reason = verdict(found, "outcome-matches").reason
    assert reason.startswith(
        f"declaration for participant {PERSON}: POST "
        f'/api/v3/participant-declarations answered 422 "{ALREADY}"'
    )
    assert reason.endswith(ending)


def test_identical_requests_of_repeated_steps_are_shared_in_order() -> None:
    case = scenario(
        accept("first"),
        accept("again"),
        expect={"first": {"outcome": "done"}, "again": {"outcome": "refused"}},
    )
    journal = Journal().add("POST", ACCEPT).add("POST", ACCEPT, 422, answer=refusal(REJECTED))
    found = judge(
        case,
        journal.items,
        results(result("first"), result("again", outcome="refused", error=REJECTED)),
        ACCEPTED,
    )
    assert verdict(found, "outcome-matches").passed
    assert verdict(found, "error-surfaced").passed


# ------------------------------------------------------------------ error-surfaced


@pytest.mark.parametrize("said", [REJECTED, f"{REJECTED}\nSecond detail"])
def test_error_surfaced_accepts_the_detail_or_every_detail(said: str) -> None:
    details = said.split("\n")
    journal = Journal().add("POST", ACCEPT, 422, answer=refusal(*details))
    found = judge(
        scenario(accept()), journal.items, results(result("accept", "refused", said)), ACCEPTED
    )
    assert verdict(found, "error-surfaced") == Verdict(
        "error-surfaced", True, "every refusal carried the API's own text"
    )


def test_error_surfaced_fails_on_the_clients_own_words() -> None:
    journal = Journal().add("POST", ACCEPT, 422, answer=refusal(REJECTED))
    found = judge(
        scenario(accept()),
        journal.items,
        results(result("accept", "refused", "HTTP 422")),
        ACCEPTED,
    )
    assert (
        verdict(found, "error-surfaced").reason
        == f'application {APP}: POST /api/v3{ACCEPT} answered 422 "{REJECTED}" '
        "but the client reported the error 'HTTP 422'"
    )


def test_error_surfaced_is_not_judged_without_a_reported_refusal() -> None:
    found = judge(
        scenario(accept()), Journal().add("POST", ACCEPT).items, results(result("accept")), ACCEPTED
    )
    assert "error-surfaced" not in names(found)


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
        == f'POST /api/v3{ACCEPT} answered 422 "{REJECTED}" and was sent 4 more times (at most 2)'
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
            found.reason
            == "GET /api/v3/statements answered 429 with Retry-After: 2.0 but the next "
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
        == "waited at least 1.0 s after each 429"
    )


def test_honours_retry_after_is_not_judged_without_a_429() -> None:
    assert "honours-retry-after" not in names(
        judge(scenario(), Journal().add("GET", "/statements/x").items, results(), truth())
    )


# ------------------------------------------------------------------ reads-every-page


def test_reads_every_page_passes_when_each_read_ends_on_an_empty_page() -> None:
    journal = (
        Journal()
        .page("/npq-applications", 1, 100)
        .add("GET", "/npq-applications", 429, answer="Retry later\n", query={"page[page]": "2"})
        .page("/npq-applications", 2, 5)
        .page("/npq-applications", 3, 0)
    )
    journal.page("/participant-declarations", 1, 0, **{"filter[participant_id]": PERSON})
    assert verdict(
        judge(scenario(), journal.items, results(), truth()), "reads-every-page"
    ) == Verdict("reads-every-page", True, "all 2 list reads went on to an empty page")


def test_a_read_that_stops_on_a_full_or_short_page_fails() -> None:
    journal = (
        Journal()
        .page("/npq-applications", 1, 100)
        .page("/npq-applications", 1, 100)
        .page("/npq-applications", 2, 3)
    )
    found = verdict(judge(scenario(), journal.items, results(), truth()), "reads-every-page")
    assert (
        found.reason
        == "GET /api/v3/npq-applications (pages [1]) stopped before an empty page (and 1 more)"
    )


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
        found.reason == "GET /api/v3/npq-applications (pages [1]): a later sync of applications "
        "without filter[updated_since]"
    )


def test_incremental_sync_fails_when_the_second_sync_reads_nothing() -> None:
    journal = Journal().page("/npq-applications", 1, 0)
    found = verdict(judge(scenario(*TWICE), journal.items, results(), truth()), "incremental-sync")
    assert (
        found.reason
        == "applications were synced 2 times but GET /api/v3/npq-applications was read 1 times"
    )


def test_incremental_sync_is_not_judged_for_one_sync_per_run() -> None:
    journal = Journal().page("/npq-applications", 1, 0).page("/npq-applications", 1, 0, run=1)
    first, second = TWICE
    from conformance.scenarios import Run

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
            f"application {APP}: the client's view says 'pending', the sandbox holds 'accepted'",
        ),
        ({}, f"application {APP}: missing from the client's view (the sandbox holds 'accepted')"),
        (
            {"applications": {APP: "accepted"}, "declarations": {"ghost": "voided"}},
            "declaration ghost: the client's view says 'voided', the sandbox holds None",
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


# ------------------------------------------------------------------ judge


def test_judge_reports_only_what_applies_in_the_fixed_order() -> None:
    case = scenario(accept(), expect={"accept": {"outcome": "done"}})
    journal = Journal().add("POST", ACCEPT)
    found = judge(
        case, journal.items, results(result("accept"), applications={APP: "accepted"}), ACCEPTED
    )
    assert names(found) == ["outcome-matches", "view-matches-truth", "requests-valid"]
    assert [n for n in VERDICTS if n in names(found)] == names(found)


def test_judge_survives_missing_or_malformed_results() -> None:
    case = scenario(accept(), expect={"accept": {"outcome": "done"}})
    for reported in (None, {"results": "nonsense", "view": []}):
        found = judge(case, Journal().add("POST", ACCEPT).items, reported, ACCEPTED)
        assert not verdict(found, "outcome-matches").passed


def test_a_synced_list_must_be_whole_in_the_view() -> None:
    sync = {"id": "s", "action": "sync", "resources": ["applications"]}
    sandbox = truth(applications={APP: {"status": "accepted"}, "app-2": {"status": "pending"}})
    found = judge(scenario(sync), [], results(applications={APP: "accepted"}), sandbox)
    assert verdict(found, "view-matches-truth").reason == (
        "application app-2: missing from the client's view (the sandbox holds 'pending')"
    )
