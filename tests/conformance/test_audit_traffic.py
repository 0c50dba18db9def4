"""The audit's traffic verdicts on small synthetic journals: what passes, what fails, and why."""

from __future__ import annotations

from typing import Any

from npq_conformance.audit import Traffic, judge_traffic
from npq_conformance.judging import Verdict

from tests.conformance.journals import (
    ALREADY,
    APP,
    PERSON,
    Journal,
    declaration_body,
    refusal,
    truth,
)

DECLARE = "/participant-declarations"
LOOKUP = {"filter[participant_id]": PERSON}
OLD, NEW = "old-person", "new-person"
GONE = refusal(f"The participant_id '{OLD}' has been replaced with '{NEW}'.")
Json = dict[str, Any]


def judged(
    journal: Journal, name: str, state: Json | None = None, waits: dict[str, float] | None = None
) -> Verdict | None:
    traffic = Traffic(journal.items, state or truth(), waits or {}, 0.0)
    found = [v for v in judge_traffic(traffic) if v.name == name]
    return found[0] if found else None


def lost_declaration() -> Journal:
    return Journal().add("POST", DECLARE, body=declaration_body(), fault="lost-response")


# ------------------------------------------------------------------ looks-up-after-lost-response


def test_looking_up_at_once_passes() -> None:
    journal = lost_declaration().add("GET", DECLARE, query=LOOKUP)
    found = judged(journal, "looks-up-after-lost-response")
    assert found == Verdict(
        "looks-up-after-lost-response", True, "each declaration whose answer was lost was looked up"
    )


def test_a_retry_refused_as_already_submitted_then_a_lookup_passes() -> None:
    journal = (
        lost_declaration()
        .add("POST", DECLARE, 503, body=declaration_body(), answer=refusal("Injected fault"))
        .add("POST", DECLARE, body=declaration_body(), fault="lost-response")
        .add("POST", DECLARE, 422, body=declaration_body(), answer=refusal(ALREADY))
        .add("GET", f"{DECLARE}/decl-1")
    )
    found = judged(journal, "looks-up-after-lost-response")
    assert found is not None and found.passed


def test_a_retry_refused_as_already_submitted_and_no_lookup_fails() -> None:
    journal = lost_declaration().add(
        "POST", DECLARE, 422, body=declaration_body(), answer=refusal(ALREADY)
    )
    found = judged(journal, "looks-up-after-lost-response")
    assert found is not None and not found.passed
    assert found.reason == (
        "POST /api/v3/participant-declarations was processed (200) but its answer was dropped; "
        f'its retry answered 422 "{ALREADY}", and the declaration was never looked up '
        "(GET /participant-declarations?filter[participant_id]=..., or the declaration)"
    )
    assert len(found.evidence) == 2


def test_another_declaration_before_a_lookup_fails() -> None:
    other = declaration_body("2026-10-02T10:00:00Z")
    journal = lost_declaration().add("POST", DECLARE, body=other).add("GET", DECLARE, query=LOOKUP)
    found = judged(journal, "looks-up-after-lost-response")
    assert found is not None and not found.passed
    assert "declared for the same participant and course before any GET" in found.reason


def test_traffic_ending_without_a_lookup_fails() -> None:
    found = judged(lost_declaration(), "looks-up-after-lost-response")
    assert found is not None and not found.passed
    assert found.reason.endswith(
        "and the declaration was never looked up (GET "
        "/participant-declarations?filter[participant_id]=..., or the "
        "declaration)"
    )


def test_a_retry_sent_before_a_slow_answer_came_counts_as_a_lost_answer() -> None:
    journal = Journal().add("POST", DECLARE, body=declaration_body())
    journal.items[-1]["attributes"]["duration_ms"] = 5000.0  # the client gave up after 1 s
    journal.add("POST", DECLARE, 422, body=declaration_body(), answer=refusal(ALREADY), after=1)
    found = judged(journal, "looks-up-after-lost-response")
    assert found is not None and not found.passed
    answered = Journal().add("POST", DECLARE, body=declaration_body())
    answered.add("POST", DECLARE, 422, body=declaration_body(), answer=refusal(ALREADY), after=1)
    assert judged(answered, "looks-up-after-lost-response") is None


