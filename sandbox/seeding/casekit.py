"""Small building blocks for the guaranteed cases: plain people, enrolments, timed declarations."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from npq_sandbox.domain.records import Application, Declaration
from npq_sandbox.domain.reference import COHORTS_BY_ID, COURSES, SCHEDULES_BY_KEY, CourseGroup
from npq_sandbox.domain.states import StatementState
from npq_sandbox.seeding.books import Window
from npq_sandbox.seeding.clock import HOUR, SEED_NOW, days, midnight, morning, not_after_now
from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.seeding.declaring import declare
from npq_sandbox.seeding.journeys import accept, apply
from npq_sandbox.seeding.people import new_person

SOON = days(10)
NEXT_DAY = days(1)


def registered(ds: Dataset, cohort: str) -> datetime:
    """Return a time in the first weeks after the cohort's registration opened."""
    opens = morning(COHORTS_BY_ID[cohort].registration_start_date)
    return ds.moment(opens, opens + days(45))


def soon_after(ds: Dataset, start: datetime, within: timedelta = SOON) -> datetime:
    """Return a time from an hour to `within` after `start`, never after SEED_NOW."""
    return ds.moment(start + HOUR, not_after_now(start + within))


def newcomer(
    ds: Dataset,
    provider_id: str,
    course: str,
    cohort: str,
    *,
    person: dict[str, Any] | None = None,
    **fields: Any,
) -> Application:
    """Return a new person's plain pending application (England, eligible, verified TRN)."""
    created = registered(ds, cohort)
    overrides = {"trn_verified": True, **(person or {})}
    applicant = new_person(ds, ds.moment(created - days(20), created - HOUR), **overrides)
    return apply(ds, applicant, provider_id, course, cohort, created, varied=False, **fields)


def again(
    ds: Dataset, first: Application, provider_id: str, course: str, after: timedelta = NEXT_DAY
) -> Application:
    """Return another plain application by the same person, in the same cohort."""
    person = ds.participants[first.participant_id]
    return apply(
        ds, person, provider_id, course, first.cohort, first.created_at + after, varied=False
    )


def enrolled(
    ds: Dataset,
    provider_id: str,
    course: str,
    cohort: str,
    *,
    funded_place: bool | None = True,
    person: dict[str, Any] | None = None,
    **fields: Any,
) -> Application:
    """Return a new person's application, accepted on the cohort's autumn schedule if any."""
    application = newcomer(ds, provider_id, course, cohort, person=person, **fields)
    at = ds.moment(application.created_at + days(1), application.created_at + days(20))
    return accept(
        ds, application, at, funded_place=funded_place, schedule=autumn_schedule(cohort, course)
    )


def autumn_schedule(cohort: str, course: str) -> str | None:
    """Name the autumn schedule of leadership/specialist courses (every cohort has one)."""
    group = COURSES[course]
    if group not in (CourseGroup.LEADERSHIP, CourseGroup.SPECIALIST):
        return None
    identifier = f"npq-{group.value}-autumn"
    return identifier if (cohort, identifier) in SCHEDULES_BY_KEY else None


def window(
    ds: Dataset, provider_id: str, cohort: str, state: StatementState, back: int = 1
) -> Window:
    """Return the `back`-th latest window landing on an output-fee statement in `state`."""
    return ds.statement_book.windows(provider_id, cohort, state)[-back]


def early_part(found: Window) -> tuple[datetime, datetime]:
    """Return the first half of a window, leaving room for later steps before SEED_NOW."""
    half = int((found.end - found.start).total_seconds()) // 2
    return found.start, found.start + timedelta(seconds=half)


def declare_within(
    ds: Dataset,
    application: Application,
    declaration_type: str,
    span: tuple[datetime, datetime],
    **options: Any,
) -> Declaration:
    """Declare with a submission time in `span`, dated up to three weeks earlier."""
    created = ds.moment(*span)
    schedule = SCHEDULES_BY_KEY[(application.cohort, str(application.schedule_identifier))]
    earliest = max(
        midnight(schedule.applies_from),
        created - days(21),
        (application.accepted_at or SEED_NOW) + HOUR,
    )
    declaration = declare(
        ds,
        application,
        declaration_type,
        created_at=created,
        declared_at=ds.moment(earliest, created),
        **options,
    )
    if declaration is None:
        raise ValueError(f"guaranteed {declaration_type} declaration was refused")
    return declaration


def whole(found: Window) -> tuple[datetime, datetime]:
    """Return a window as a span of submission times."""
    return found.start, found.end
