"""Verdicts on the client's steps (outcome, uniqueness, surfaced errors) and the judge itself."""

from __future__ import annotations

from typing import Any

import pytest
from npq_conformance.judging import VERDICTS, Verdict, judge

from tests.conformance.journals import (
    ACCEPT,
    ACCEPTED,
    ALREADY,
    APP,
    DECL,
    PERSON,
    REJECTED,
    Journal,
    accept,
    declaration_body,
    declare,
    names,
    refusal,
    result,
    results,
    scenario,
    truth,
    verdict,
)

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
    found = verdict(
        judge(case, journal.items, results(result("accept")), ACCEPTED), "outcome-matches"
    )
    assert found.reason == (
        f'step accept (application {APP}): POST /api/v3{ACCEPT} answered 422 "{REJECTED}" but '
        'the client reported outcome "done", not "refused"'
    )
    assert found.failures == (found.reason,)
    assert [(e["method"], e["status"]) for e in found.evidence] == [("POST", 422)]


@pytest.mark.parametrize(
    ("reported", "reason"),
    [
        (
            results(),
            f"step accept (application {APP}): POST /api/v3{ACCEPT} answered 200 but the "
            "client reported no result",
        ),
        (
            results(result("accept", status="pending")),
            f"step accept (application {APP}): POST /api/v3{ACCEPT} answered 200 but the "
            'client reported status "pending", not "accepted"',
        ),
        (
            results(result("accept")),
            f"step accept (application {APP}): POST /api/v3{ACCEPT} answered 200 but the "
            'client reported no status, not "accepted"',
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
        == f'application {APP}: the sandbox holds "rejected", the scenario expects "accepted"'
    )


def test_a_step_without_requests_says_so() -> None:
    case = scenario(accept(), expect={"accept": {"outcome": "done"}})
    found = judge(case, [], results(result("accept", outcome="refused")), ACCEPTED)
    assert (
        verdict(found, "outcome-matches").reason
        == f"step accept (application {APP}): no request was sent but the client reported "
        'outcome "refused", not "done"'
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
            'but the client reported outcome "refused", not "done"',
        ),
        (
            result("declare", id="other"),
            held(DECL),
            f'but the client reported id "other", not "{DECL}"',
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
        f"step declare (declaration for participant {PERSON}): POST "
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
        == f'step accept (application {APP}): POST /api/v3{ACCEPT} answered 422 "{REJECTED}" '
        f'but the client reported the error "HTTP 422", which lacks "{REJECTED}"'
    )


def test_error_surfaced_is_not_judged_without_a_reported_refusal() -> None:
    found = judge(
        scenario(accept()), Journal().add("POST", ACCEPT).items, results(result("accept")), ACCEPTED
    )
    assert "error-surfaced" not in names(found)


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
        'application app-2: missing from the client\'s view (the sandbox holds "pending")'
    )
