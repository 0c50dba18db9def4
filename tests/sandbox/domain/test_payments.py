"""DfE-side moves of declarations and statements: one case per allowed and forbidden edge."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import product

import pytest
from npq_sandbox.domain import messages as m
from npq_sandbox.domain import payments
from npq_sandbox.domain.errors import ValidationFailed
from npq_sandbox.domain.payments import DFE_DECLARATION_MOVES, DFE_STATEMENT_MOVES, ItemMove
from npq_sandbox.domain.records import Declaration, Statement, StatementItem
from npq_sandbox.domain.states import DeclarationState, StatementState

from tests.helpers import NOW_AT

D, S = DeclarationState, StatementState
EARLIER = datetime(2026, 1, 1, tzinfo=UTC)
ALLOWED = sorted(DFE_DECLARATION_MOVES, key=str)
FORBIDDEN = [pair for pair in product(D, D) if pair not in DFE_DECLARATION_MOVES]
STATEMENT_ALLOWED = sorted(DFE_STATEMENT_MOVES, key=str)
STATEMENT_FORBIDDEN = [pair for pair in product(S, S) if pair not in DFE_STATEMENT_MOVES]


def declaration(state: DeclarationState) -> Declaration:
    return Declaration(
        id="d1",
        application_id="a1",
        lead_provider_id="p1",
        cohort="2025a",
        declaration_type="started",
        declaration_date=EARLIER,
        state=state,
        created_at=EARLIER,
        updated_at=EARLIER,
    )


def statement(id_: str = "s1", state: StatementState = S.OPEN, month: int = 3) -> Statement:
    return Statement(
        id=id_,
        lead_provider_id="p1",
        cohort="2025a",
        month=month,
        year=2027,
        deadline_date=date(2027, month, 1) - payments.DEADLINE_BEFORE_MONTH,
        payment_date=date(2027, month, 25),
        output_fee=True,
        state=state,
        created_at=EARLIER,
        updated_at=EARLIER,
    )


def test_the_moves_are_dfes() -> None:
    assert set(DFE_DECLARATION_MOVES) == {
        (D.SUBMITTED, D.ELIGIBLE),
        (D.SUBMITTED, D.INELIGIBLE),
        (D.ELIGIBLE, D.PAYABLE),
        (D.PAYABLE, D.PAID),
        (D.AWAITING_CLAWBACK, D.CLAWED_BACK),
        (D.PAYABLE, D.ELIGIBLE),
    }


@pytest.mark.parametrize(("start", "to"), ALLOWED, ids=lambda s: s.value)
def test_allowed_declaration_move(start: DeclarationState, to: DeclarationState) -> None:
    items = [StatementItem("s0", "d1", start), StatementItem("s0", "d1", D.VOIDED)]
    moved = payments.move_declaration(
        declaration(start), to, items=items, next_statement=statement(), now=NOW_AT
    )
    assert [(d.state, d.updated_at) for d in moved.declarations] == [(to, NOW_AT)]
    if start is D.SUBMITTED:  # attached to the next statement in its new state
        assert moved.new_items == (StatementItem("s1", "d1", to),)
        assert moved.item_moves == ()
    else:  # the item in the old state follows; others stay
        assert moved.item_moves == (ItemMove(items[0], to),)
        assert moved.new_items == ()


@pytest.mark.parametrize(("start", "to"), FORBIDDEN, ids=lambda s: s.value)
def test_forbidden_declaration_move(start: DeclarationState, to: DeclarationState) -> None:
    with pytest.raises(ValidationFailed) as failure:
        payments.move_declaration(
            declaration(start), to, items=[], next_statement=statement(), now=NOW_AT
        )
    detail = f"A declaration cannot move from {start.api_name} to {to.api_name}"
    assert failure.value.errors == [("state", detail)]


def test_eligible_needs_a_next_statement() -> None:
    with pytest.raises(ValidationFailed) as failure:
        payments.move_declaration(
            declaration(D.SUBMITTED), D.ELIGIBLE, items=[], next_statement=None, now=NOW_AT
        )
    assert failure.value.errors == [("cohort", m.contract_ended(2025))]


def test_ineligible_without_a_next_statement_gets_no_item() -> None:
    moved = payments.move_declaration(
        declaration(D.SUBMITTED), D.INELIGIBLE, items=[], next_statement=None, now=NOW_AT
    )
    assert moved.declarations[0].state is D.INELIGIBLE
    assert moved.new_items == ()


@pytest.mark.parametrize("name", ["eligible", "payable", "paid", "ineligible", "clawed-back"])
def test_target_states_by_api_name(name: str) -> None:
    assert payments.target_state(name).api_name == name


@pytest.mark.parametrize("value", [None, "", "clawed_back", "Eligible", "approved", 1, True])
def test_unknown_target_state(value: object) -> None:
    with pytest.raises(ValidationFailed) as failure:
        payments.target_state(value)
    assert failure.value.errors == [("state", m.SANDBOX_UNKNOWN_DECLARATION_STATE)]


@pytest.mark.parametrize(("start", "to"), STATEMENT_ALLOWED, ids=lambda s: s.value)
def test_allowed_statement_move(start: StatementState, to: StatementState) -> None:
    on_it = [declaration(state) for state in D]
    items = [StatementItem("s1", "d1", state) for state in D]
    moved_statement, moved = payments.move_statement(
        statement(state=start), to, declarations=on_it, items=items, now=NOW_AT
    )
    follow = DFE_STATEMENT_MOVES[(start, to)]
    assert (moved_statement.state, moved_statement.updated_at) == (to, NOW_AT)
    assert [d.state for d in moved.declarations] == list(follow.values())
    assert [(i.item.state, i.to) for i in moved.item_moves] == list(follow.items())


@pytest.mark.parametrize(("start", "to"), STATEMENT_FORBIDDEN, ids=lambda s: s.value)
def test_forbidden_statement_move(start: StatementState, to: StatementState) -> None:
    with pytest.raises(ValidationFailed) as failure:
        payments.move_statement(statement(state=start), to, declarations=[], items=[], now=NOW_AT)
    detail = f"A statement cannot move from {start.value} to {to.value}"
    assert failure.value.errors == [("state", detail)]


def test_no_following_statement_when_a_later_one_is_open() -> None:
    march, june = statement(state=S.PAYABLE), statement("s2", month=6)
    assert payments.following_statement(march, [march, june], new_id="n", now=NOW_AT) is None


def test_following_statement_is_the_next_free_month() -> None:
    march = statement(state=S.PAYABLE)
    april = statement("s2", month=4, state=S.PAYABLE)
    opened = payments.following_statement(march, [march, april], new_id="n", now=NOW_AT)
    assert opened == Statement(
        id="n",
        lead_provider_id="p1",
        cohort="2025a",
        month=5,
        year=2027,
        deadline_date=date(2027, 4, 25),
        payment_date=date(2027, 5, 25),
        output_fee=True,
        state=S.OPEN,
        created_at=NOW_AT,
        updated_at=NOW_AT,
    )


def test_following_statement_crosses_the_year() -> None:
    december = Statement(**{**vars(statement(state=S.PAYABLE)), "month": 12})
    opened = payments.following_statement(december, [december], new_id="n", now=NOW_AT)
    assert opened is not None
    assert (opened.year, opened.month, opened.deadline_date) == (2028, 1, date(2027, 12, 26))
    assert opened.payment_date == date(2028, 1, 26)
