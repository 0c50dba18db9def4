"""Guidance findings and the history behind them: what a record was when a request came."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from npq_conformance.audit import Traffic, judge_traffic
from npq_conformance.history import History
from npq_conformance.journal import entries, moment

from tests.conformance.journals import APP, PERSON, START, Journal, declaration_body, truth

COURSE = "npq-headship"
DEFERRAL = {"data": {"attributes": {"course_identifier": COURSE, "reason": "other"}}}
RESUMPTION = {"data": {"attributes": {"course_identifier": COURSE}}}
Json = dict[str, Any]


def enrolled(status: str) -> Json:
    enrolment = {"course_identifier": COURSE, "training_status": status}
    return {PERSON: {"npq_enrolments": [enrolment]}}


def history(journal: Journal, state: Json, offset: float = 0.0) -> History:
    return History(entries(journal.items), state, offset)


def test_training_status_follows_the_provider_s_own_writes() -> None:
    journal = (
        Journal()
        .add("PUT", f"/participants/npq/{PERSON}/defer", body=DEFERRAL)
        .add("PUT", f"/participants/npq/{PERSON}/resume", 422, body=RESUMPTION)
    )
    found = history(journal, truth(participants=enrolled("deferred")))
    first = moment(entries(journal.items)[0])
    assert found.training_status(PERSON, COURSE, first - timedelta(seconds=1)) == "active"
    assert found.training_status(PERSON, COURSE, first + timedelta(seconds=1)) == "deferred"
    assert found.training_status(PERSON, "npq-senco", first) is None


def test_training_status_before_a_resume_alone_is_unknown_without_one_the_truth() -> None:
    resumed = Journal().add("PUT", f"/participants/npq/{PERSON}/resume", body=RESUMPTION)
    assert (
        history(resumed, truth(participants=enrolled("active"))).training_status(
            PERSON, COURSE, START
        )
        is None
    )
    quiet = history(Journal(), truth(participants=enrolled("deferred")))
    assert quiet.training_status(PERSON, COURSE, START) == "deferred"


def test_an_application_is_rejected_by_the_provider_s_reject_or_since_it_last_changed() -> None:
    rejecting = Journal().add("POST", f"/npq-applications/{APP}/reject")
    state = truth(applications={APP: {"status": "rejected", "updated_at": "2026-11-30T12:00:00Z"}})
    found = history(rejecting, state)
    at = moment(entries(rejecting.items)[0])
    assert found.rejected(APP, at - timedelta(seconds=1)) is False
    assert found.rejected(APP, at + timedelta(seconds=1)) is True
    # Rejected by DfE at 12:00 on the provider's clock, which runs an hour ahead of real time.
    quiet = history(Journal(), state, offset=3600)
    assert quiet.rejected(APP, START - timedelta(hours=1, seconds=1)) is None
    assert quiet.rejected(APP, START - timedelta(minutes=59)) is True
    pending = truth(applications={APP: {"status": "pending", "updated_at": "2026-11-30T12:00:00Z"}})
    assert history(Journal(), pending).rejected(APP, START) is False


def judged(journal: Journal, state: Json, *, strict: bool = False) -> dict[str, Any]:
    found = judge_traffic(Traffic(journal.items, state, {}, 0.0), strict=strict)
    return {v.name: v for v in found}


def test_a_declaration_for_a_deferred_participant_is_a_warning_or_with_strict_a_failure() -> None:
    journal = (
        Journal()
        .add("PUT", f"/participants/npq/{PERSON}/defer", body=DEFERRAL)
        .add("POST", "/participant-declarations", body=declaration_body())
    )
    state = truth(participants=enrolled("deferred"))
    name = "guidance-no-declarations-while-deferred"
    warned = judged(journal, state)[name]
    assert warned.passed and warned.warning
    assert warned.reason == (
        'POST /api/v3/participant-declarations answered 200: a "started" declaration for '
        f"participant {PERSON} on {COURSE}, who was deferred; DfE's guidance asks for none "
        "until the participant is resumed"
    )
    failed = judged(journal, state, strict=True)[name]
    assert not failed.passed and not failed.warning and failed.reason == warned.reason
    journal.add("PUT", f"/participants/npq/{PERSON}/resume", body=RESUMPTION)
    journal.add("POST", "/participant-declarations", body=declaration_body("2026-10-02T10:00:00Z"))
    assert judged(journal, truth(participants=enrolled("active")))[name].failures == (
        warned.reason,
    )


def test_a_request_about_a_participant_whose_application_was_rejected_is_a_warning() -> None:
    application = {"participant_id": PERSON, "course_identifier": COURSE, "status": "rejected"}
    journal = (
        Journal()
        .add("GET", f"/participants/npq/{PERSON}")
        .add("POST", f"/npq-applications/{APP}/reject")
        .add("PUT", f"/participants/npq/{PERSON}/defer", 404, body=DEFERRAL)
    )
    found = judged(journal, truth(applications={APP: {**application, "updated_at": "x"}}))
    finding = found["guidance-no-requests-after-rejection"]
    assert finding.passed and finding.warning
    assert finding.failures == (
        f"PUT /api/v3/participants/npq/{PERSON}/defer answered 404: it is about participant "
        f"{PERSON} on {COURSE}, whose application {APP} was rejected; "
        "DfE's guidance asks for no request about it",
    )
