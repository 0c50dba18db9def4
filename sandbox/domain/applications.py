"""What a lead provider may do to an application: accept, reject, change its funded place.

Each function checks DfE's rules in DfE's order and returns the changed records, or raises
`ValidationFailed` with every message DfE would report together.

Rules: docs/rules.md §5.3 to §5.6.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.declaration_dates import is_blank
from npq_sandbox.domain.errors import Problems
from npq_sandbox.domain.records import Application, Declaration, TrainingStatusChange
from npq_sandbox.domain.reference import COHORTS_BY_ID, Funding, same_course
from npq_sandbox.domain.scheduling import default_schedule, fits_course, schedule_in_cohort
from npq_sandbox.domain.states import (
    LIVE_DECLARATION_STATES,
    ApplicationStatus,
    RejectionReason,
    TrainingStatus,
)


@dataclass(frozen=True)
class Acceptance:
    """An accepted application, the person's competing ones it rejected, and its history row."""

    application: Application
    rejected: tuple[Application, ...]
    history: TrainingStatusChange


def accept(
    application: Application,
    attributes: Mapping[str, Any],
    *,
    related: Sequence[Application],
    now: datetime,
) -> Acceptance:
    """Accept a pending application (`pending -> accepted`).

    `related` holds every other application of the same person, and of anyone sharing their
    verified TRN. Only JSON booleans count as a `funded_place`.
    """
    funding = COHORTS_BY_ID[application.cohort].funding
    funded_place = attributes.get("funded_place")
    problems = Problems()
    if funding is Funding.CAPPED and not isinstance(funded_place, bool):
        problems.add("funded_place", m.SET_FUNDED_PLACE)
    if funding is Funding.ZERO and funded_place is not False:
        problems.add("funded_place", m.FUNDED_PLACE_FALSE_FOR_UNFUNDED)
    _check_acceptable(application, related, problems)
    if not problems and funding is Funding.CAPPED and funded_place and not _eligible(application):
        problems.add("application", m.NOT_ELIGIBLE_FOR_FUNDED_PLACE)
    schedule = _chosen_schedule(application, attributes.get("schedule_identifier"), problems, now)
    problems.raise_any()
    assert schedule is not None  # a missing schedule was reported above
    accepted = replace(
        application,
        status=ApplicationStatus.ACCEPTED,
        accepted_at=now,
        training_status=TrainingStatus.ACTIVE,
        schedule_identifier=schedule,
        funded_place=funded_place if funding is Funding.CAPPED else application.funded_place,
        updated_at=now,
    )
    history = TrainingStatusChange(
        application.id, application.lead_provider_id, TrainingStatus.ACTIVE, None, now
    )
    return Acceptance(accepted, _competitors_rejected(application, related, now), history)


def _eligible(application: Application) -> bool:
    return application.eligible_for_funding


def _check_acceptable(
    application: Application, related: Sequence[Application], problems: Problems
) -> None:
    if application.status is ApplicationStatus.ACCEPTED:
        problems.add("application", m.ALREADY_ACCEPTED)
    if application.status is ApplicationStatus.REJECTED:
        problems.add("application", m.CANNOT_CHANGE_REJECTED)
    if any(_blocks(application, other) for other in related):
        problems.add("application", m.ALREADY_HAD_ACCEPTED)


def _blocks(application: Application, other: Application) -> bool:
    """An accepted, not withdrawn place on the same course and cohort blocks another accept."""
    return (
        other.id != application.id
        and other.status is ApplicationStatus.ACCEPTED
        and other.training_status is not TrainingStatus.WITHDRAWN
        and other.cohort == application.cohort
        and same_course(other.course_identifier, application.course_identifier)
    )


def _chosen_schedule(
    application: Application, requested: Any, problems: Problems, now: datetime
) -> str | None:
    course, cohort = application.course_identifier, application.cohort
    # DfE casts the value to a string first (`false` is "f"), then asks whether it is blank.
    if requested is None or (isinstance(requested, str) and is_blank(requested)):
        return default_schedule(cohort, course, now.date()).identifier
    schedule = schedule_in_cohort(cohort, str(requested))
    if schedule is None:
        problems.add("schedule_identifier", m.SCHEDULE_NOT_IN_COHORT)
        return None
    if not problems and not fits_course(schedule, course):
        problems.add("schedule_identifier", m.SCHEDULE_NOT_FOR_COURSE)
    return schedule.identifier


def _competitors_rejected(
    application: Application, related: Sequence[Application], now: datetime
) -> tuple[Application, ...]:
    """The same person's other applications for exactly this course and cohort, any provider."""
    return tuple(
        replace(
            other,
            status=ApplicationStatus.REJECTED,
            reason_for_rejection=RejectionReason.OTHER_APPLICATION_ACCEPTED,
            updated_at=now,
        )
        for other in related
        if other.id != application.id
        and other.participant_id == application.participant_id
        and other.course_identifier == application.course_identifier
        and other.cohort == application.cohort
    )


def reject(
    application: Application, *, declarations: Sequence[Declaration], now: datetime
) -> Application:
    """Reject a pending or accepted application (`-> rejected`, by the provider)."""
    problems = Problems()
    if application.status is ApplicationStatus.REJECTED:
        problems.add("application", m.ALREADY_REJECTED)
    if _has_live(declarations):
        problems.add("application", m.DECLARATIONS_PREVENT_REJECTION)
    problems.raise_any()
    return replace(
        application,
        status=ApplicationStatus.REJECTED,
        reason_for_rejection=RejectionReason.REJECTED_BY_PROVIDER,
        updated_at=now,
    )


def change_funded_place(
    application: Application,
    attributes: Mapping[str, Any],
    *,
    declarations: Sequence[Declaration],
    now: datetime,
) -> Application:
    """Set `funded_place` on an accepted application of a capped cohort."""
    funded_place = attributes.get("funded_place")
    problems = Problems()
    if not isinstance(funded_place, bool):
        problems.add("funded_place", m.SET_FUNDED_PLACE)
    if application.status is not ApplicationStatus.ACCEPTED:
        problems.add("application", m.ACCEPT_BEFORE_FUNDED_PLACE)
    if funded_place is True and not application.eligible_for_funding:
        problems.add("application", m.NOT_ELIGIBLE_CONTACT_US)
    if not problems and COHORTS_BY_ID[application.cohort].funding is not Funding.CAPPED:
        problems.add("application", m.FUNDED_PLACE_NOT_NEEDED)
    if _has_live(declarations):
        problems.add("application", m.FUNDED_PLACE_DECLARATIONS_SUBMITTED)
    problems.raise_any()
    return replace(application, funded_place=funded_place, updated_at=now)


def stamps_person(status_before: str | None, application: Application) -> bool:
    """Tell whether saving `application` over `status_before` stamps its person.

    DfE touches a person, at the application's own `updated_at`, whenever one of their
    applications is saved with a new status, creation (no status before) included, whoever
    saves it: the provider accepting or rejecting, the automatic rejection of competing
    applications, DfE itself. That moves the person's records in every provider's incremental
    sync (docs/rules.md §5.7).
    """
    return status_before is None or status_before != application.status


def _has_live(declarations: Sequence[Declaration]) -> bool:
    return any(d.state in LIVE_DECLARATION_STATES for d in declarations)
