"""Loading what declaration and outcome writes decide on, and saving their statement items."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, exists, or_, select, update

from sandbox.domain.declarations import CreateContext
from sandbox.domain.funding import is_fundable, is_previously_funded
from sandbox.domain.outcomes import OUTCOME_DECLARATION_STATES
from sandbox.domain.records import (
    Application,
    Declaration,
    Outcome,
    Participant,
    StatementItem,
    TrainingStatusChange,
)
from sandbox.domain.reference import ASO, COURSES, EHCO
from sandbox.domain.states import LIVE_DECLARATION_STATES, ApplicationStatus, DeclarationState
from sandbox.store.applications import applications_of
from sandbox.store.lookups import declarations_on, next_output_fee_statement
from sandbox.store.participants import id_change_from
from sandbox.store.rows import from_row
from sandbox.store.schema import (
    applications,
    declarations,
    delivery_partners,
    delivery_partnerships,
    outcomes,
    participants,
    statement_items,
    training_status_changes,
)

_LIVE = [s.value for s in LIVE_DECLARATION_STATES]


def create_context(
    conn: Connection, provider_id: str, given: dict[str, Any], today: date
) -> CreateContext:
    """Load everything DfE's declaration create looks up, for the caller and the request."""
    raw_id, course = given.get("participant_id"), given.get("course_identifier")
    person_id = raw_id if isinstance(raw_id, str) else None
    course = course if isinstance(course, str) and course in COURSES else None
    person = visible_participant(conn, provider_id, person_id) if person_id else None
    application = _application(conn, provider_id, person, course)
    base = CreateContext(
        id_change=id_change_from(conn, person_id) if person_id else None,
        participant=person,
        application=application,
        accepted_for_course=_accepted_for(conn, person, course),
        known_partners=existing_partners(conn, _partner_ids(given)),
    )
    if person is None or application is None or course is None:
        return base
    return _with_application(conn, base, person, application, given, today)


def _with_application(
    conn: Connection,
    base: CreateContext,
    person: Participant,
    application: Application,
    given: dict[str, Any],
    today: date,
) -> CreateContext:
    provider_id, course = application.lead_provider_id, str(given["course_identifier"])
    kind = given.get("declaration_type")
    others = applications_of(conn, [person.id])[person.id]
    return replace(
        base,
        last_change=latest_change(conn, application.id, provider_id),
        fundable=is_fundable(application, is_previously_funded(application, others)),
        declarations_on_application=declarations_on(conn, application.id),
        reposts=_reposts(conn, provider_id, person.id, course, kind),
        twins=_twins(conn, person, application, kind),
        next_statement=next_output_fee_statement(conn, provider_id, application.cohort, today),
        partnered=partnered(conn, provider_id, application.cohort),
    )


def visible_participant(
    conn: Connection, provider_id: str, participant_id: str
) -> Participant | None:
    """The participant, if they hold an accepted application with the provider."""
    accepted = exists().where(
        applications.c.participant_id == participants.c.id,
        applications.c.lead_provider_id == provider_id,
        applications.c.status == ApplicationStatus.ACCEPTED.value,
    )
    query = select(participants).where(participants.c.id == participant_id, accepted)
    row = conn.execute(query).mappings().first()
    return from_row(Participant, row) if row else None


def _courses(course: str) -> list[str]:
    """A course and its rebranded alternative (ASO and EHCO count as one)."""
    return [ASO, EHCO] if course in (ASO, EHCO) else [course]


def _application(
    conn: Connection, provider_id: str, person: Participant | None, course: str | None
) -> Application | None:
    """The caller's most recently created accepted application of the person for the course."""
    if person is None or course is None:
        return None
    query = (
        select(applications)
        .where(
            applications.c.participant_id == person.id,
            applications.c.lead_provider_id == provider_id,
            applications.c.status == ApplicationStatus.ACCEPTED.value,
            applications.c.course_identifier.in_(_courses(course)),
        )
        .order_by(applications.c.created_at.desc(), applications.c.id.desc())
    )
    row = conn.execute(query).mappings().first()
    return from_row(Application, row) if row else None


def _accepted_for(conn: Connection, person: Participant | None, course: str | None) -> bool:
    """Whether the person holds an accepted application for the course with any provider."""
    if person is None or course is None:
        return False
    query = select(applications.c.id).where(
        applications.c.participant_id == person.id,
        applications.c.status == ApplicationStatus.ACCEPTED.value,
        applications.c.course_identifier.in_(_courses(course)),
    )
    return conn.execute(query).first() is not None


def latest_change(
    conn: Connection, application_id: str, provider_id: str
) -> TrainingStatusChange | None:
    """The provider's most recent training-status history row for the application."""
    query = (
        select(training_status_changes)
        .where(
            training_status_changes.c.application_id == application_id,
            training_status_changes.c.lead_provider_id == provider_id,
        )
        .order_by(training_status_changes.c.created_at.desc(), training_status_changes.c.id.desc())
    )
    row = conn.execute(query).mappings().first()
    return from_row(TrainingStatusChange, row) if row else None


