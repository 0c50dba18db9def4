"""Registration rules as pure functions: what is made up, what is refused, what is built."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from npq_sandbox.domain import messages as m
from npq_sandbox.domain import registrations as rules
from npq_sandbox.domain.errors import ValidationFailed
from npq_sandbox.domain.records import Application, Participant
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.domain.states import ApplicationStatus

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
CALLER, OTHER = LEAD_PROVIDERS[0], LEAD_PROVIDERS[1]
IDS = ("person-1", "app-1", "app-2")


class Asked:
    """An inventor that records what it was asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def full_name(self) -> str:
        self.asked.append("full_name")
        return "Made Up"

    def trn(self) -> str:
        self.asked.append("trn")
        return "1234567"


def _register(
    invent: Asked | None = None,
    existing: Participant | None = None,
    held: tuple[Application, ...] = (),
    **given: object,
) -> rules.Registration:
    return rules.register(
        {"course_identifier": "npq-headship", "cohort": 2025, **given},
        caller=CALLER,
        existing=existing,
        held=held,
        invent=invent or Asked(),
        ids=IDS,
        now=NOW,
    )


def test_a_new_person_gets_made_up_details_only_where_none_were_given() -> None:
    invent = Asked()
    made = _register(invent, full_name="Ada Lovelace")
    assert invent.asked == ["trn"]
    assert made.person is not None
    assert (made.person.id, made.person.full_name, made.person.trn) == (
        "person-1",
        "Ada Lovelace",
        "1234567",
    )
    assert made.person.email == "ada.lovelace.person-1@example.com"


def test_a_competing_provider_gets_its_own_pending_application() -> None:
    made = _register(competing_lead_provider=OTHER.name)
    assert [(a.id, a.lead_provider_id) for a in made.applications] == [
        ("app-1", CALLER.id),
        ("app-2", OTHER.id),
    ]
    assert {a.status for a in made.applications} == {ApplicationStatus.PENDING}


def test_an_unknown_participant_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        _register(participant_id="nobody")
    assert refused.value.errors == [("participant_id", m.SANDBOX_PARTICIPANT_NOT_FOUND)]


PERSON = Participant("person-0", "Ada", None, "1234567", True, (), NOW, NOW)


def _held_by(provider_id: str) -> Application:
    [held] = _register(competing_lead_provider=None).applications
    return dataclasses.replace(held, participant_id=PERSON.id, lead_provider_id=provider_id)


def test_an_existing_person_only_of_the_callers_own() -> None:
    mine = _register(existing=PERSON, held=(_held_by(CALLER.id),), participant_id=PERSON.id)
    assert mine.person is None and mine.applications[0].participant_id == PERSON.id
    for held in [(), (_held_by(OTHER.id),)]:
        with pytest.raises(ValidationFailed) as refused:
            _register(existing=PERSON, held=held, participant_id=PERSON.id)
        assert refused.value.errors == [("participant_id", m.SANDBOX_PARTICIPANT_NOT_FOUND)]


@pytest.mark.parametrize(("cohort", "funded_place"), [("2026a", False), ("2025a", None)])
def test_a_new_application_has_no_funded_place_only_in_unfunded_cohorts(
    cohort: str, funded_place: bool | None
) -> None:
    answers = {"eligible_for_funding": True}
    made = rules.new_application("a", "p", CALLER.id, "npq-headship", cohort, answers, now=NOW)
    assert made.funded_place is funded_place
