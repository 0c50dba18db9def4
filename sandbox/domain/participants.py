"""What a lead provider may do to a participant's enrolment: defer, resume, withdraw, move schedule.

Each function takes the caller's accepted application of the participant for the requested
course (None when there is none), the request's attributes, the declarations on that
application (whoever made them) and `now`. It checks DfE's rules in DfE's order and returns the
changed records, or raises `ValidationFailed` with every message DfE would report together.

Rules: docs/rules.md §7.4 to §7.7.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from enum import StrEnum
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.errors import Problems
from npq_sandbox.domain.records import Application, Declaration, TrainingStatusChange
from npq_sandbox.domain.reference import COHORTS_BY_ID, COURSES, Funding, Schedule
from npq_sandbox.domain.scheduling import current_cohort, fits_course, schedule_in_year
from npq_sandbox.domain.states import (
    DEFERRAL_REASONS,
    LIVE_DECLARATION_STATES,
    WITHDRAWAL_REASONS,
    TrainingStatus,
)

ACTIVE, DEFERRED, WITHDRAWN = TrainingStatus


class Action(StrEnum):
    DEFER = "defer"
    RESUME = "resume"
    WITHDRAW = "withdraw"
    CHANGE_SCHEDULE = "change-schedule"


# The training-status machine: action -> {allowed from-state: resulting state}. Change-schedule
# keeps the status it finds.
TRANSITIONS: dict[Action, dict[TrainingStatus, TrainingStatus]] = {
    Action.DEFER: {ACTIVE: DEFERRED},
    Action.RESUME: {DEFERRED: ACTIVE, WITHDRAWN: ACTIVE},
    Action.WITHDRAW: {ACTIVE: WITHDRAWN, DEFERRED: WITHDRAWN},
    Action.CHANGE_SCHEDULE: {ACTIVE: ACTIVE, DEFERRED: DEFERRED},
}
# Every other (action, from-state) is refused, with this `participant_id` message.
REFUSALS: dict[tuple[Action, TrainingStatus], str] = {
    (Action.DEFER, DEFERRED): m.ALREADY_DEFERRED,
    (Action.DEFER, WITHDRAWN): m.ALREADY_WITHDRAWN,
    (Action.RESUME, ACTIVE): m.ALREADY_ACTIVE,
    (Action.WITHDRAW, WITHDRAWN): m.ALREADY_WITHDRAWN,
    (Action.CHANGE_SCHEDULE, WITHDRAWN): m.ALREADY_WITHDRAWN,
}


@dataclass(frozen=True)
class StatusChange:
    """The application with its new training status, and the history row that records it."""

    application: Application
    history: TrainingStatusChange


def defer(
    application: Application | None,
    attributes: Mapping[str, Any],
    *,
    declarations: Sequence[Declaration],
    now: datetime,
) -> StatusChange:
    """Defer an enrolment (`active -> deferred`); any declaration at all, even voided, is needed."""
    problems = _shared_problems(application, attributes)
    reason = attributes.get("reason")
    if reason not in DEFERRAL_REASONS:
        problems.add("reason", m.INVALID_REASON)
    if application is not None:
        _check_transition(Action.DEFER, application, problems)
        if not declarations:
            problems.add("participant_id", m.DEFER_WITHOUT_DECLARATIONS)
    problems.raise_any()
    return _moved(Action.DEFER, application, reason, now)


def resume(
    application: Application | None, attributes: Mapping[str, Any], *, now: datetime
) -> StatusChange:
    """Resume an enrolment (`deferred -> active` or `withdrawn -> active`)."""
    problems = _shared_problems(application, attributes)
    if application is not None:
        _check_transition(Action.RESUME, application, problems)
    problems.raise_any()
    return _moved(Action.RESUME, application, None, now)


def withdraw(
    application: Application | None,
    attributes: Mapping[str, Any],
    *,
    declarations: Sequence[Declaration],
    now: datetime,
) -> StatusChange:
    """Withdraw an enrolment (`active -> withdrawn` or `deferred -> withdrawn`).

    A `started` declaration in any state, even voided, is needed; DfE checks it only when
    nothing else failed.
    """
    problems = _shared_problems(application, attributes)
    reason = attributes.get("reason")
    if reason not in WITHDRAWAL_REASONS:
        problems.add("reason", m.INVALID_REASON)
    if application is not None:
        _check_transition(Action.WITHDRAW, application, problems)
    if not problems and not any(d.declaration_type == "started" for d in declarations):
        problems.add("participant_id", m.WITHDRAW_WITHOUT_STARTED)
    problems.raise_any()
    return _moved(Action.WITHDRAW, application, reason, now)


def _shared_problems(application: Application | None, attributes: Mapping[str, Any]) -> Problems:
    """DfE's checks common to every participant action (its `Participants::Action`)."""
    problems = Problems()
    if attributes.get("course_identifier") not in COURSES:
        problems.add("course_identifier", m.COURSE_NOT_RECOGNISED)
    if not problems and application is None:
        problems.add("participant_id", m.NO_ACCEPTED_APPLICATION_FOR_COURSE)
    return problems


def _status(application: Application) -> TrainingStatus:
    # Accepting sets a status, so an accepted application always has one; read a missing one as
    # active rather than fail.
    return application.training_status or ACTIVE


def _check_transition(action: Action, application: Application, problems: Problems) -> None:
    refusal = REFUSALS.get((action, _status(application)))
    if refusal is not None:
        problems.add("participant_id", refusal)


def _moved(
    action: Action, application: Application | None, reason: Any, now: datetime
) -> StatusChange:
    assert application is not None  # a missing application was reported above
    status = TRANSITIONS[action][_status(application)]
    history = TrainingStatusChange(
        application.id, application.lead_provider_id, status, reason, now
    )
    return StatusChange(replace(application, training_status=status, updated_at=now), history)


