"""What happens to applications on the seed's timeline: register, accept, reject, defer, move.

Where a provider's call makes the change, the domain's rule for that call makes it here too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from npq_sandbox.domain import applications as rules
from npq_sandbox.domain import participants as training
from npq_sandbox.domain.records import Application, Participant, ParticipantIdChange
from npq_sandbox.domain.reference import COHORTS_BY_ID, Funding, schedules_for
from npq_sandbox.domain.registrations import new_application
from npq_sandbox.domain.states import ApplicationStatus, RejectionReason, TrainingStatus
from npq_sandbox.seeding.clock import SEED_NOW
from npq_sandbox.seeding.dataset import Dataset, revise
from npq_sandbox.seeding.people import application_fields

# The provider's calls that move an enrolment to each training status seeding gives it.
_STATUS_CALLS = {
    TrainingStatus.DEFERRED: training.defer,
    TrainingStatus.WITHDRAWN: training.withdraw,
}


def check_order(earlier: datetime, later: datetime) -> None:
    """Refuse a time that runs backwards or past SEED_NOW: that is a seeding bug."""
    if not earlier <= later <= SEED_NOW:
        raise ValueError(f"{later.isoformat()} is not in {earlier.isoformat()} .. SEED_NOW")


def apply(
    ds: Dataset,
    person: Participant,
    provider_id: str,
    course: str,
    cohort: str,
    created_at: datetime,
    *,
    varied: bool = True,
    **fields: Any,
) -> Application:
    """Register a pending application with drawn answers (`fields` win) at `created_at`."""
    check_order(person.created_at, created_at)
    answers = {**application_fields(ds, course, varied=varied), **fields}
    return ds.add_application(
        new_application(
            ds.new_id(), person.id, provider_id, course, cohort, answers, now=created_at
        )
    )


def accept(
    ds: Dataset,
    application: Application,
    at: datetime,
    *,
    funded_place: bool | None = None,
    schedule: str | None = None,
) -> Application:
    """Accept as the accept call does, with the provider's choices drawn where not given.

    As at DfE, the person's other applications for the same course and cohort are rejected.
    `funded_place=None` lets a capped cohort draw the provider's choice.
    """
    check_order(application.created_at, at)
    choices = {
        "schedule_identifier": schedule or _any_schedule(ds, application),
        "funded_place": _funded_place(ds, application, funded_place),
    }
    acceptance = rules.accept(application, choices, related=ds.related(application), now=at)
    ds.history.append(acceptance.history)
    accepted = ds.add_application(acceptance.application)
    for rejected in acceptance.rejected:
        check_order(ds.applications[rejected.id].updated_at, at)
        ds.add_application(rejected)
    return accepted


def _any_schedule(ds: Dataset, application: Application) -> str:
    return ds.pick(schedules_for(application.cohort, application.course_identifier)).identifier


def _funded_place(ds: Dataset, application: Application, requested: bool | None) -> bool | None:
    """Only capped cohorts take the provider's choice; the others are sent what they hold."""
    if COHORTS_BY_ID[application.cohort].funding is not Funding.CAPPED:
        return application.funded_place
    if requested is None:
        return application.eligible_for_funding and ds.chance(0.7)
    return requested


def reject(
    ds: Dataset, application: Application, at: datetime, reason: RejectionReason
) -> Application:
    """Reject an application: by the provider's call, or by DfE when its registration expires."""
    check_order(application.updated_at, at)
    if reason is RejectionReason.REJECTED_BY_PROVIDER:
        declarations = ds.declarations_of(application.id)
        return ds.add_application(rules.reject(application, declarations=declarations, now=at))
    # Expiry is DfE's own move: no provider's call, so no rule of the API, makes it.
    return ds.add_application(
        revise(
            application,
            status=ApplicationStatus.REJECTED,
            reason_for_rejection=reason,
            updated_at=at,
        )
    )


def change_training_status(
    ds: Dataset, application: Application, state: TrainingStatus, reason: str, at: datetime
) -> Application:
    """Defer or withdraw as the provider's call does, with the history row it records."""
    check_order(application.updated_at, at)
    attributes = {"course_identifier": application.course_identifier, "reason": reason}
    declarations = ds.declarations_of(application.id)
    change = _STATUS_CALLS[state](application, attributes, declarations=declarations, now=at)
    ds.history.append(change.history)
    return ds.add_application(change.application)


def transfer(ds: Dataset, application: Application, provider_id: str, at: datetime) -> Application:
    """Move an application to another provider, as DfE's change-lead-provider does."""
    check_order(application.updated_at, at)
    return ds.add_application(revise(application, lead_provider_id=provider_id, updated_at=at))


def merge_duplicate(ds: Dataset, person: Participant, at: datetime) -> ParticipantIdChange:
    """Record that a duplicate user, under a random old id, was merged into `person`."""
    check_order(person.created_at, at)
    change = ParticipantIdChange(ds.new_id(), ds.new_id(), person.id, person.id, at, at)
    ds.id_changes.append(change)
    return change
