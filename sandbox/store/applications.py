"""Applications: as one lead provider sees them, and the ones its writes decide on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from npq_sandbox.domain.funding import is_previously_funded
from npq_sandbox.domain.listing import Filters, Page, SortFields
from npq_sandbox.domain.records import Application, ApplicationView, Participant
from npq_sandbox.domain.reference import ASO, EHCO
from npq_sandbox.domain.states import ApplicationStatus
from npq_sandbox.store import derived
from npq_sandbox.store.paging import bounded_offset, ordered, paged, start_year
from npq_sandbox.store.participants import accepted_with, load_participants
from npq_sandbox.store.rows import among_param, first, ids_param, records
from npq_sandbox.store.schema import applications, participants, training_status_changes
from sqlalchemy import Connection, Select, and_, bindparam, delete, or_, select


def page_rows(
    conn: Connection, provider_id: str, filters: Filters, page: Page, sort: SortFields | None
) -> derived.Rows:
    """One page of the provider's applications, each with its stored body (or None)."""
    if filters == Filters() and sort is None:  # the whole list, in one statement
        return derived.applications_page(conn, provider_id, page.size, bounded_offset(page))
    ids = page_ids(conn, provider_id, filters, page, sort)
    return derived.with_bodies(conn, derived.APPLICATION, derived.ANYONE, ids)


def page_ids(
    conn: Connection, provider_id: str, filters: Filters, page: Page, sort: SortFields | None
) -> list[str]:
    """The ids of one page of the provider's applications, in any status."""
    query = _filtered(select(applications.c.id), provider_id, filters)
    query = ordered(query, applications, sort, [applications.c.created_at, applications.c.id])
    return list(conn.scalars(paged(query, page)).all())


def views_of(conn: Connection, ids: list[str]) -> list[ApplicationView]:
    """These applications with their people, in this order."""
    found = {a.id: a for a in records(conn, Application, _BY_IDS, {"ids": ids_param(ids)})}
    return _views(conn, [found[i] for i in ids])


def get_application(
    conn: Connection, provider_id: str, application_id: str
) -> ApplicationView | None:
    """Return one of the provider's applications, or None if it is not theirs."""
    found = find_application(conn, provider_id, application_id)
    return _views(conn, [found])[0] if found else None


def stored(conn: Connection, provider_id: str, application_id: str) -> derived.Found:
    """Whether the application is the provider's, and its stored body."""
    return derived.found(conn, _STORED, {"application": application_id, "provider": provider_id})


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
    params = {"people": ids_param(ids)}
    for application in records(conn, Application, _APPLICATIONS_OF, params):
        by_person[application.participant_id].append(application)
    return by_person


def find_application(conn: Connection, provider_id: str, application_id: str) -> Application | None:
    """Return one of the provider's applications, or None."""
    params = {"application": application_id, "provider": provider_id}
    return first(conn, Application, _FIND_APPLICATION, params)


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
    return records(conn, Application, query)


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
            accepted_with(provider_id),
            applications.c.course_identifier == course_identifier,
        )
        .order_by(
            applications.c.accepted_at.desc(),
            applications.c.created_at.desc(),
            applications.c.id,
        )
    )
    return first(conn, Application, query)


def accepted_for_declaration(
    found: Iterable[Application], provider_id: str, course: str | None
) -> Application | None:
    """The provider's most recently created accepted application for the course, among `found`.

    `found` is every application of one person (`applications_of`): a declaration POST reads
    them once and picks from them, instead of asking the database three times.
    """
    if course is None:
        return None
    courses = course_and_rebrand(course)
    mine = [
        a
        for a in found
        if a.lead_provider_id == provider_id
        and a.status == ApplicationStatus.ACCEPTED
        and a.course_identifier in courses
    ]
    return max(mine, key=_by_creation, default=None)


def accepted_anywhere(found: Iterable[Application], course: str) -> bool:
    """Whether any of `found` (one person's applications) is accepted for the course."""
    courses = course_and_rebrand(course)
    return any(
        a.status == ApplicationStatus.ACCEPTED and a.course_identifier in courses for a in found
    )


def _by_creation(application: Application) -> tuple[datetime, str]:
    return application.created_at, application.id


# Statements a declaration POST runs, built once (values are bound parameters): building and
# keying a statement cost more than SQLite's running it.
_FIND_APPLICATION = select(applications).where(
    applications.c.id == bindparam("application"),
    applications.c.lead_provider_id == bindparam("provider"),
)
_STORED = select(
    applications.c.id, derived.body_of(derived.APPLICATION, derived.ANYONE, applications.c.id)
).where(
    applications.c.id == bindparam("application"),
    applications.c.lead_provider_id == bindparam("provider"),
)
_BY_IDS = select(applications).where(among_param(applications.c.id, "ids"))
_APPLICATIONS_OF = select(applications).where(among_param(applications.c.participant_id, "people"))


def course_and_rebrand(course: str) -> list[str]:
    """A course and its rebranded alternative (ASO and EHCO count as one)."""
    return [ASO, EHCO] if course in (ASO, EHCO) else [course]


def clear_training_history(conn: Connection, application_id: str) -> None:
    """Delete the application's training-status history (DfE's revert to pending does)."""
    history = training_status_changes
    conn.execute(delete(history).where(history.c.application_id == application_id))
