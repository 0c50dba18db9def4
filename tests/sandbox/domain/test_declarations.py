"""Pure declaration rules: the void transitions, dates, partners, creation and outcomes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from npq_sandbox.domain import messages as m
from npq_sandbox.domain import outcomes
from npq_sandbox.domain.declaration_changes import VOID_REFUSALS, VOID_TRANSITIONS, void
from npq_sandbox.domain.declaration_dates import cast_time, completion_date, is_rfc3339
from npq_sandbox.domain.declarations import CreateContext, create
from npq_sandbox.domain.errors import BadRequest, Problems, ValidationFailed
from npq_sandbox.domain.partnering import check_partners, inside_catchment
from npq_sandbox.domain.records import (
    Application,
    Declaration,
    Outcome,
    Participant,
    Statement,
    StatementItem,
)
from npq_sandbox.domain.reference import seed_contracts
from npq_sandbox.domain.states import (
    ApplicationStatus,
    DeclarationState,
    OutcomeState,
    StatementState,
    TrainingStatus,
)

from tests.helpers import NOW_AT

S = DeclarationState
APPLICATION = Application(
    id="app",
    participant_id="person",
    lead_provider_id="lp",
    course_identifier="npq-headship",
    cohort="2025a",
    status=ApplicationStatus.ACCEPTED,
    eligible_for_funding=True,
    created_at=NOW_AT,
    updated_at=NOW_AT,
    training_status=TrainingStatus.ACTIVE,
    schedule_identifier="npq-leadership-autumn",
    funded_place=True,
)
DECLARATION = Declaration(
    id="d1",
    application_id="app",
    lead_provider_id="lp",
    cohort="2025a",
    declaration_type="completed",
    declaration_date=datetime(2026, 7, 20, 10, tzinfo=UTC),
    state=S.SUBMITTED,
    created_at=NOW_AT,
    updated_at=NOW_AT,
)
STATEMENT = Statement(
    id="st",
    lead_provider_id="lp",
    cohort="2025a",
    month=12,
    year=2026,
    deadline_date=date(2026, 11, 25),
    payment_date=date(2026, 12, 25),
    output_fee=True,
    state=StatementState.OPEN,
    created_at=NOW_AT,
    updated_at=NOW_AT,
)
LATER = datetime(2026, 12, 1, tzinfo=UTC)


def voided(state: DeclarationState, **kwargs: Any) -> Any:
    settings: dict[str, Any] = {
        "items": [],
        "next_statement": STATEMENT,
        "latest_outcome": None,
        "outcome_id": "o1",
        "now": LATER,
    }
    declaration = replace(DECLARATION, state=state)
    return void(declaration, APPLICATION, **{**settings, **kwargs})


@pytest.mark.parametrize(("start", "end"), sorted(VOID_TRANSITIONS.items()))
def test_void_allowed(start: DeclarationState, end: DeclarationState) -> None:
    result = voided(start)
    assert (result.declaration.state, result.declaration.updated_at) == (end, LATER)


@pytest.mark.parametrize(("start", "message"), sorted(VOID_REFUSALS.items()))
def test_void_forbidden(start: DeclarationState, message: str) -> None:
    # A clawback item is what a declaration refunded or being refunded carries.
    items = [StatementItem("st0", DECLARATION.id, S.AWAITING_CLAWBACK)]
    with pytest.raises(ValidationFailed) as refused:
        voided(start, items=items)
    assert refused.value.errors == [("declaration", message)]


def test_every_state_is_either_voidable_or_refused() -> None:
    assert set(VOID_TRANSITIONS) | set(VOID_REFUSALS) == set(DeclarationState)
    assert not set(VOID_TRANSITIONS) & set(VOID_REFUSALS)


def test_void_voids_the_first_live_item() -> None:
    items = [StatementItem("st1", "d1", S.VOIDED), StatementItem("st2", "d1", S.PAYABLE)]
    assert voided(S.PAYABLE, items=items).voided_item == items[1]


def test_clawback_adds_an_item_on_the_next_statement() -> None:
    result = voided(S.PAID, items=[StatementItem("st0", "d1", S.PAID)])
    assert result.new_items == (StatementItem("st", "d1", S.AWAITING_CLAWBACK),)
    assert result.voided_item is None


def test_clawback_needs_a_statement() -> None:
    with pytest.raises(ValidationFailed) as refused:
        voided(S.PAID, next_statement=None)
    assert refused.value.errors == [("declaration", m.contract_ended(2025))]


def test_clawback_without_its_item_is_not_paid() -> None:
    with pytest.raises(ValidationFailed) as refused:
        voided(S.CLAWED_BACK)
    assert refused.value.errors == [("declaration", m.DECLARATION_NOT_PAID)]


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        (None, True),
        (OutcomeState.PASSED, True),
        (OutcomeState.FAILED, True),
        (OutcomeState.VOIDED, False),
    ],
)
def test_void_appends_a_voided_outcome(latest: OutcomeState | None, expected: bool) -> None:
    outcome = (
        None if latest is None else Outcome("o0", "d1", latest, date(2026, 7, 20), NOW_AT, NOW_AT)
    )
    result = voided(S.ELIGIBLE, latest_outcome=outcome)
    assert (result.outcome is not None) is expected
    if result.outcome is not None:
        assert (result.outcome.state, result.outcome.completion_date) == (
            OutcomeState.VOIDED,
            date(2026, 7, 20),
        )


def test_void_of_a_started_declaration_has_no_outcome() -> None:
    declaration = replace(DECLARATION, declaration_type="started")
    result = void(
        declaration,
        APPLICATION,
        items=[],
        next_statement=None,
        latest_outcome=None,
        outcome_id="o",
        now=LATER,
    )
    assert result.outcome is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-15T10:00:00Z", datetime(2025, 10, 15, 10, tzinfo=UTC)),
        ("2025-10-15T10:00:00+01:00", datetime(2025, 10, 15, 9, tzinfo=UTC)),
        ("2025-10-15T10:00:00-01", datetime(2025, 10, 15, 11, tzinfo=UTC)),
        ("2025-10-15", datetime(2025, 10, 15, tzinfo=UTC)),
        ("2025-02-30T10:00:00Z", datetime(2025, 3, 2, 10, tzinfo=UTC)),
        ("2025-02-32T10:00:00Z", None),
        ("2025-13-01T10:00:00Z", None),
        ("2025-10-15T24:00:00Z", None),
        ("yesterday", None),
        ("9999-12-31T23:59:59-23:00", None),
        (20251015, None),
    ],
)
def test_cast_time(value: Any, expected: datetime | None) -> None:
    assert cast_time(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-10-15T10:00:00Z", True),
        ("2025-10-15T10:00:00,5+0100", True),
        ("2025-10-15T10:00:00", True),
        ("2025-10-15", False),
        ("2025-10-15 10:00:00Z", False),
        ("2025-19-01T10:00:00Z", False),
        (None, False),
    ],
)
def test_rfc3339(value: Any, expected: bool) -> None:
    assert is_rfc3339(value) is expected


def test_impossible_completion_date() -> None:
    with pytest.raises(BadRequest) as refused:
        completion_date("2021-13-01")
    assert refused.value.detail == m.INVALID_DATE


@pytest.mark.parametrize(
    ("catchment", "cohort", "urn", "inside"),
    [
        ("england", "2025a", None, True),
        ("scotland", "2025a", "123456", False),
        ("scotland", "2023a", "123456", True),
        ("another", "2023a", "223456", False),
    ],
)
def test_inside_catchment(catchment: str, cohort: str, urn: str | None, inside: bool) -> None:
    application = replace(APPLICATION, teacher_catchment=catchment, cohort=cohort, school_urn=urn)
    assert inside_catchment(application) is inside


def test_unchanged_partners_are_not_checked_again() -> None:
    problems = Problems()
    check_partners(
        "dp",
        None,
        application=APPLICATION,
        cohort="2025a",
        partnered=frozenset(),
        problems=problems,
        before=("dp", None),
    )
    assert not problems


PERSON = Participant("person", "Ann", None, "1234567", True, (), NOW_AT, NOW_AT)
FULL = CreateContext(
    id_change=None,
    participant=PERSON,
    application=APPLICATION,
    accepted_for_course=True,
    fundable=True,
    next_statement=STATEMENT,
    known_partners=frozenset({"dp"}),
    partnered=frozenset({"dp"}),
    contracts=seed_contracts(),
)
GIVEN = {
    "participant_id": "person",
    "declaration_type": "started",
    "declaration_date": "2025-10-15T10:00:00Z",
    "course_identifier": "npq-headship",
    "delivery_partner_id": "dp",
}


@pytest.mark.parametrize(
    ("changes", "state", "items"),
    [
        ({}, S.ELIGIBLE, 1),
        ({"fundable": False}, S.SUBMITTED, 0),
        ({"twins": (replace(DECLARATION, id="old"),)}, S.INELIGIBLE, 1),
        ({"twins": (replace(DECLARATION, id="old"),), "fundable": False}, S.INELIGIBLE, 0),
    ],
)
def test_create_decides_the_state(
    changes: dict[str, Any], state: DeclarationState, items: int
) -> None:
    context = replace(FULL, **changes)
    if items == 0 and state is S.INELIGIBLE:
        context = replace(context, next_statement=None)
    created = create(GIVEN, context, ids=("new", "o"), now=NOW_AT)
    assert created.declaration.state is state
    assert len(created.items) == items
    if state is S.INELIGIBLE:
        assert created.declaration.superseded_by_id == "old"


def test_create_returns_a_reposted_declaration() -> None:
    existing = replace(
        DECLARATION,
        declaration_type="started",
        declaration_date=datetime(2025, 10, 15, 10, tzinfo=UTC),
    )
    created = create(GIVEN, replace(FULL, reposts=(existing,)), ids=("new", "o"), now=NOW_AT)
    assert created.existing and created.declaration == existing


def test_outcome_keeps_a_pass() -> None:
    latest = Outcome("o0", "d1", OutcomeState.PASSED, date(2026, 7, 20), NOW_AT, NOW_AT)
    given = {
        "course_identifier": "npq-headship",
        "state": "passed",
        "completion_date": "2026-07-25",
    }
    assert outcomes.record(given, [DECLARATION], latest, outcome_id="o1", now=NOW_AT) is latest
