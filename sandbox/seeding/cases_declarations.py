"""Guaranteed declaration cases: all eight states, outcomes, and a transferred declaration.

Each case enrols its own person, so no two live declarations share an application. Submission
times are picked inside the landing window of a statement in the right state, so DfE's own
attachment rule gives the named state rather than the state being forced.
"""

from __future__ import annotations

from datetime import datetime

from npq_sandbox.domain.records import Declaration
from npq_sandbox.domain.states import StatementState
from npq_sandbox.seeding.books import paid_at
from npq_sandbox.seeding.casekit import (
    declare_within,
    early_part,
    enrolled,
    soon_after,
    whole,
    window,
)
from npq_sandbox.seeding.clock import HOUR
from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.seeding.declaring import void
from npq_sandbox.seeding.journeys import transfer

OPEN, PAYABLE, PAID = StatementState.OPEN, StatementState.PAYABLE, StatementState.PAID


def state_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """One declaration per state, each on its own application in 2024a or 2025a."""
    return {
        **_unpaid_cases(ds, provider_id),
        **_paid_cases(ds, provider_id),
        **_ineligible_cases(ds, provider_id),
    }


def _unpaid_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """Submitted (not fundable: no funded place), eligible, payable and voided."""
    unfunded = enrolled(ds, provider_id, "npq-headship", "2025a", funded_place=False)
    submitted = declare_within(
        ds, unfunded, "started", whole(window(ds, provider_id, "2025a", PAYABLE))
    )
    eligible = _started(ds, provider_id, "npq-senior-leadership", "2025a", OPEN)
    payable = _started(ds, provider_id, "npq-leading-teaching", "2025a", PAYABLE)
    was_eligible = _started(ds, provider_id, "npq-headship", "2024a", OPEN)
    voided = void(ds, was_eligible, soon_after(ds, was_eligible.created_at))
    return {
        "declaration_submitted": submitted.id,
        "declaration_eligible": eligible.id,
        "declaration_payable": payable.id,
        "declaration_voided": voided.id,
    }


def _paid_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """Paid; paid then voided (awaiting clawback); and voided then clawed back on payment."""
    paid = _started(ds, provider_id, "npq-leading-literacy", "2024a", PAID)
    awaiting = _started(ds, provider_id, "npq-executive-leadership", "2024a", PAID)
    awaiting = void(ds, awaiting, ds.moment(*early_part(window(ds, provider_id, "2024a", OPEN))))
    clawed = _started(ds, provider_id, "npq-early-years-leadership", "2024a", PAID, back=2)
    clawed = void(ds, clawed, _after_payment(ds, clawed, provider_id))
    return {
        "declaration_paid": paid.id,
        "declaration_awaiting_clawback": awaiting.id,
        "declaration_clawed_back": clawed.id,
    }


def _after_payment(ds: Dataset, declaration: Declaration, provider_id: str) -> datetime:
    """Return a void time after the declaration was paid that lands on the latest paid statement."""
    paying = ds.statement_book.get(ds.items[declaration.id][0].statement_id)
    latest = window(ds, provider_id, declaration.cohort, PAID)
    return ds.moment(max(latest.start, paid_at(paying) + HOUR), latest.end)


def _ineligible_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """A second person with the same verified TRN declares the same type and course again.

    The twin is in another cohort: a same-cohort accept would be refused for the shared TRN.
    """
    course = "npq-leading-behaviour-culture"
    original = _started(ds, provider_id, course, "2024a", PAID)
    trn = ds.participants[ds.applications[original.application_id].participant_id].trn
    twin = enrolled(ds, provider_id, course, "2025a", person={"trn": trn, "trn_verified": True})
    duplicate = declare_within(
        ds,
        twin,
        "started",
        early_part(window(ds, provider_id, "2025a", OPEN)),
        duplicate_of=original,
    )
    return {"declaration_ineligible": duplicate.id, "declaration_ineligible_original": original.id}


def _started(
    ds: Dataset, provider_id: str, course: str, cohort: str, state: StatementState, back: int = 1
) -> Declaration:
    """Enrol a funded person and declare `started` to land on a statement in `state`."""
    application = enrolled(ds, provider_id, course, cohort)
    found = window(ds, provider_id, cohort, state, back)
    span = early_part(found) if state is OPEN else whole(found)
    return declare_within(ds, application, "started", span)


def outcome_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """Completed declarations with a passed, a failed and a voided (after passed) outcome."""
    passed = _completed(ds, provider_id, "npq-headship", True, PAYABLE)
    failed = _completed(ds, provider_id, "npq-leading-teaching-development", False, PAYABLE)
    voided = _completed(ds, provider_id, "npq-senior-leadership", True, OPEN)
    voided = void(ds, voided, soon_after(ds, voided.created_at))
    return {
        f"outcome_{name}": ds.outcomes[declaration.id][-1].id
        for name, declaration in (("passed", passed), ("failed", failed), ("voided", voided))
    } | {
        "outcome_passed_declaration": passed.id,
        "outcome_failed_declaration": failed.id,
        "outcome_voided_declaration": voided.id,
    }


def _completed(
    ds: Dataset, provider_id: str, course: str, has_passed: bool, state: StatementState
) -> Declaration:
    """Start (paid) and complete (landing on a statement in `state`) in 2024a."""
    application = enrolled(ds, provider_id, course, "2024a")
    declare_within(ds, application, "started", whole(window(ds, provider_id, "2024a", PAID, 2)))
    found = window(ds, provider_id, "2024a", state)
    span = early_part(found) if state is OPEN else whole(found)
    return declare_within(ds, application, "completed", span, has_passed=has_passed)


def transferred_cases(ds: Dataset, provider_id: str, other_id: str) -> dict[str, str]:
    """The other provider declared, then DfE moved the application to this provider."""
    application = enrolled(ds, other_id, "npq-leading-teaching-development", "2024a")
    declaration = declare_within(
        ds, application, "started", whole(window(ds, other_id, "2024a", PAID))
    )
    moved = transfer(ds, application, provider_id, soon_after(ds, declaration.created_at))
    return {
        "transferred_declaration": declaration.id,
        "transferred_application": moved.id,
        "transferred_participant": moved.participant_id,
    }
