"""DfE's side of the payment journey: the moves only DfE makes on declarations and statements.

Providers submit and void declarations; DfE makes them eligible or ineligible, marks statements
payable and paid, and with them the declarations and statement items on them. The sandbox's
control plane (`/sandbox/...`) lets a provider make these moves in its own data. Each move is a
table entry plus a pure function returning the changed records or raising `ValidationFailed`.

Rules: docs/rules.md §8.7, §10.3, §18.3 and §18.4.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum

from npq_sandbox.domain import messages
from npq_sandbox.domain.errors import ValidationFailed
from npq_sandbox.domain.records import Declaration, Statement, StatementItem
from npq_sandbox.domain.reference import COHORTS_BY_ID
from npq_sandbox.domain.states import DeclarationState, StatementState

D = DeclarationState
S = StatementState
# The states a client may ask a declaration to move to, by their API names.
TARGET_STATES = (D.ELIGIBLE, D.PAYABLE, D.PAID, D.INELIGIBLE, D.CLAWED_BACK)
_BY_API_NAME = {state.api_name: state for state in D}
# Seed pattern: a statement's deadline is six days before the first of its month.
DEADLINE_BEFORE_MONTH = timedelta(days=6)


class ItemEffect(Enum):
    """What a declaration move does to its statement items."""

    ATTACH = "attach"  # a new item in the new state, on the provider's next statement
    ATTACH_IF_ANY = "attach_if_any"  # the same, silently skipped when there is no statement
    FOLLOW = "follow"  # its items in the old state move to the new state


# DfE's model events run by DfE's own jobs and staff (not by the provider's API calls).
DFE_DECLARATION_MOVES: dict[tuple[DeclarationState, DeclarationState], ItemEffect] = {
    (D.SUBMITTED, D.ELIGIBLE): ItemEffect.ATTACH,
    # DfE's statement attacher gives ineligible declarations an item too, when it can.
    (D.SUBMITTED, D.INELIGIBLE): ItemEffect.ATTACH_IF_ANY,
    (D.ELIGIBLE, D.PAYABLE): ItemEffect.FOLLOW,
    (D.PAYABLE, D.PAID): ItemEffect.FOLLOW,
    (D.AWAITING_CLAWBACK, D.CLAWED_BACK): ItemEffect.FOLLOW,
    (D.PAYABLE, D.ELIGIBLE): ItemEffect.FOLLOW,  # DfE's one-off data fixes
}
# A statement move drags the declarations (and items) on it from one state to another.
DFE_STATEMENT_MOVES: dict[tuple[StatementState, StatementState], dict[D, D]] = {
    (S.OPEN, S.PAYABLE): {D.ELIGIBLE: D.PAYABLE},
    (S.PAYABLE, S.PAID): {D.PAYABLE: D.PAID, D.AWAITING_CLAWBACK: D.CLAWED_BACK},
}


@dataclass(frozen=True)
class ItemMove:
    """A statement item changing state (items are matched by statement, declaration, state)."""

    item: StatementItem
    to: DeclarationState

    @property
    def after(self) -> StatementItem:
        return replace(self.item, state=self.to)


@dataclass(frozen=True)
class Moved:
    """The records a move changed: declarations, item moves and items to add."""

    declarations: tuple[Declaration, ...] = ()
    item_moves: tuple[ItemMove, ...] = ()
    new_items: tuple[StatementItem, ...] = ()


def target_state(value: object) -> DeclarationState:
    """Read the requested state by its API name; an unknown name is a 422 on `state`."""
    state = _BY_API_NAME.get(value) if isinstance(value, str) else None
    if state is None:
        raise ValidationFailed([("state", messages.SANDBOX_UNKNOWN_DECLARATION_STATE)])
    return state


def move_declaration(
    declaration: Declaration,
    to: DeclarationState,
    *,
    items: Sequence[StatementItem],
    next_statement: Statement | None,
    now: datetime,
) -> Moved:
    """Move a declaration as DfE does; its statement items move (or are attached) with it."""
    effect = DFE_DECLARATION_MOVES.get((declaration.state, to))
    if effect is None:
        detail = messages.sandbox_cannot_move_declaration(declaration.state.api_name, to.api_name)
        raise ValidationFailed([("state", detail)])
    if effect is ItemEffect.ATTACH and next_statement is None:
        year = COHORTS_BY_ID[declaration.cohort].start_year
        raise ValidationFailed([("cohort", messages.contract_ended(year))])
    moved = replace(declaration, state=to, updated_at=now)
    if effect is ItemEffect.FOLLOW:
        follows = tuple(ItemMove(i, to) for i in items if i.state is declaration.state)
        return Moved((moved,), item_moves=follows)
    new = (StatementItem(next_statement.id, declaration.id, to),) if next_statement else ()
    return Moved((moved,), new_items=new)


def move_statement(
    statement: Statement,
    to: StatementState,
    *,
    declarations: Iterable[Declaration],
    items: Iterable[StatementItem],
    now: datetime,
) -> tuple[Statement, Moved]:
    """Mark a statement payable or paid, with the declarations and items on it.

    `declarations` and `items` are those attached to the statement.
    """
    follow = DFE_STATEMENT_MOVES.get((statement.state, to))
    if follow is None:
        detail = messages.sandbox_cannot_move_statement(statement.state.value, to.value)
        raise ValidationFailed([("state", detail)])
    moved = tuple(
        replace(d, state=follow[d.state], updated_at=now) for d in declarations if d.state in follow
    )
    item_moves = tuple(
        ItemMove(i, follow[i.state])
        for i in items
        if i.statement_id == statement.id and i.state in follow
    )
    return replace(statement, state=to, updated_at=now), Moved(moved, item_moves)


def following_statement(
    payable: Statement, siblings: Sequence[Statement], *, new_id: str, now: datetime
) -> Statement | None:
    """Return a new open output-fee statement after one marked payable, if one is needed.

    `siblings` are the provider's statements of the same cohort. None is needed when a later
    open output-fee statement exists; otherwise the new one is for the first month after
    `payable` without a statement, dated as the seed dates statements.
    """
    later_open = [
        s
        for s in siblings
        if s.output_fee and s.state is S.OPEN and s.deadline_date > payable.deadline_date
    ]
    if later_open:
        return None
    taken = {(s.year, s.month) for s in siblings}
    month = _next_month(date(payable.year, payable.month, 1))
    while (month.year, month.month) in taken:
        month = _next_month(month)
    deadline = month - DEADLINE_BEFORE_MONTH
    return Statement(
        id=new_id,
        lead_provider_id=payable.lead_provider_id,
        cohort=payable.cohort,
        month=month.month,
        year=month.year,
        deadline_date=deadline,
        payment_date=_same_day_next_month(deadline),
        output_fee=True,
        state=S.OPEN,
        created_at=now,
        updated_at=now,
    )


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _same_day_next_month(day: date) -> date:
    """Return the same day a month later, clamped to that month's length (as the seed does)."""
    following = _next_month(day.replace(day=1))
    last = calendar.monthrange(following.year, following.month)[1]
    return following.replace(day=min(day.day, last))
