"""Declarations on the seed's timeline: the domain's create and void rules, then DfE's moves.

The domain decides each declaration's state as it is made or voided; seeding then carries it
through the moves DfE made to its statement by SEED_NOW (payable after the deadline, then paid).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import pairwise

from npq_sandbox.domain import declaration_changes as changes
from npq_sandbox.domain import declarations as creating
from npq_sandbox.domain.funding import is_fundable, is_previously_funded
from npq_sandbox.domain.outcomes import can_carry_result
from npq_sandbox.domain.payments import DFE_STATEMENT_MOVES
from npq_sandbox.domain.records import Application, Declaration, Outcome, Statement, StatementItem
from npq_sandbox.domain.reference import COHORTS_BY_ID, SCHEDULES_BY_KEY, has_contract
from npq_sandbox.domain.states import (
    ApplicationStatus,
    DeclarationState,
    OutcomeState,
    StatementState,
)
from npq_sandbox.seeding.books import paid_at, payable_at
from npq_sandbox.seeding.clock import midnight
from npq_sandbox.seeding.dataset import Dataset, revise
from npq_sandbox.seeding.journeys import check_order

Partners = tuple[str | None, str | None]
S = StatementState
# The states a statement moves through, and the moves between them, in order.
_STATEMENT_STATES = (S.OPEN, S.PAYABLE, S.PAID)
_STATEMENT_MOVES = tuple(pairwise(_STATEMENT_STATES))


def declare(
    ds: Dataset,
    application: Application,
    declaration_type: str,
    *,
    declared_at: datetime,
    created_at: datetime,
    lead_provider_id: str | None = None,
    partners: Partners | None = None,
    duplicate_of: Declaration | None = None,
    has_passed: bool | None = None,
) -> Declaration | None:
    """Create a declaration with the state and statement item it has as of SEED_NOW.

    Returns None where DfE would refuse it: fundable, but the cohort's contract has ended.
    """
    provider_id = lead_provider_id or application.lead_provider_id
    _check_declarable(application, declaration_type, declared_at, created_at)
    book = ds.statement_book
    statement = book.next_output_fee(provider_id, application.cohort, created_at.date())
    fundable = _fundable(ds, application)
    if fundable and statement is None:
        return None
    primary, secondary = partners or pick_partners(ds, provider_id, application)
    submitted = Declaration(
        id=ds.new_id(),
        application_id=application.id,
        lead_provider_id=provider_id,
        cohort=application.cohort,
        declaration_type=declaration_type,
        declaration_date=declared_at,
        state=DeclarationState.SUBMITTED,
        created_at=created_at,
        updated_at=created_at,
        delivery_partner_id=primary,
        secondary_delivery_partner_id=secondary,
    )
    twins = () if duplicate_of is None else (duplicate_of,)
    declaration = creating.decide(submitted, twins=twins, fundable=fundable)
    _store(ds, declaration, creating.attach(declaration, statement))
    _record_result(ds, declaration, application, has_passed)
    return ds.declarations[declaration.id]


def _check_declarable(
    application: Application, declaration_type: str, declared_at: datetime, created_at: datetime
) -> None:
    """Refuse what the create call would refuse; seeding such a declaration is a bug."""
    schedule = SCHEDULES_BY_KEY[(application.cohort, str(application.schedule_identifier))]
    if (
        application.status is not ApplicationStatus.ACCEPTED
        or declaration_type not in schedule.allowed_declaration_types
        or declared_at < midnight(schedule.applies_from)
        or not has_contract(application.cohort, application.course_identifier)
    ):
        raise ValueError(f"{application.id} cannot take a {declaration_type} declaration")
    check_order(declared_at, created_at)
    check_order(application.accepted_at or created_at, created_at)


def _fundable(ds: Dataset, application: Application) -> bool:
    others = ds.applications_of(application.participant_id)
    return is_fundable(application, is_previously_funded(application, others))


def pick_partners(ds: Dataset, provider_id: str, application: Application) -> Partners:
    """Pick DPs as a provider would: required in England from 2024, refused outside it."""
    if application.teacher_catchment != "england":
        return None, None
    candidates = ds.partner_book.partners(provider_id, application.cohort)
    required = COHORTS_BY_ID[application.cohort].start_year >= 2024
    if not candidates or not (required or ds.chance(0.8)):
        return None, None
    primary, secondary = ds.pick(candidates), ds.pick(candidates) if ds.chance(0.1) else None
    return primary, None if secondary == primary else secondary


def _store(ds: Dataset, declaration: Declaration, items: Iterable[StatementItem]) -> None:
    """Keep a declaration and its new items as DfE's statement moves left them by SEED_NOW."""
    attached = list(items)
    for item in attached:
        declaration = _settled(declaration, ds.statement_book.get(item.statement_id))
    ds.add_declaration(declaration)
    ds.items.setdefault(declaration.id, []).extend(
        revise(item, state=declaration.state) for item in attached
    )


