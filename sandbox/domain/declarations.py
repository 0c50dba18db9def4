"""Creating a declaration: DfE's validations in DfE's order, then its state decision.

The function checks DfE's rules in DfE's order and returns the records to save, or raises
`ValidationFailed` (or, where DfE's service raises an ArgumentError, `BadRequest`).

Rules: docs/rules.md §8.3, §8.4 and §8.7.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain import outcomes
from npq_sandbox.domain.declaration_dates import cast_time, is_blank, is_rfc3339, ruby_string
from npq_sandbox.domain.errors import BadRequest, Problems, ValidationFailed
from npq_sandbox.domain.partnering import check_partners
from npq_sandbox.domain.records import (
    Application,
    Declaration,
    Outcome,
    Participant,
    ParticipantIdChange,
    Statement,
    StatementItem,
    TrainingStatusChange,
)
from npq_sandbox.domain.reference import (
    COHORTS_BY_ID,
    DECLARATION_TYPES,
    OUTCOME_COURSES,
    SCHEDULES_BY_KEY,
    Schedule,
)
from npq_sandbox.domain.states import (
    LIVE_DECLARATION_STATES,
    DeclarationState,
    TrainingStatus,
)

S = DeclarationState
# Creating one: `submitted` when not fundable, `eligible` when fundable, `ineligible` duplicates.
CREATE_STATES = frozenset({S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE})


@dataclass(frozen=True)
class CreateContext:
    """Everything DfE's create service looks up, loaded before the rules run.

    `application` is the caller's most recently created accepted application of the participant
    for the course (ASO and EHCO count as one); `reposts` the caller's live declarations of that
    participant, course and type; `twins` the live, not superseded declarations of the same
    type and course by other people with the participant's TRN, oldest first;
    `partnered` those of the partners the request names that work with the caller in the
    application's cohort, and `contracts` the caller's contract for that cohort and the course,
    if it holds one (the rules ask about nothing else).
    """

    id_change: ParticipantIdChange | None
    participant: Participant | None
    application: Application | None
    accepted_for_course: bool
    last_change: TrainingStatusChange | None = None
    fundable: bool = False
    declarations_on_application: Sequence[Declaration] = ()
    reposts: Sequence[Declaration] = ()
    twins: Sequence[Declaration] = ()
    next_statement: Statement | None = None
    known_partners: frozenset[str] = frozenset()
    partnered: frozenset[str] = frozenset()
    contracts: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Creation:
    """A new declaration (or the re-posted one, with `existing` set) and what goes with it."""

    declaration: Declaration
    existing: bool = False
    items: tuple[StatementItem, ...] = ()
    outcome: Outcome | None = None


def create(
    given: Mapping[str, Any],
    context: CreateContext,
    *,
    ids: tuple[str, str],
    now: datetime,
) -> Creation:
    """Create a declaration (`new -> submitted | eligible | ineligible`).

    `ids` are the ids for the new declaration and for its outcome, if one is recorded.
    """
    when = cast_time(given.get("declaration_date"))
    _validate(given, context, when, now)
    assert when is not None and context.application is not None  # both checked above
    repost = _repost(context.reposts, when)
    if repost is not None:
        # DfE hands back the live declaration already made for this very event; its state
        # machine would refuse to mark it again, so it is returned as it is.
        return Creation(repost, existing=True)
    submitted = _new_declaration(given, context.application, when, ids[0], now)
    declaration = decide(submitted, twins=context.twins, fundable=context.fundable)
    items = attach(declaration, context.next_statement)
    return Creation(
        declaration, items=items, outcome=_outcome(given, declaration, context, ids, now)
    )


def _validate(
    given: Mapping[str, Any], context: CreateContext, when: datetime | None, now: datetime
) -> None:
    problems = Problems()
    _check_participant(given, context, when, problems)
    schedule = _schedule(context.application)
    _check_date(given.get("declaration_date"), when, schedule, problems)
    kind = _type(given.get("declaration_type"), problems)
    if not problems and schedule is None:
        problems.add("application", m.APPLICATION_MISSING_SCHEDULE)
    if not problems and schedule is not None and kind not in schedule.allowed_declaration_types:
        problems.add("declaration_type", m.TYPE_NOT_IN_SCHEDULE)
    course = ruby_string(given.get("course_identifier"))
    if not problems and schedule is not None and (schedule.cohort, course) not in context.contracts:
        problems.add("cohort", m.NO_CONTRACT_FOR_DECLARATION)
    _check_statement(context, when, problems)
    if kind == "completed" and course in OUTCOME_COURSES and not _is_result(given):
        problems.add("has_passed", m.HAS_PASSED_REQUIRED)
    if not problems and _already_declared(context.declarations_on_application, kind):
        problems.add("base", m.ALREADY_DECLARED)
    _check_partners_exist(given, context.known_partners, problems)
    if not problems:
        _check_model(given, context, when, now, problems)
    problems.raise_any()


def _check_participant(
    given: Mapping[str, Any], context: CreateContext, when: datetime | None, problems: Problems
) -> None:
    if is_blank(given.get("participant_id")):
        problems.add("participant_id", m.PARTICIPANT_ID_MUST_BE_PRESENT)
    change = context.id_change
    if change is not None:
        replaced = m.participant_id_replaced(change.from_participant_id, change.to_participant_id)
        problems.add("participant_id", replaced)
    if not problems and context.participant is None:
        problems.add("participant_id", m.PARTICIPANT_NOT_RECOGNISED)
    if not problems:
        _check_withdrawal(context, when, problems)
    if not problems and not context.accepted_for_course:
        problems.add("course_identifier", m.COURSE_NOT_RECOGNISED)


def _check_withdrawal(context: CreateContext, when: datetime | None, problems: Problems) -> None:
    """A declaration dated at or after the caller's withdrawal is refused (docs/rules.md §8.4)."""
    last = context.last_change
    if context.application is None or last is None or last.state is not TrainingStatus.WITHDRAWN:
        return
    if when is None:
        # DfE compares the withdrawal time with a nil date, which raises an ArgumentError.
        raise BadRequest(m.WITHDRAWN_WITHOUT_DATE)
    if last.created_at <= when:
        moment = last.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        problems.add("participant_id", m.withdrawn_on(moment))


