"""Building a provider's records made to order (see `orders`), through the seed's journeys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from npq_sandbox.domain.records import Application, Declaration
from npq_sandbox.domain.states import RejectionReason, TrainingStatus
from npq_sandbox.seeding.books import paid_at
from npq_sandbox.seeding.casekit import (
    declare_within,
    early_part,
    enrolled,
    newcomer,
    soon_after,
    whole,
    window,
)
from npq_sandbox.seeding.clock import HOUR, days
from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.seeding.declaring import void
from npq_sandbox.seeding.journeys import change_training_status, reject
from npq_sandbox.seeding.orders import OPEN, PAID, PAYABLE, Plan, Slot

_NOT_FUNDED: dict[str, Any] = {"eligible_for_funding": False, "funding_choice": "self"}


def build(ds: Dataset, provider_id: str, plan: Plan) -> None:
    """Make the planned participants, their declarations and statuses, and other applications."""
    made: list[Declaration | None] = []
    for slot in plan.slots:
        original = made[slot.twin_of] if slot.twin_of is not None else None
        made.append(_participant(ds, provider_id, slot, original))
    for cohort, course in plan.pending:
        newcomer(ds, provider_id, course, cohort)
    for cohort, course, reason in plan.rejected:
        _rejected(ds, provider_id, cohort, course, RejectionReason(reason))


def _participant(
    ds: Dataset, provider_id: str, slot: Slot, original: Declaration | None
) -> Declaration | None:
    application = _enrol(ds, provider_id, slot, original)
    if slot.declaration is None:
        return None
    declaration = _declare(ds, provider_id, application, slot, original)
    if slot.status is not TrainingStatus.ACTIVE:
        at = soon_after(ds, declaration.created_at)
        change_training_status(ds, application, slot.status, str(slot.reason), at)
    return declaration


def _enrol(ds: Dataset, provider_id: str, slot: Slot, original: Declaration | None) -> Application:
    person = None
    if original is not None:
        twin = ds.participants[ds.applications[original.application_id].participant_id]
        person = {"trn": twin.trn, "trn_verified": True}
    if slot.declaration == "submitted":
        return enrolled(
            ds, provider_id, slot.course, slot.cohort, funded_place=False, **_NOT_FUNDED
        )
    return enrolled(ds, provider_id, slot.course, slot.cohort, person=person)


def _declare(
    ds: Dataset,
    provider_id: str,
    application: Application,
    slot: Slot,
    original: Declaration | None,
) -> Declaration:
    state, cohort = slot.declaration, slot.cohort
    kind = "completed" if slot.result else "started"
    passed = None if slot.result is None else slot.result == "passed"
    if state in ("payable",):
        span = whole(window(ds, provider_id, cohort, PAYABLE))
    elif state in ("paid", "awaiting-clawback"):
        span = whole(window(ds, provider_id, cohort, PAID))
    elif state == "clawed-back":
        span = whole(window(ds, provider_id, cohort, PAID, 2))
    else:
        span = early_part(window(ds, provider_id, cohort, OPEN))
    declaration = declare_within(
        ds, application, kind, span, has_passed=passed, duplicate_of=original
    )
    return _voided(ds, provider_id, declaration, str(state))


def _voided(ds: Dataset, provider_id: str, declaration: Declaration, state: str) -> Declaration:
    """Void as the state asks: soon after, in today's open window, or after payment."""
    if state == "voided":
        return void(ds, declaration, soon_after(ds, declaration.created_at))
    if state == "awaiting-clawback":
        open_window = window(ds, provider_id, declaration.cohort, OPEN)
        return void(ds, declaration, ds.moment(*early_part(open_window)))
    if state == "clawed-back":
        return void(ds, declaration, _after_payment(ds, provider_id, declaration))
    return declaration


def _after_payment(ds: Dataset, provider_id: str, declaration: Declaration) -> datetime:
    paying = ds.statement_book.get(ds.items[declaration.id][0].statement_id)
    latest = window(ds, provider_id, declaration.cohort, PAID)
    return ds.moment(max(latest.start, paid_at(paying) + HOUR), latest.end)


def _rejected(
    ds: Dataset, provider_id: str, cohort: str, course: str, reason: RejectionReason
) -> None:
    application = newcomer(ds, provider_id, course, cohort)
    after = days(120) if reason is RejectionReason.REGISTRATION_EXPIRED else days(0)
    reject(ds, application, soon_after(ds, application.created_at + after), reason)
