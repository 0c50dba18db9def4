"""Declarations as DfE processes them: state, statement items, voids, clawbacks, outcomes."""

from __future__ import annotations

from datetime import datetime

from sandbox.domain.funding import is_fundable, is_previously_funded
from sandbox.domain.records import Application, Declaration, Outcome, Statement, StatementItem
from sandbox.domain.reference import COHORTS_BY_ID, OUTCOME_COURSES, SCHEDULES_BY_KEY, has_contract
from sandbox.domain.states import (
    ApplicationStatus,
    DeclarationState,
    OutcomeState,
    StatementState,
)
from sandbox.seeding.books import paid_at, payable_at
from sandbox.seeding.clock import midnight
from sandbox.seeding.dataset import Dataset, revise
from sandbox.seeding.journeys import check_order

Partners = tuple[str | None, str | None]
# A fundable declaration takes the state of the statement it landed on, as of SEED_NOW.
_STATE_ON = {
    StatementState.OPEN: DeclarationState.ELIGIBLE,
    StatementState.PAYABLE: DeclarationState.PAYABLE,
    StatementState.PAID: DeclarationState.PAID,
}
_VOIDABLE = frozenset(
    {
        DeclarationState.SUBMITTED,
        DeclarationState.ELIGIBLE,
        DeclarationState.PAYABLE,
        DeclarationState.INELIGIBLE,
        DeclarationState.PAID,
    }
)
_VOIDED_ITEMS = frozenset(
    {
        DeclarationState.ELIGIBLE,
        DeclarationState.PAYABLE,
        DeclarationState.PAID,
        DeclarationState.INELIGIBLE,
    }
)


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
    state, statement = _decide(ds, application, provider_id, created_at, duplicate_of)
    if state is None:
        return None
    primary, secondary = partners or pick_partners(ds, provider_id, application)
    declaration = Declaration(
        id=ds.new_id(),
        application_id=application.id,
        lead_provider_id=provider_id,
        cohort=application.cohort,
        declaration_type=declaration_type,
        declaration_date=declared_at,
        state=state,
        created_at=created_at,
        updated_at=_settled_at(statement, state, created_at),
        delivery_partner_id=primary,
        secondary_delivery_partner_id=secondary,
        superseded_by_id=duplicate_of.id if duplicate_of else None,
    )
    _store(ds, declaration, statement)
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


def _decide(
    ds: Dataset,
    application: Application,
    provider_id: str,
    created_at: datetime,
    duplicate_of: Declaration | None,
) -> tuple[DeclarationState | None, Statement | None]:
    """Decide as `set_eligibility!` does, then find the statement the item goes on."""
    book = ds.statement_book
    statement = book.next_output_fee(provider_id, application.cohort, created_at.date())
    if duplicate_of is not None:
        return DeclarationState.INELIGIBLE, statement
    if not _fundable(ds, application):
        return DeclarationState.SUBMITTED, None
    return (None, None) if statement is None else (_STATE_ON[statement.state], statement)


def _fundable(ds: Dataset, application: Application) -> bool:
    others = ds.applications_of(application.participant_id)
    return is_fundable(application, is_previously_funded(application, others))


def _settled_at(
    statement: Statement | None, state: DeclarationState, created_at: datetime
) -> datetime:
    """Return when DfE last moved the declaration: payable after the deadline, then paid."""
    if statement is not None and state is DeclarationState.PAYABLE:
        return max(created_at, payable_at(statement.deadline_date))
    if statement is not None and state is DeclarationState.PAID:
        return max(created_at, paid_at(statement))
    return created_at


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


def _store(ds: Dataset, declaration: Declaration, statement: Statement | None) -> None:
    ds.declarations[declaration.id] = declaration
    items = ds.items.setdefault(declaration.id, [])
    if statement is not None:
        items.append(StatementItem(statement.id, declaration.id, declaration.state))


def _record_result(
    ds: Dataset, declaration: Declaration, application: Application, has_passed: bool | None
) -> None:
    """A completed declaration on a leadership/specialist course carries its outcome."""
    if (
        declaration.declaration_type != "completed"
        or application.course_identifier not in OUTCOME_COURSES
    ):
        return
    if has_passed is None:
        raise ValueError("a completed declaration on this course needs has_passed")
    state = OutcomeState.PASSED if has_passed else OutcomeState.FAILED
    record_outcome(ds, declaration, state, declaration.created_at)


def record_outcome(
    ds: Dataset, declaration: Declaration, state: OutcomeState, at: datetime
) -> Outcome:
    """Append an outcome (outcomes are append-only); the declaration counts as updated."""
    check_order(declaration.created_at, at)
    outcome = Outcome(
        ds.new_id(), declaration.id, state, declaration.declaration_date.date(), at, at
    )
    ds.outcomes.setdefault(declaration.id, []).append(outcome)
    current = ds.declarations[declaration.id]
    ds.declarations[declaration.id] = revise(current, updated_at=max(current.updated_at, at))
    return outcome


def void(ds: Dataset, declaration: Declaration, at: datetime) -> Declaration:
    """Void at `at` as the void call does: a declaration paid by then awaits clawback.

    A completed declaration on a leadership/specialist course also gets a `voided` outcome.
    """
    declaration = ds.declarations[declaration.id]
    check_order(declaration.created_at, at)
    if declaration.state not in _VOIDABLE:
        raise ValueError(f"declaration {declaration.id} cannot be voided")
    if _was_paid(ds, declaration, at):
        _claw_back(ds, declaration, at)
    else:
        _void_items(ds, declaration)
        ds.declarations[declaration.id] = revise(
            declaration, state=DeclarationState.VOIDED, updated_at=at
        )
    _void_outcome(ds, declaration, at)
    return ds.declarations[declaration.id]


def _was_paid(ds: Dataset, declaration: Declaration, at: datetime) -> bool:
    if declaration.state is not DeclarationState.PAID:
        return False
    statement = ds.statement_book.get(ds.items[declaration.id][0].statement_id)
    return paid_at(statement) <= at


def _void_items(ds: Dataset, declaration: Declaration) -> None:
    ds.items[declaration.id] = [
        revise(item, state=DeclarationState.VOIDED) if item.state in _VOIDED_ITEMS else item
        for item in ds.items[declaration.id]
    ]


def _claw_back(ds: Dataset, declaration: Declaration, at: datetime) -> None:
    """Put the clawback on the next open output-fee statement; paying it claws back."""
    statement = ds.statement_book.next_output_fee(
        declaration.lead_provider_id, declaration.cohort, at.date()
    )
    if statement is None:
        raise ValueError(f"the {declaration.cohort} contract has ended: cannot claw back")
    settled = statement.state is StatementState.PAID
    state = DeclarationState.CLAWED_BACK if settled else DeclarationState.AWAITING_CLAWBACK
    ds.items[declaration.id].append(StatementItem(statement.id, declaration.id, state))
    ds.declarations[declaration.id] = revise(
        declaration, state=state, updated_at=paid_at(statement) if settled else at
    )


def _void_outcome(ds: Dataset, declaration: Declaration, at: datetime) -> None:
    course = ds.applications[declaration.application_id].course_identifier
    if declaration.declaration_type != "completed" or course not in OUTCOME_COURSES:
        return
    outcomes = ds.outcomes.get(declaration.id, [])
    if not outcomes or outcomes[-1].state is not OutcomeState.VOIDED:
        record_outcome(ds, ds.declarations[declaration.id], OutcomeState.VOIDED, at)