def _schedule(application: Application | None) -> Schedule | None:
    if application is None or application.schedule_identifier is None:
        return None
    return SCHEDULES_BY_KEY.get((application.cohort, application.schedule_identifier))


def _check_date(
    raw: Any, when: datetime | None, schedule: Schedule | None, problems: Problems
) -> None:
    if not problems:
        if not is_blank(raw) and not is_rfc3339(raw):
            problems.add("declaration_date", m.INVALID_DECLARATION_DATE)
        # The same validator goes on to the schedule start even when the format failed, as
        # long as the value could be cast (a date alone casts to its midnight).
        if schedule is not None and when is not None:
            starts = datetime.combine(schedule.applies_from, datetime.min.time(), when.tzinfo)
            if when < starts:
                problems.add("declaration_date", m.DATE_BEFORE_SCHEDULE_START)
    if when is None:
        problems.add("declaration_date", m.ENTER_DECLARATION_DATE)


def _type(raw: Any, problems: Problems) -> str | None:
    kind = None if raw is None else ruby_string(raw)
    if is_blank(kind):
        problems.add("declaration_type", m.ENTER_DECLARATION_TYPE)
    if kind not in DECLARATION_TYPES:
        problems.add("declaration_type", m.DECLARATION_TYPE_NOT_RECOGNISED)
    return kind


def _check_statement(context: CreateContext, when: datetime | None, problems: Problems) -> None:
    """Payments need a statement to go on: refuse when the cohort's contract has ended."""
    application = context.application
    if problems or application is None or context.next_statement is not None:
        return
    repost = _repost(context.reposts, when)
    if repost is not None and repost.state is S.SUBMITTED:
        return
    if repost is None and not context.fundable:
        return
    problems.add("cohort", m.contract_ended(COHORTS_BY_ID[application.cohort].start_year))


