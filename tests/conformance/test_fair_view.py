"""A participant's view per enrolment, the single-status form still accepted (issue item 8)."""

from __future__ import annotations

from typing import Any

import pytest
from npq_conformance.judging import Verdict, judge

from tests.conformance.journals import PERSON, Journal, results, scenario, truth, verdict

WITHDRAW = {
    "id": "w",
    "action": "withdraw_participant",
    "participant_id": PERSON,
    "course_identifier": "npq-headship",
}
TWO_COURSES = truth(
    participants={
        PERSON: {
            "npq_enrolments": [
                {"course_identifier": "npq-senco", "training_status": "active"},
                {"course_identifier": "npq-headship", "training_status": "withdrawn"},
            ]
        }
    }
)
SYNC = {"id": "s", "action": "sync", "resources": ["participants"]}


def view(
    participants: dict[str, Any], *steps: dict[str, Any], journal: Journal | None = None
) -> Verdict:
    case = scenario(*(steps or (WITHDRAW,)), truth={"participants": {PERSON: "withdrawn"}})
    items = journal.items if journal else []
    return verdict(
        judge(case, items, results(participants=participants), TWO_COURSES), "view-matches-truth"
    )


@pytest.mark.parametrize(
    "participants",
    [
        {PERSON: {"npq-headship": "withdrawn", "npq-senco": "active"}},
        {PERSON: "withdrawn"},
    ],
    ids=["per-enrolment", "single-status-of-the-scenarios-enrolment"],
)
def test_a_view_agreeing_with_every_enrolment_passes(participants: dict[str, Any]) -> None:
    assert view(participants).passed


def test_the_per_enrolment_form_is_judged_in_a_synced_list() -> None:
    assert view({PERSON: {"npq-headship": "withdrawn", "npq-senco": "active"}}, SYNC).passed


@pytest.mark.parametrize(
    ("given", "failures"),
    [
        (
            {"npq-headship": "withdrawn", "npq-senco": "withdrawn"},
            (
                f'participant {PERSON}, course npq-senco: the client\'s view says "withdrawn", '
                'the sandbox holds "active"',
            ),
        ),
        (
            {"npq-headship": "withdrawn"},
            (
                f"participant {PERSON}, course npq-senco: missing from the client's view "
                '(the sandbox holds "active")',
            ),
        ),
        (
            {"npq-headship": "active", "npq-senco": "active", "npq-sl": "active"},
            (
                f'participant {PERSON}, course npq-headship: the client\'s view says "active", '
                'the sandbox holds "withdrawn"',
                f'participant {PERSON}, course npq-sl: the client\'s view says "active", '
                "the sandbox holds no such enrolment",
            ),
        ),
    ],
    ids=["wrong-status", "missing-course", "wrong-and-unknown-course"],
)
def test_each_enrolment_that_disagrees_fails_by_course(
    given: dict[str, str], failures: tuple[str, ...]
) -> None:
    found = view({PERSON: given})
    assert (found.passed, found.failures) == (False, failures)


def test_the_single_status_form_is_judged_on_the_scenarios_enrolment() -> None:
    found = view({PERSON: "active"})
    assert found.reason == (
        f'participant {PERSON}: the client\'s view says "active", the sandbox holds "withdrawn"'
    )


def test_the_evidence_is_the_last_answer_showing_the_participant() -> None:
    shown = {"data": [{"id": PERSON}]}
    journal = (
        Journal()
        .add("GET", "/participants/npq", answer=shown)
        .add("GET", "/participants/npq", answer={"data": []}, query={"page[page]": "2"})
        .add("GET", f"/participants/npq/{PERSON}", answer={"data": {"id": PERSON}})
    )
    found = view({PERSON: {"npq-headship": "active"}}, journal=journal)
    assert [e["path"] for e in found.evidence] == [f"/api/v3/participants/npq/{PERSON}"]
