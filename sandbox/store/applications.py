"""Reading applications as one lead provider sees them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, or_, select

from sandbox.domain.funding import is_previously_funded
from sandbox.domain.listing import Filters, Page, SortFields
from sandbox.domain.records import Application, ApplicationView, Participant
from sandbox.store.paging import ordered, paged, start_year
from sandbox.store.participants import load_participants
from sandbox.store.rows import from_row
from sandbox.store.schema import applications, participants


def list_applications(
    conn: Connection, provider_id: str, filters: Filters, page: Page, sort: SortFields | None
) -> list[ApplicationView]:
    """Return one page of the provider's applications, in any status."""
    query = _filtered(select(applications), provider_id, filters)
    query = ordered(query, applications, sort, [applications.c.created_at, applications.c.id])
    rows = conn.execute(paged(query, page)).mappings().all()
    return _views(conn, [from_row(Application, row) for row in rows])


def get_application(
    conn: Connection, provider_id: str, application_id: str
) -> ApplicationView | None:
    """Return one of the provider's applications, or None if it is not theirs."""
    query = select(applications).where(
        applications.c.id == application_id, applications.c.lead_provider_id == provider_id
    )
    row = conn.execute(query).mappings().first()
    return _views(conn, [from_row(Application, row)])[0] if row else None


def _filtered(query: Select[Any], provider_id: str, filters: Filters) -> Select[Any]:
    query = query.where(applications.c.lead_provider_id == provider_id)
    if filters.cohort_years is not None:
        years = [str(y) for y in filters.cohort_years]
        query = query.where(start_year(applications.c.cohort).in_(years))
    if filters.participant_ids is not None:
        query = query.where(applications.c.participant_id.in_(filters.participant_ids))
    if filters.updated_since is not None:
        person = select(participants.c.id).where(participants.c.updated_at >= filters.updated_since)
        query = query.where(
            or_(
                applications.c.updated_at >= filters.updated_since,
                applications.c.participant_id.in_(person),
            )
        )
    return query


def _views(conn: Connection, found: Sequence[Application]) -> list[ApplicationView]:
    """Attach each application's person and their other applications' funding."""
    people = load_participants(conn, {a.participant_id for a in found})
    others = applications_of(conn, people.keys())
    return [_view(a, people[a.participant_id], others[a.participant_id]) for a in found]


def _view(
    application: Application, person: Participant, others: list[Application]
) -> ApplicationView:
    return ApplicationView(application, person, is_previously_funded(application, others))


def applications_of(conn: Connection, participant_ids: Any) -> dict[str, list[Application]]:
    """Every application (any provider, any status) of the given people."""
    ids = list(participant_ids)
    by_person: dict[str, list[Application]] = defaultdict(list)
    if not ids:
        return by_person
    rows = conn.execute(select(applications).where(applications.c.participant_id.in_(ids)))
    for row in rows.mappings():
        by_person[row["participant_id"]].append(from_row(Application, row))
    return by_person