def _is_result(given: Mapping[str, Any]) -> bool:
    return ruby_string(given.get("has_passed")) in ("true", "false")


def _repost(reposts: Sequence[Declaration], when: datetime | None) -> Declaration | None:
    return next((d for d in reposts if d.declaration_date == when), None)


def _already_declared(declarations: Sequence[Declaration], kind: str | None) -> bool:
    return any(
        d.declaration_type == kind and d.state in LIVE_DECLARATION_STATES for d in declarations
    )


def _check_partners_exist(
    given: Mapping[str, Any], known: frozenset[str], problems: Problems
) -> None:
    # Ruby's `if: :delivery_partner_id` runs for any value but nil and false, "" included.
    for name in ("delivery_partner_id", "secondary_delivery_partner_id"):
        value = given.get(name)
        if value is not None and value is not False and str(value) not in known:
            problems.add(name, m.partner_does_not_exist(name))


def _check_model(
    given: Mapping[str, Any],
    context: CreateContext,
    when: datetime | None,
    now: datetime,
    problems: Problems,
) -> None:
    """The would-be declaration's own validations, run only when nothing else failed."""
    if when is not None and when > now:
        problems.add("declaration_date", m.DATE_IN_FUTURE)
    application = context.application
    assert application is not None  # checked by the schedule rule
    check_partners(
        _partner(given, "delivery_partner_id"),
        _partner(given, "secondary_delivery_partner_id"),
        application=application,
        cohort=application.cohort,
        partnered=context.partnered,
        problems=problems,
    )


def _partner(given: Mapping[str, Any], name: str) -> str | None:
    value = given.get(name)
    return None if value is None or value is False else str(value)


def _new_declaration(
    given: Mapping[str, Any], application: Application, when: datetime, new_id: str, now: datetime
) -> Declaration:
    return Declaration(
        id=new_id,
        application_id=application.id,
        lead_provider_id=application.lead_provider_id,
        cohort=application.cohort,
        declaration_type=str(given["declaration_type"]),
        declaration_date=when,
        state=S.SUBMITTED,
        created_at=now,
        updated_at=now,
        delivery_partner_id=_partner(given, "delivery_partner_id"),
        secondary_delivery_partner_id=_partner(given, "secondary_delivery_partner_id"),
    )


def decide(
    declaration: Declaration, *, twins: Sequence[Declaration], fundable: bool
) -> Declaration:
    """Decide a new declaration's state (`submitted -> eligible | ineligible`).

    This is DfE's `set_eligibility!`: a duplicate of a `twins` declaration (same TRN, type and
    course, oldest first) is ineligible, else a fundable one is eligible.
    """
    if twins:
        return replace(declaration, state=S.INELIGIBLE, superseded_by_id=twins[0].id)
    if fundable:
        return replace(declaration, state=S.ELIGIBLE)
    return declaration


def attach(declaration: Declaration, statement: Statement | None) -> tuple[StatementItem, ...]:
    """Return the statement item a decided declaration gets on the provider's next statement."""
    # An ineligible declaration with no statement to go on is simply not attached.
    if declaration.state is S.SUBMITTED or statement is None:
        return ()
    return (StatementItem(statement.id, declaration.id, declaration.state),)


def _outcome(
    given: Mapping[str, Any],
    declaration: Declaration,
    context: CreateContext,
    ids: tuple[str, str],
    now: datetime,
) -> Outcome | None:
    """A `completed` leadership or specialist declaration records the participant's result."""
    assert context.application is not None
    course = context.application.course_identifier
    if declaration.declaration_type != "completed" or course not in OUTCOME_COURSES:
        return None
    passed = ruby_string(given.get("has_passed")) == "true"
    attributes = {
        "course_identifier": course,
        "state": "passed" if passed else "failed",
        "completion_date": declaration.declaration_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    try:
        return outcomes.record(attributes, [declaration], None, outcome_id=ids[1], now=now)
    except (ValidationFailed, BadRequest):
        raise BadRequest(m.COMPLETED_DECLARATION_FAILED) from None


__all__ = ["CREATE_STATES", "CreateContext", "Creation", "attach", "create", "decide"]
