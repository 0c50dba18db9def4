"""Loading the records a write operation decides on."""

from __future__ import annotations

from sqlalchemy import Connection, and_, or_, select

from sandbox.domain.records import Application, Declaration
from sandbox.store.rows import from_row
from sandbox.store.schema import applications, declarations, participants


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
