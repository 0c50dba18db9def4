"""DfE's admin operations on applications, statements and contracts: what each refuses, changes.

Each function takes the loaded records and the request's attributes and returns the records to
save, or raises `ValidationFailed`. Every change stamps the application's (or statement's)
`updated_at`, as DfE's `update!` does, so the record comes back in `filter[updated_since]`.

Rules: docs/rules.md §18.10 to §18.16.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain import participants as enrolments
from npq_sandbox.domain.errors import Problems, ValidationFailed
from npq_sandbox.domain.records import Application, Contract, Declaration, Statement
from npq_sandbox.domain.reference import (
    COURSES,
    SCHEDULES_BY_KEY,
    LeadProvider,
    find_provider,
)
from npq_sandbox.domain.registrations import parse_cohort
from npq_sandbox.domain.states import (
    DEFERRAL_REASONS,
    WITHDRAWAL_REASONS,
    ApplicationStatus,
    DeclarationState,
    TrainingStatus,
)

S = DeclarationState
# DfE's "billable" declarations: marking an application ineligible would strand their payment.
BILLABLE = frozenset({S.ELIGIBLE, S.PAYABLE, S.PAID})
# A revert to pending leaves only declarations no one is paid for (DfE's REVERTABLE_STATES).
REVERTABLE = frozenset({S.VOIDED, S.INELIGIBLE, S.AWAITING_CLAWBACK, S.CLAWED_BACK})
FUNDED_BY_POLICY = "marked_funded_by_policy"
INELIGIBLE_BY_POLICY = "marked_ineligible_by_policy"

ELIGIBILITY = ("eligible_for_funding", "funding_eligiblity_status_code")
COHORT = ("cohort",)
TRANSFER = ("lead_provider_id",)
TRAINING_STATUS = ("training_status", "reason")
STATEMENT_DATES = ("deadline_date", "payment_date")
CONTRACT = ("cohort", "course_identifier")


def change_eligibility(
    application: Application,
    given: Mapping[str, Any],
    *,
    declarations: Sequence[Declaration],
    now: datetime,
) -> Application:
    """Set the stored funding eligibility, as DfE's ChangeFundingEligibility does.

    DfE records the status code `marked_funded_by_policy` (or `marked_ineligible_by_policy`)
    with it; only the former shows, by overriding "previously funded" (docs/rules.md §6).
    """
    problems = Problems()
    eligible = given.get("eligible_for_funding")
    if not isinstance(eligible, bool):
        problems.add("eligible_for_funding", m.sandbox_must_be_boolean("eligible_for_funding"))
    code = given.get("funding_eligiblity_status_code")
    if code is not None and code not in (FUNDED_BY_POLICY, INELIGIBLE_BY_POLICY):
        problems.add("funding_eligiblity_status_code", m.SANDBOX_ELIGIBILITY_STATUS_CODE)
    if eligible is False and any(d.state in BILLABLE for d in declarations):
        problems.add("base", m.SANDBOX_INELIGIBLE_WITH_BILLABLE)
    if eligible is False and application.funded_place:
        problems.add("base", m.SANDBOX_INELIGIBLE_WITH_FUNDED_PLACE)
    problems.raise_any()
    code = code or (FUNDED_BY_POLICY if eligible else INELIGIBLE_BY_POLICY)
    return replace(
        application,
        eligible_for_funding=bool(eligible),
        funded_by_policy=code == FUNDED_BY_POLICY,
        updated_at=now,
    )


def change_cohort(
    application: Application,
    given: Mapping[str, Any],
    *,
    declarations: Sequence[Declaration],
    now: datetime,
) -> Application:
    """Move an application to another cohort, as DfE's ChangeCohort does.

    DfE refuses the same cohort, any declaration at all (voided ones too) and a schedule whose
    identifier the new cohort lacks; the schedule keeps its identifier in the new cohort.
    """
    problems = Problems()
    cohort = parse_cohort(given.get("cohort"), problems)
    if cohort is not None and cohort == application.cohort:
        problems.add("cohort", m.SANDBOX_SAME_COHORT)
    if declarations:
        problems.add("cohort", m.SANDBOX_COHORT_WITH_DECLARATIONS)
    schedule = application.schedule_identifier
    if cohort is not None and schedule is not None and (cohort, schedule) not in SCHEDULES_BY_KEY:
        problems.add("cohort", m.SANDBOX_SCHEDULE_NOT_IN_COHORT)
    problems.raise_any()
    assert cohort is not None  # checked above
    return replace(application, cohort=cohort, updated_at=now)


def transfer(application: Application, given: Mapping[str, Any], *, now: datetime) -> Application:
    """Give the application to another lead provider, as DfE's ChangeLeadProvider does.

    DfE's service refuses only the same provider, whatever the application's status; the
    declarations stay the ones their makers made (docs/rules.md §1.2 says who sees them).
    """
    to = _provider(given.get("lead_provider_id"))
    if to.id == application.lead_provider_id:
        raise ValidationFailed([("lead_provider_id", m.SANDBOX_SAME_LEAD_PROVIDER)])
    return replace(application, lead_provider_id=to.id, updated_at=now)


def _provider(value: Any) -> LeadProvider:
    try:
        if isinstance(value, str) and value.strip():
            return find_provider(value)
    except LookupError:
        pass
    raise ValidationFailed([("lead_provider_id", m.SANDBOX_LEAD_PROVIDER)])


def change_training_status(
    application: Application,
    given: Mapping[str, Any],
    *,
    declarations: Sequence[Declaration],
    now: datetime,
) -> enrolments.StatusChange | None:
    """Change the training status as DfE's admin screen does; None when it is unchanged.

    DfE's ChangeTrainingStatus checks the status, the reason (for deferred and withdrawn) and
    that the application is not pending, then runs the provider's own defer, resume or withdraw
    rules for the application's provider, reporting their refusals under `base`.
    """
    problems = Problems()
    status = given.get("training_status")
    if status not in tuple(TrainingStatus):
        problems.add("training_status", m.SANDBOX_TRAINING_STATUS)
    elif status != TrainingStatus.ACTIVE:
        valid = DEFERRAL_REASONS if status == TrainingStatus.DEFERRED else WITHDRAWAL_REASONS
        if given.get("reason") not in valid:
            problems.add("reason", m.INVALID_REASON)
    if application.status is ApplicationStatus.PENDING:
        problems.add("training_status", m.SANDBOX_TRAINING_STATUS_PENDING)
    problems.raise_any()
    if status == application.training_status:
        return None
    return _delegated(application, str(status), given.get("reason"), declarations, now)


def _delegated(
    application: Application,
    status: str,
    reason: Any,
    declarations: Sequence[Declaration],
    now: datetime,
) -> enrolments.StatusChange:
    accepted = application if application.status is ApplicationStatus.ACCEPTED else None
    attributes = {"course_identifier": application.course_identifier, "reason": reason}
    try:
        if status == TrainingStatus.DEFERRED:
            return enrolments.defer(accepted, attributes, declarations=declarations, now=now)
        if status == TrainingStatus.WITHDRAWN:
            return enrolments.withdraw(accepted, attributes, declarations=declarations, now=now)
        return enrolments.resume(accepted, attributes, now=now)
    except ValidationFailed as refused:
        raise ValidationFailed([("base", detail) for _, detail in refused.errors]) from None


def revert_to_pending(
    application: Application, *, declarations: Sequence[Declaration], now: datetime
) -> Application:
    """Put an accepted or rejected application back to pending, as DfE's RevertToPending does.

    DfE clears the funded place and the training-status history (the caller deletes the rows);
    only voided, ineligible and clawed-back declarations may remain. A pending application has
    no reason for rejection, so that goes too.
    """
    problems = Problems()
    if application.status is ApplicationStatus.PENDING:
        problems.add("application", m.SANDBOX_REVERT_STATUS)
    if any(d.state not in REVERTABLE for d in declarations):
        problems.add("base", m.SANDBOX_REVERT_DECLARATIONS)
    problems.raise_any()
    return replace(
        application,
        status=ApplicationStatus.PENDING,
        reason_for_rejection=None,
        funded_place=None,
        updated_at=now,
    )


def change_statement_dates(
    statement: Statement, given: Mapping[str, Any], *, now: datetime
) -> Statement:
    """Change a statement's deadline (its `cut_off_date`) and payment date.

    DfE's finance staff set these; the sandbox asks only that the deadline is not after the
    payment date, which DfE's own statements always keep.
    """
    problems = Problems()
    if not any(name in given for name in STATEMENT_DATES):
        problems.add("base", m.SANDBOX_STATEMENT_DATES)
    deadline = _date(given, "deadline_date", statement.deadline_date, problems)
    payment = _date(given, "payment_date", statement.payment_date, problems)
    if not problems and deadline > payment:
        problems.add("deadline_date", m.SANDBOX_DEADLINE_AFTER_PAYMENT)
    problems.raise_any()
    return replace(statement, deadline_date=deadline, payment_date=payment, updated_at=now)


def _date(given: Mapping[str, Any], name: str, current: date, problems: Problems) -> date:
    if name not in given:
        return current
    value = given[name]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(name, m.sandbox_must_be_date(name))
    return current


def parse_contract(provider_id: str, given: Mapping[str, Any]) -> Contract:
    """Read a (cohort, course) contract of the provider from the request's attributes."""
    problems = Problems()
    cohort = parse_cohort(given.get("cohort"), problems)
    course = given.get("course_identifier")
    if course not in COURSES:
        problems.add("course_identifier", m.SANDBOX_COURSE_IDENTIFIER)
    problems.raise_any()
    assert cohort is not None  # checked above
    return Contract(provider_id, cohort, str(course))


def check_new_contract(held: bool) -> None:
    """Refuse a contract the provider already holds."""
    if held:
        raise ValidationFailed([("base", m.SANDBOX_CONTRACT_HELD)])