# ------------------------------------------------------------------ respects-410


def test_writing_to_an_id_after_its_410_fails_and_before_it_passes() -> None:
    withdraw = {"data": {"attributes": {"course_identifier": "npq-headship", "reason": "other"}}}
    journal = (
        Journal()
        .add("PUT", f"/participants/npq/{OLD}/withdraw", 404, body=withdraw)
        .add("GET", f"/participants/npq/{OLD}", 410, answer=GONE)
        .add("PUT", f"/participants/npq/{NEW}/withdraw", body=withdraw)
    )
    found = judged(journal, "respects-410")
    assert found is not None and found.passed
    body = declaration_body()
    body["data"]["attributes"]["participant_id"] = OLD
    journal.add("POST", DECLARE, 422, body=body, answer=refusal("x"))
    found = judged(journal, "respects-410")
    assert found is not None and not found.passed
    assert found.reason.startswith(
        f'POST /api/v3/participant-declarations answered 422 "x": it names participant {OLD}, '
        f"after GET /api/v3/participants/npq/{OLD} answered 410"
    )


# ------------------------------------------------------------------ no-accept-after-rejected


def application(status: str, updated_at: str) -> Json:
    return truth(applications={APP: {"status": status, "cohort": "2025", "updated_at": updated_at}})


def accept_after_page(kept: bool) -> Journal:
    journal = Journal().page("/npq-applications", 1, 3, kept=kept)
    return journal.add("POST", f"/npq-applications/{APP}/accept", 422, answer=refusal("x"))


def test_a_page_kept_in_full_showing_it_rejected_fails() -> None:
    journal = accept_after_page(kept=True)
    journal.items[0]["attributes"]["response_body"]["data"].append(
        {"id": APP, "attributes": {"status": "rejected"}}
    )
    found = judged(journal, "no-accept-after-rejected")
    assert found is not None and not found.passed
    assert f"had shown application {APP} rejected" in found.reason


def test_a_page_kept_by_size_counts_when_the_record_has_not_changed_since() -> None:
    before, after = "2026-11-30T11:00:00Z", "2026-11-30T13:00:00Z"  # the page: 12:00:00.1
    found = judged(
        accept_after_page(kept=False), "no-accept-after-rejected", application("rejected", before)
    )
    assert found is not None and not found.passed
    # Rejected after the page was read (another provider accepted the person): not shown.
    found = judged(
        accept_after_page(kept=False), "no-accept-after-rejected", application("rejected", after)
    )
    assert found is not None and found.passed
    found = judged(
        accept_after_page(kept=False), "no-accept-after-rejected", application("pending", before)
    )
    assert found is not None and found.passed


# ------------------------------------------------------------------ retries and syncs


def test_each_429_is_judged_by_its_own_fault_s_retry_after() -> None:
    journal = Journal().add("GET", "/statements", 429, answer="Retry later", fault="status")
    journal.add("GET", "/statements", after=1.5)
    found = judged(journal, "honours-retry-after", waits={"f1": 1})
    assert found is not None and found.passed
    found = judged(journal, "honours-retry-after", waits={"f1": 2})
    assert found is not None and not found.passed
    assert "answered 429 with Retry-After: 2 but the next request" in found.reason


def test_a_whole_read_again_fails_but_a_retried_unfinished_one_does_not() -> None:
    journal = Journal().page("/npq-applications", 1, 100).page("/npq-applications", 1, 3)
    found = judged(journal, "incremental-sync")
    assert found is not None and found.passed  # page 1 was full: the first read never ended
    journal.page("/npq-applications", 1, 3, **{"filter[cohort]": "2025"})
    journal.page("/npq-applications", 1, 3)
    found = judged(journal, "incremental-sync")
    assert found is not None and not found.passed
    assert found.failures == (
        "GET /api/v3/npq-applications (page 1) read applications again without "
        "filter[updated_since], after GET /api/v3/npq-applications (page 1) had read it to the end",
    )
