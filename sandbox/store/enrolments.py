"""Loading what a participant action decides on: the enrolment it acts on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, exists, select

from sandbox.domain.records import Application
from sandbox.domain.states import ApplicationStatus
from sandbox.store.rows import from_row
from sandbox.store.schema import applications


def is_visible(conn: Connection, provider_id: str, participant_id: str) -> bool:
    """Tell whether the provider sees the participant: they hold an accepted application."""
    query = select(
        exists().where(
            applications.c.participant_id == participant_id,
            applications.c.lead_provider_id == provider_id,
            applications.c.status == ApplicationStatus.ACCEPTED,
        )
    )
    return bool(conn.execute(query).scalar())


def accepted_for_course(
    conn: Connection, provider_id: str, participant_id: str, course_identifier: Any
) -> Application | None:
    """The provider's accepted application of the participant for exactly that course, or None.

    Only the exact course counts (no ASO/EHCO matching), as in DfE's participant actions. A
    person may hold several such places in different cohorts; DfE then takes whichever row the
    database returns first, so the sandbox picks one deterministically: the most recently
    accepted.
    """
    if not isinstance(course_identifier, str):
        return None
    query = (
        select(applications)
        .where(
            applications.c.participant_id == participant_id,
            applications.c.lead_provider_id == provider_id,
            applications.c.status == ApplicationStatus.ACCEPTED,
            applications.c.course_identifier == course_identifier,
        )
        .order_by(
            applications.c.accepted_at.desc(),
            applications.c.created_at.desc(),
            applications.c.id,
        )
    )
    row = conn.execute(query).mappings().first()
    return from_row(Application, row) if row else None