def _reposts(
    conn: Connection, provider_id: str, person_id: str, course: str, kind: Any
) -> list[Declaration]:
    """The caller's live declarations of this type for the person on exactly this course."""
    query = (
        select(declarations)
        .join(applications, applications.c.id == declarations.c.application_id)
        .where(
            applications.c.participant_id == person_id,
            applications.c.course_identifier == course,
            declarations.c.lead_provider_id == provider_id,
            declarations.c.declaration_type == str(kind),
            declarations.c.state.in_(_LIVE),
        )
        .order_by(declarations.c.created_at, declarations.c.id)
    )
    return [from_row(Declaration, row) for row in conn.execute(query).mappings()]


def _twins(
    conn: Connection, person: Participant, application: Application, kind: Any
) -> list[Declaration]:
    """Live, not superseded declarations of this type and course by others with this TRN."""
    if not person.trn:
        return []
    query = (
        select(declarations)
        .join(applications, applications.c.id == declarations.c.application_id)
        .join(participants, participants.c.id == applications.c.participant_id)
        .where(
            participants.c.trn == person.trn,
            participants.c.id != person.id,
            applications.c.course_identifier.in_(_courses(application.course_identifier)),
            declarations.c.declaration_type == str(kind),
            declarations.c.superseded_by_id.is_(None),
            declarations.c.state.in_(_LIVE),
        )
        .order_by(declarations.c.created_at, declarations.c.id)
    )
    return [from_row(Declaration, row) for row in conn.execute(query).mappings()]


def _partner_ids(given: dict[str, Any]) -> list[str]:
    names = ("delivery_partner_id", "secondary_delivery_partner_id")
    return [str(given[n]) for n in names if given.get(n) is not None and given[n] is not False]


def existing_partners(conn: Connection, ids: Iterable[str]) -> frozenset[str]:
    """Those of the ids that name a delivery partner."""
    wanted = list(ids)
    if not wanted:
        return frozenset()
    query = select(delivery_partners.c.id).where(delivery_partners.c.id.in_(wanted))
    return frozenset(conn.execute(query).scalars())


def partnered(conn: Connection, provider_id: str, cohort: str) -> frozenset[str]:
    """Ids of the delivery partners partnered with the provider in exactly this cohort."""
    query = select(delivery_partnerships.c.delivery_partner_id).where(
        delivery_partnerships.c.lead_provider_id == provider_id,
        delivery_partnerships.c.cohort == cohort,
    )
    return frozenset(conn.execute(query).scalars())


def move_item(conn: Connection, item: StatementItem, state: DeclarationState) -> None:
    """Set the state of the oldest stored item equal to `item`."""
    match = and_(
        statement_items.c.declaration_id == item.declaration_id,
        statement_items.c.statement_id == item.statement_id,
        statement_items.c.state == item.state.value,
    )
    first = select(statement_items.c.id).where(match).order_by(statement_items.c.id).limit(1)
    conn.execute(
        update(statement_items)
        .where(statement_items.c.id == first.scalar_subquery())
        .values(state=state.value)
    )


def result_declarations(
    conn: Connection, provider_id: str, person_id: str, course: str
) -> list[Declaration]:
    """The person's completed declarations for the course that can carry a result, newest first.

    Those the caller made, and those on an application the caller now owns.
    """
    query = (
        select(declarations)
        .join(applications, applications.c.id == declarations.c.application_id)
        .where(
            applications.c.participant_id == person_id,
            applications.c.course_identifier == course,
            or_(
                declarations.c.lead_provider_id == provider_id,
                applications.c.lead_provider_id == provider_id,
            ),
            declarations.c.declaration_type == "completed",
            declarations.c.state.in_([s.value for s in OUTCOME_DECLARATION_STATES]),
        )
        .order_by(declarations.c.created_at.desc(), declarations.c.id.desc())
    )
    return [from_row(Declaration, row) for row in conn.execute(query).mappings()]


def latest_outcome_on(conn: Connection, declaration_id: str) -> Outcome | None:
    query = (
        select(outcomes)
        .where(outcomes.c.declaration_id == declaration_id)
        .order_by(outcomes.c.created_at.desc(), outcomes.c.id.desc())
    )
    row = conn.execute(query).mappings().first()
    return from_row(Outcome, row) if row else None


def latest_outcome_of(
    conn: Connection, provider_id: str, person_id: str, course: str
) -> Outcome | None:
    """The person's newest outcome on declarations the provider made for the course."""
    query = (
        select(outcomes)
        .join(declarations, declarations.c.id == outcomes.c.declaration_id)
        .join(applications, applications.c.id == declarations.c.application_id)
        .where(
            applications.c.participant_id == person_id,
            applications.c.course_identifier == course,
            declarations.c.lead_provider_id == provider_id,
        )
        .order_by(outcomes.c.created_at.desc(), outcomes.c.id.desc())
    )
    row = conn.execute(query).mappings().first()
    return from_row(Outcome, row) if row else None
