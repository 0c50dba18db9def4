"""Messages: every failure in full with its evidence, JSON not Python, the step named."""

from __future__ import annotations

import re

from npq_conformance.judging import Verdict, judge

from tests.conformance.journals import (
    ACCEPT,
    ACCEPTED,
    APP,
    REJECTED,
    Journal,
    accept,
    refusal,
    results,
    scenario,
    truth,
    verdict,
)

SECOND = "/npq-applications/app-2/accept"
REPR = re.compile(r"\bNone\b|\{'|\['|': |%5B|%5D", re.IGNORECASE)


def test_every_failure_is_kept_in_full_with_the_requests_behind_it() -> None:
    journal = Journal()
    for path in (ACCEPT, SECOND):
        for _ in range(4):
            journal.add("POST", path, 422, answer=refusal(REJECTED))
    found = verdict(judge(scenario(accept()), journal.items, results(), ACCEPTED), "no-retry-storm")
    assert found.failures == (
        f'step accept: POST /api/v3{ACCEPT} answered 422 "{REJECTED}" and was sent 3 more times '
        "(at most 2)",
        f'POST /api/v3{SECOND} answered 422 "{REJECTED}" and was sent 3 more times (at most 2)',
    )
    assert found.reason == f"{found.failures[0]} (and 1 more)"
    assert [e["path"] for e in found.evidence] == [e["attributes"]["path"] for e in journal.items]


def test_a_passing_verdict_has_no_failures_and_no_evidence() -> None:
    found = verdict(
        judge(scenario(accept()), Journal().add("POST", ACCEPT).items, results(), ACCEPTED),
        "requests-valid",
    )
    assert (found.passed, found.failures, found.evidence) == (True, (), ())


def broken_run() -> list[Verdict]:
    """A client wrong in every way a message can render a value: absent, text, JSON."""
    case = scenario(
        accept(),
        {"id": "again", "action": "accept_application", "application_id": "app-2"},
        expect={"accept": {"outcome": "done", "record": {"status": "accepted"}}},
        truth={"applications": {APP: "accepted", "ghost": "accepted"}},
    )
    journal = (
        Journal()
        .add("POST", ACCEPT, 422, answer={"errors": [{"title": "no detail"}]})
        .add("POST", SECOND, 422, answer=refusal(REJECTED))
        .add("GET", "/npq-applications", 400, query={"filter[wrong]": "x"})
    )
    journal.items[-1]["attributes"]["query_string"] = "filter%5Bwrong%5D=x"
    reported = results(
        {"id": "accept"},
        {"id": "again", "outcome": "refused", "error": {"error": REJECTED}},
        applications={APP: None, "ghost": ["accepted"]},  # type: ignore[dict-item]
    )
    return judge(case, journal.items, reported, truth(applications={APP: {"status": "rejected"}}))


def test_no_message_holds_a_python_repr_or_an_encoded_query() -> None:
    messages = [text for v in broken_run() for text in (v.reason, *v.failures)]
    assert len(messages) > 8
    assert [m for m in messages if REPR.search(m)] == []


def test_messages_render_absent_values_in_words_and_values_as_json() -> None:
    found = {v.name: v.failures for v in broken_run()}
    assert found["outcome-matches"] == (
        f"step accept (application {APP}): POST /api/v3{ACCEPT} answered 422 but the client "
        'reported no outcome, not "done"',
        f'application {APP}: the sandbox holds "rejected", the scenario expects "accepted"',
        'application ghost: the sandbox holds no such application, the scenario expects "accepted"',
    )
    assert found["error-surfaced"] == (
        f"step again (application app-2): POST /api/v3{SECOND} answered 422 "
        f'"{REJECTED}" but the client reported the error {{"error": "{REJECTED}"}}, which is '
        "not text",
    )
    assert found["view-matches-truth"] == (
        f'application {APP}: the client\'s view says null, the sandbox holds "rejected"',
        'application ghost: the client\'s view says ["accepted"], the sandbox holds no such '
        "application",
    )


def test_queries_are_shown_decoded() -> None:
    (message,) = {v.name: v.failures for v in broken_run()}["requests-valid"]
    assert message.startswith("GET /api/v3/npq-applications?filter[wrong]=x: ")


def test_a_dropped_answer_is_named_as_such() -> None:
    journal = Journal().add("POST", ACCEPT, fault="lost-response")
    case = scenario(accept(), expect={"accept": {"outcome": "done"}})
    found = verdict(judge(case, journal.items, results(), ACCEPTED), "outcome-matches")
    assert found.reason == (
        f"step accept (application {APP}): POST /api/v3{ACCEPT} was processed (200) but its "
        "answer was dropped but the client reported no result"
    )