def _settled(declaration: Declaration, statement: Statement) -> Declaration:
    """Carry a declaration along the moves its statement made by SEED_NOW (see `payments`)."""
    for move, at in _moves_made(statement):
        follow = DFE_STATEMENT_MOVES[move]
        if declaration.state in follow:
            declaration = revise(
                declaration,
                state=follow[declaration.state],
                updated_at=max(declaration.updated_at, at),
            )
    return declaration


def _state_at(state: DeclarationState, statement: Statement, at: datetime) -> DeclarationState:
    """Undo the moves its statement made after `at`: the state a record on it had then."""
    for move, when in reversed(_moves_made(statement)):
        if when > at:
            back = {after: before for before, after in DFE_STATEMENT_MOVES[move].items()}
            state = back.get(state, state)
    return state


def _moves_made(statement: Statement) -> list[tuple[tuple[S, S], datetime]]:
    """Return the moves a statement made by SEED_NOW, in order, with when DfE made each."""
    times = (payable_at(statement.deadline_date), paid_at(statement))
    made = _STATEMENT_MOVES[: _STATEMENT_STATES.index(statement.state)]
    return list(zip(made, times, strict=False))


def _record_result(
    ds: Dataset, declaration: Declaration, application: Application, has_passed: bool | None
) -> None:
    """A completed declaration on a leadership/specialist course carries its outcome."""
    if not can_carry_result(declaration, application.course_identifier):
        return
    if has_passed is None:
        raise ValueError("a completed declaration on this course needs has_passed")
    state = OutcomeState.PASSED if has_passed else OutcomeState.FAILED
    at, completed = declaration.created_at, declaration.declaration_date.date()
    outcome = Outcome(ds.new_id(), declaration.id, state, completed, at, at)
    ds.outcomes.setdefault(declaration.id, []).append(outcome)


def void(ds: Dataset, declaration: Declaration, at: datetime) -> Declaration:
    """Void at `at` as the void call does: a declaration paid by then awaits clawback.

    A completed declaration on a leadership/specialist course also gets a `voided` outcome.
    """
    current = ds.declarations[declaration.id]
    check_order(current.created_at, at)
    then, items = _as_at(ds, current, at)
    application = ds.applications[current.application_id]
    outcomes = ds.outcomes.get(current.id, [])
    latest = outcomes[-1] if outcomes else None
    book = ds.statement_book
    voiding = changes.void(
        then,
        application,
        items=items,
        next_statement=book.next_output_fee(current.lead_provider_id, current.cohort, at.date()),
        latest_outcome=latest,
        # An id is drawn only for an outcome, so that the seed's later draws stay put.
        outcome_id=ds.new_id() if changes.voids_result(then, application, latest) else "",
        now=at,
    )
    ds.items[current.id] = [
        revise(now, state=DeclarationState.VOIDED) if was == voiding.voided_item else now
        for now, was in zip(ds.items[current.id], items, strict=True)
    ]
    _store(ds, voiding.declaration, voiding.new_items)
    if voiding.outcome is not None:
        ds.outcomes.setdefault(current.id, []).append(voiding.outcome)
    return ds.declarations[current.id]


def _as_at(
    ds: Dataset, declaration: Declaration, at: datetime
) -> tuple[Declaration, list[StatementItem]]:
    """Return a declaration and its items as they stood at `at`, before DfE's later moves."""
    items = ds.items[declaration.id]
    statements = [ds.statement_book.get(item.statement_id) for item in items]
    then = [
        revise(item, state=_state_at(item.state, statement, at))
        for item, statement in zip(items, statements, strict=True)
    ]
    if not items:
        return declaration, then
    state = _state_at(declaration.state, statements[0], at)
    return revise(declaration, state=state), then
