"""Loading the records a write operation decides on."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, and_, or_, select

from sandbox.domain.records import Application, Declaration, Statement, StatementItem
from sandbox.domain.states import StatementState
from sandbox.store.rows import from_row
from sandbox.store.schema import (
    applications,
    declarations,
    participants,
    statement_items,
    statements,
)


def find_application(conn: Connection, provider_id: str, application_id: str) -> Application | None:
    """Return one of the provider's applications, or None."""
    query = select(applications).where(
        applications.c.id == application_id, applications.c.lead_provider_id == provider_id
    )
    row = conn.execute(query).mappings().first()
    return from_row(Application, row) if row else None


def related_applications(conn: Connection, application: Application) -> list[Application]:
    """Every other application of the same person, or of anyone sharing their verified TRN."""
    person = conn.execute(
        select(participants.c.trn, participants.c.trn_verified).where(
            participants.c.id == application.participant_id
        )
    ).first()
    same_person = applications.c.participant_id == application.participant_id
    who = same_person
    if person is not None and person.trn_verified and person.trn:
        twins = select(participants.c.id).where(
            and_(participants.c.trn == person.trn, participants.c.trn_verified.is_(True))
        )
        who = or_(same_person, applications.c.participant_id.in_(twins))
    query = select(applications).where(who, applications.c.id != application.id)
    return [from_row(Application, row) for row in conn.execute(query).mappings()]


def declarations_on(conn: Connection, application_id: str) -> list[Declaration]:
    """Every declaration on an application, whoever made it, oldest first."""
    query = (
        select(declarations)
        .where(declarations.c.application_id == application_id)
        .order_by(declarations.c.created_at, declarations.c.id)
    )
    return [from_row(Declaration, row) for row in conn.execute(query).mappings()]


def next_output_fee_statement(
    conn: Connection, provider_id: str, cohort: str, today: date
) -> Statement | None:
    """Return where DfE attaches a new payment or clawback: the provider's next statement.

    That is the earliest open output-fee statement of the cohort whose deadline is today or
    later (DfE's `LeadProvider#next_output_fee_statement`).
    """
    query = (
        select(statements)
        .where(
            statements.c.lead_provider_id == provider_id,
            statements.c.cohort == cohort,
            statements.c.output_fee.is_(True),
            statements.c.state == StatementState.OPEN.value,
            statements.c.deadline_date >= today,
        )
        .order_by(statements.c.deadline_date, statements.c.id)
    )
    row = conn.execute(query).mappings().first()
    return from_row(Statement, row) if row else None


def items_of(conn: Connection, declaration_id: str) -> list[StatementItem]:
    """Return a declaration's statement items, oldest first."""
    query = (
        select(statement_items)
        .where(statement_items.c.declaration_id == declaration_id)
        .order_by(statement_items.c.id)
    )
    return [from_row(StatementItem, row) for row in conn.execute(query).mappings()]