def change_schedule(
    application: Application | None,
    attributes: Mapping[str, Any],
    *,
    declarations: Sequence[Declaration],
    contracts: Collection[tuple[str, str]],
    now: datetime,
) -> Application:
    """Move an active or deferred enrolment to another schedule, and maybe another cohort.

    The training status is kept (`active -> active`, `deferred -> deferred`); the schedule is
    looked up by identifier among the cohorts of one start year, newest suffix first.
    `contracts` are the provider's (cohort, course) pairs.
    """
    course = attributes.get("course_identifier")
    problems = _shared_problems(application, attributes)
    target = _target_schedule(application, attributes, now)
    if target is None:
        problems.add("schedule_identifier", m.SCHEDULE_MUST_BE_PRESENT)
    if not problems and target is not None and (target.cohort, course) not in contracts:
        problems.add("cohort", m.NO_CONTRACT_FOR_COHORT_CHANGE)
    if application is not None:
        _check_transition(Action.CHANGE_SCHEDULE, application, problems)
    if application is not None and target is not None:
        _check_move(application, target, str(course), _live(declarations), problems)
    problems.raise_any()
    assert application is not None and target is not None  # both were checked above
    return _rescheduled(application, target, now)


def _check_move(
    application: Application,
    target: Schedule,
    course: str,
    live: Sequence[Declaration],
    problems: Problems,
) -> None:
    """DfE's checks of the move itself, in its order; some run only while nothing else failed."""
    if any(_invalidated(d, target) for d in live):
        problems.add("schedule_identifier", m.SCHEDULE_CHANGE_INVALIDATES)
    if (target.cohort, target.identifier) == (application.cohort, application.schedule_identifier):
        problems.add("schedule_identifier", m.ALREADY_ON_SCHEDULE)
    if not problems and not fits_course(target, course):
        problems.add("schedule_identifier", m.SCHEDULE_NOT_FOR_COURSE)
    # The current schedule lives in the application's cohort.
    if not problems and live and target.cohort != application.cohort:
        problems.add("cohort", m.COHORT_CHANGE_WITH_DECLARATIONS)
    before, after = COHORTS_BY_ID[application.cohort].funding, COHORTS_BY_ID[target.cohort].funding
    if before is Funding.CAPPED and after is Funding.FULL:
        problems.add("cohort", m.COHORT_CAPPED_TO_FULL)
    if before is Funding.ZERO and after is not Funding.ZERO:
        problems.add("cohort", m.COHORT_UNFUNDED_TO_FUNDED)


def _live(declarations: Sequence[Declaration]) -> list[Declaration]:
    return [d for d in declarations if d.state in LIVE_DECLARATION_STATES]


def _invalidated(declaration: Declaration, target: Schedule) -> bool:
    """A live declaration the new schedule would not allow; note `<=` at the start, not `<`."""
    start = datetime.combine(target.applies_from, time(), tzinfo=UTC)
    return (
        declaration.declaration_type not in target.allowed_declaration_types
        or declaration.declaration_date <= start
    )


def _rescheduled(application: Application, target: Schedule, now: datetime) -> Application:
    before, after = COHORTS_BY_ID[application.cohort].funding, COHORTS_BY_ID[target.cohort].funding
    funded_place = application.funded_place
    # With the sandbox's cohorts a `b` cohort shadows every zero cohort, so no move reaches
    # one; the rule is kept as DfE has it.
    if after is Funding.ZERO:
        funded_place = False
    elif after is Funding.CAPPED and before is not Funding.CAPPED:
        funded_place = application.eligible_for_funding
    return replace(
        application,
        schedule_identifier=target.identifier,
        cohort=target.cohort,
        funded_place=funded_place,
        updated_at=now,
    )


def _target_schedule(
    application: Application | None, attributes: Mapping[str, Any], now: datetime
) -> Schedule | None:
    """The schedule named by `schedule_identifier` in the requested (or current) start year."""
    identifier = attributes.get("schedule_identifier")
    if not isinstance(identifier, str) or not identifier.strip():
        return None
    given = attributes.get("cohort")
    # Rails treats a null or false `cohort` as not given.
    year = _current_year(application, now) if given is None or given is False else _year(given)
    return None if year is None else schedule_in_year(year, identifier)


# ASCII digits and whitespace only, as in Ruby.
_LEADING_INTEGER = re.compile(r"[ \t\n\v\f\r]*[+-]?[0-9]+")


def _year(given: Any) -> int | None:
    """Read `cohort` as DfE's integer attribute does; None finds no cohort.

    A string counts by its leading digits ("2025", " 2025", "2025abc" are 2025) and a number
    is truncated; an empty or non-numeric string, true, or an infinite number find nothing.
    """
    if isinstance(given, bool) or (isinstance(given, float) and not math.isfinite(given)):
        return None
    if isinstance(given, int | float):
        return int(given)
    found = _LEADING_INTEGER.match(given) if isinstance(given, str) else None
    # DfE's start_year column holds 32-bit integers; a longer number matches no cohort (and
    # Python refuses to convert thousands of digits).
    if found is None or len(found.group().strip().lstrip("+-").lstrip("0")) > 10:
        return None
    return int(found.group())


def _current_year(application: Application | None, now: datetime) -> int | None:
    """The start year of the current schedule's cohort, else of DfE's current cohort.

    Before the first cohort opens there is no current cohort: DfE would fail on nil; here
    no schedule is found, so the answer is the "must be present" 422.
    """
    if application is not None and application.schedule_identifier:
        return COHORTS_BY_ID[application.cohort].start_year
    current = current_cohort(now.date())
    return None if current is None else COHORTS_BY_ID[current].start_year
