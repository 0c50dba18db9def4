"""What a lead provider may do to an existing declaration: void it, change its partners.

Each function checks DfE's rules in DfE's order and returns the records to save, or raises
`ValidationFailed`.

Rules: docs/rules.md §8.5 and §8.6.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.declaration_dates import is_blank
from npq_sandbox.domain.errors import Problems, ValidationFailed
from npq_sandbox.domain.partnering import check_partners
from npq_sandbox.domain.records import Application, Declaration, Outcome, Statement, StatementItem
from npq_sandbox.domain.reference import COHORTS_BY_ID, OUTCOME_COURSES
from npq_sandbox.domain.states import CLAWBACK_ITEM_STATES, DeclarationState, OutcomeState

S = DeclarationState
# Provider-side transitions as data: what `void` does from each state, and what it refuses.
VOID_TRANSITIONS: dict[DeclarationState, DeclarationState] = {
    S.SUBMITTED: S.VOIDED,
    S.ELIGIBLE: S.VOIDED,
    S.PAYABLE: S.VOIDED,
    S.INELIGIBLE: S.VOIDED,
    S.PAID: S.AWAITING_CLAWBACK,
}
VOID_REFUSALS: dict[DeclarationState, str] = {
    S.VOIDED: m.DECLARATION_ALREADY_VOIDED,
    S.AWAITING_CLAWBACK: m.DECLARATION_REFUNDED,
    S.CLAWED_BACK: m.DECLARATION_REFUNDED,
}
# A voided declaration's statement item is the first in one of these states.
_VOIDABLE_ITEM_STATES = frozenset({S.ELIGIBLE, S.INELIGIBLE, S.PAYABLE})
_CLAWING_BACK = frozenset({S.PAID, S.AWAITING_CLAWBACK, S.CLAWED_BACK})


@dataclass(frozen=True)
class Voiding:
    """A voided (or clawed back) declaration, its changed and new items, and any outcome."""

    declaration: Declaration
    voided_item: StatementItem | None = None
    new_items: tuple[StatementItem, ...] = ()
    outcome: Outcome | None = None


def void(
    declaration: Declaration,
    application: Application,
    *,
    items: Sequence[StatementItem],
    next_statement: Statement | None,
    latest_outcome: Outcome | None,
    outcome_id: str,
    now: datetime,
) -> Voiding:
    """Void a declaration, or claw back a paid one (see `VOID_TRANSITIONS`)."""
    if declaration.state in _CLAWING_BACK:
        _check_clawback(declaration, items, next_statement)
    elif declaration.state is S.VOIDED:
        raise ValidationFailed([("declaration", m.DECLARATION_ALREADY_VOIDED)])
    changed = replace(declaration, state=VOID_TRANSITIONS[declaration.state], updated_at=now)
    outcome = _voided_outcome(changed, application, latest_outcome, outcome_id, now)
    if changed.state is S.AWAITING_CLAWBACK:
        assert next_statement is not None  # checked above
        item = StatementItem(next_statement.id, declaration.id, S.AWAITING_CLAWBACK)
        return Voiding(changed, new_items=(item,), outcome=outcome)
    voided_item = next((i for i in items if i.state in _VOIDABLE_ITEM_STATES), None)
    return Voiding(changed, voided_item=voided_item, outcome=outcome)


def _check_clawback(
    declaration: Declaration, items: Sequence[StatementItem], next_statement: Statement | None
) -> None:
    problems = Problems()
    if any(i.state in CLAWBACK_ITEM_STATES for i in items):
        problems.add("declaration", m.DECLARATION_REFUNDED)
    if next_statement is None:
        # DfE names the cohort by its start year here ("the 2021 cohort"), suffix or not.
        year = COHORTS_BY_ID[declaration.cohort].start_year
        problems.add("declaration", m.contract_ended(year))
    if not problems and declaration.state is not S.PAID:
        problems.add("declaration", m.DECLARATION_NOT_PAID)
    problems.raise_any()


def _voided_outcome(
    declaration: Declaration,
    application: Application,
    latest: Outcome | None,
    outcome_id: str,
    now: datetime,
) -> Outcome | None:
    if not voids_result(declaration, application, latest):
        return None
    return Outcome(
        outcome_id,
        declaration.id,
        OutcomeState.VOIDED,
        declaration.declaration_date.date(),
        now,
        now,
    )


def voids_result(
    declaration: Declaration, application: Application, latest: Outcome | None
) -> bool:
    """Tell whether voiding a declaration appends a `voided` outcome to the participant's result.

    It does for a completed leadership or specialist declaration, unless the latest outcome is
    already `voided`, even when there was none.
    """
    return (
        declaration.declaration_type == "completed"
        and application.course_identifier in OUTCOME_COURSES
        and (latest is None or latest.state is not OutcomeState.VOIDED)
    )


def change_delivery_partner(
    declaration: Declaration,
    application: Application,
    given: Mapping[str, Any],
    *,
    known_partners: frozenset[str],
    partnered: frozenset[str],
    now: datetime,
) -> Declaration:
    """Replace a declaration's delivery partners; a missing secondary removes it."""
    primary = _partner(given, "delivery_partner_id")
    secondary = _partner(given, "secondary_delivery_partner_id")
    found = primary if primary in known_partners else None
    found_secondary = secondary if secondary in known_partners else None
    problems = Problems()
    if found is None:
        problems.add("delivery_partner", m.partner_not_confirmed("delivery_partner_id"))
    if not is_blank(secondary) and found_secondary is None:
        problems.add(
            "secondary_delivery_partner", m.partner_not_confirmed("secondary_delivery_partner_id")
        )
    _recheck(declaration, application, found, found_secondary, partnered, now, problems)
    if is_blank(given.get("delivery_partner_id")):
        problems.add("delivery_partner_id", m.partner_must_be_present("delivery_partner_id"))
    problems.raise_any()
    return replace(
        declaration,
        delivery_partner_id=found,
        secondary_delivery_partner_id=found_secondary,
        updated_at=now,
    )


def _recheck(
    declaration: Declaration,
    application: Application,
    primary: str | None,
    secondary: str | None,
    partnered: frozenset[str],
    now: datetime,
    problems: Problems,
) -> None:
    """DfE re-validates the stored declaration with its new partners and copies the errors."""
    if declaration.declaration_date > now:
        problems.add("declaration_date", m.DATE_IN_FUTURE)
    check_partners(
        primary,
        secondary,
        application=application,
        partnered=partnered,
        problems=problems,
        before=(declaration.delivery_partner_id, declaration.secondary_delivery_partner_id),
        cohort=declaration.cohort,
    )


def _partner(given: Mapping[str, Any], name: str) -> str | None:
    value = given.get(name)
    return None if value is None or value is False else str(value)
