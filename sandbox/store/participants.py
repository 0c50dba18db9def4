"""Participants as one lead provider sees them, with their enrolments and history rows.

A lead provider sees a participant iff it holds an accepted application for that person:
`accepted_with` and `visible_to` write that rule once, for every query that needs it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from npq_sandbox.domain.listing import Filters, Page, SortFields
from npq_sandbox.domain.records import (
    Application,
    Enrolment,
    Participant,
    ParticipantIdChange,
    ParticipantView,
    TrainingStatusChange,
)
from npq_sandbox.domain.states import ApplicationStatus
from npq_sandbox.store import derived
from npq_sandbox.store.paging import bounded_offset, is_deep, ordered, paged
from npq_sandbox.store.rows import among_param, first, ids_param, records, tuples
from npq_sandbox.store.schema import (
    applications,
    participant_id_changes,
    participants,
    training_status_changes,
)
from sqlalchemy import (
    ColumnElement,
    Connection,
    Exists,
    Select,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
)


def accepted_with(provider_id: str | ColumnElement[Any]) -> ColumnElement[bool]:
    """An application accepted with the provider: each one shows its person to the provider."""
    return and_(
        applications.c.lead_provider_id == provider_id,
        applications.c.status == ApplicationStatus.ACCEPTED,
    )


def visible_to(provider_id: str | ColumnElement[Any], person: Any = participants.c.id) -> Exists:
    """Whether the provider sees the person (a column or an id): it holds their acceptance."""
    return exists().where(applications.c.participant_id == person, accepted_with(provider_id))


def is_visible(conn: Connection, provider_id: str, participant_id: str) -> bool:
    """Tell whether the provider sees the participant, without loading them."""
    return bool(conn.execute(select(visible_to(provider_id, participant_id))).scalar())


def visible_participant(
    conn: Connection, provider_id: str, participant_id: str
) -> Participant | None:
    """The participant, if the provider sees them."""
    params = {"person": participant_id, "provider": provider_id}
    return first(conn, Participant, _VISIBLE_PARTICIPANT, params)


def find_participant(conn: Connection, participant_id: str) -> Participant | None:
    """Return any participant by id, whoever trains them."""
    return first(conn, Participant, select(participants).where(participants.c.id == participant_id))


def trn_taken(conn: Connection, trn: str) -> bool:
    """Tell whether any participant already has this TRN."""
    return bool(conn.scalar(select(exists().where(participants.c.trn == trn))))


def load_participants(conn: Connection, ids: Iterable[str]) -> dict[str, Participant]:
    """Return the participants with these ids, by id."""
    wanted = list(ids)
    if not wanted:
        return {}
    found = records(conn, Participant, _PARTICIPANTS, {"ids": ids_param(wanted)})
    return {person.id: person for person in found}


def id_change_from(conn: Connection, old_id: str) -> ParticipantIdChange | None:
    """Return the merge that retired `old_id`, whoever's participant it was."""
    return first(conn, ParticipantIdChange, _ID_CHANGE_FROM, {"old": old_id})


def latest_change(
    conn: Connection, application_id: str, provider_id: str
) -> TrainingStatusChange | None:
    """The provider's most recent training-status history row for the application."""
    params = {"application": application_id, "provider": provider_id}
    return first(conn, TrainingStatusChange, _LATEST_CHANGE, params)


# Statements a declaration POST runs, built once (values are bound parameters): building and
# keying a statement cost more than SQLite's running it.
_VISIBLE_PARTICIPANT = select(participants).where(
    participants.c.id == bindparam("person"), visible_to(bindparam("provider"))
)
_ID_CHANGE_FROM = (
    select(participant_id_changes)
    .where(participant_id_changes.c.from_participant_id == bindparam("old"))
    .order_by(participant_id_changes.c.created_at.desc())
)
_LATEST_CHANGE = (
    select(training_status_changes)
    .where(
        training_status_changes.c.application_id == bindparam("application"),
        training_status_changes.c.lead_provider_id == bindparam("provider"),
    )
    .order_by(training_status_changes.c.created_at.desc(), training_status_changes.c.id.desc())
)

_STORED = select(
    participants.c.id,
    derived.body_of(derived.PARTICIPANT, bindparam("provider"), participants.c.id),
).where(participants.c.id == bindparam("person"), visible_to(bindparam("provider")))

# A page's batch lookups, by the page's ids (a JSON array), built once likewise.
_PARTICIPANTS = select(participants).where(among_param(participants.c.id, "ids"))
# Enrolments' e-mails are their people's, already on the page: no join to participants.
_ENROLMENTS = select(applications).where(
    among_param(applications.c.participant_id, "ids"), accepted_with(bindparam("provider"))
)
_LATEST_CHANGES = (
    select(training_status_changes)
    .where(
        among_param(training_status_changes.c.application_id, "ids"),
        training_status_changes.c.lead_provider_id == bindparam("provider"),
    )
    .order_by(training_status_changes.c.created_at, training_status_changes.c.id)
)
_ID_CHANGES = (
    select(participant_id_changes)
    .where(among_param(participant_id_changes.c.participant_id, "ids"))
    .order_by(participant_id_changes.c.created_at.desc(), participant_id_changes.c.id)
)
_TOUCHED = (
    select(applications.c.participant_id, func.max(applications.c.updated_at))
    .where(among_param(applications.c.participant_id, "ids"))
    .group_by(applications.c.participant_id)
)


def page_rows(
    conn: Connection, provider_id: str, filters: Filters, page: Page, sort: SortFields | None
) -> derived.Rows:
    """One page of the people the provider sees, each with its stored body (or None)."""
    if filters == Filters() and sort is None:  # the whole list in its own order: an index range
        return derived.participants_page(conn, provider_id, page.size, bounded_offset(page))
    ids = page_ids(conn, provider_id, filters, page, sort)
    return derived.with_bodies(conn, derived.PARTICIPANT, provider_id, ids)


def page_ids(
    conn: Connection, provider_id: str, filters: Filters, page: Page, sort: SortFields | None
) -> list[str]:
    """The ids of one page of the people with an accepted application with the provider."""
    query = _filtered(select(participants.c.id), provider_id, filters, deep=is_deep(page))
    query = ordered(query, participants, sort, [participants.c.created_at, participants.c.id])
    return list(conn.scalars(paged(query, page)).all())


def views_of(
    conn: Connection, provider_id: str, ids: list[str], training_status: str | None = None
) -> list[ParticipantView]:
    """These people (the provider sees each) as the provider sees them, in this order.

    With a `training_status` (a list's filter), only enrolments in that status are shown.
    """
    found = load_participants(conn, ids)
    return _views(conn, provider_id, [found[i] for i in ids], training_status)


def stored(conn: Connection, provider_id: str, participant_id: str) -> derived.Found:
    """Whether the provider sees the person, and their stored body as the provider sees them."""
    return derived.found(conn, _STORED, {"person": participant_id, "provider": provider_id})


def get_participant(
    conn: Connection, provider_id: str, participant_id: str
) -> ParticipantView | None:
    """Return one person the provider sees, or None."""
    if not is_visible(conn, provider_id, participant_id):
        return None
    return views_of(conn, provider_id, [participant_id])[0]


def _seen_by(provider_id: str, training_status: str | None = None, *, deep: bool = False) -> Any:
    """People the provider sees, optionally through an application in this training status.

    Shallow pages walk everyone in list order, testing each; deep ones start from the
    provider's accepted applications and sort those people, so depth costs nothing extra.
    """
    if deep:
        accepted = select(applications.c.participant_id).where(accepted_with(provider_id))
        if training_status is not None:
            accepted = accepted.where(applications.c.training_status == training_status)
        return participants.c.id.in_(accepted)
    condition = visible_to(provider_id)
    if training_status is not None:
        condition = condition.where(applications.c.training_status == training_status)
    return condition


def _filtered(
    query: Select[Any], provider_id: str, filters: Filters, *, deep: bool = False
) -> Select[Any]:
    query = query.where(_seen_by(provider_id, filters.training_status, deep=deep))
    if filters.from_participant_id is not None:
        query = query.where(
            exists().where(
                participant_id_changes.c.participant_id == participants.c.id,
                participant_id_changes.c.from_participant_id == filters.from_participant_id,
            )
        )
    if filters.updated_since is not None:
        since = filters.updated_since
        query = query.where(
            or_(
                participants.c.updated_at >= since,
                exists().where(
                    applications.c.participant_id == participants.c.id,
                    applications.c.updated_at >= since,
                ),
                exists().where(
                    participant_id_changes.c.participant_id == participants.c.id,
                    participant_id_changes.c.updated_at >= since,
                ),
            )
        )
    return query


def _views(
    conn: Connection, provider_id: str, found: list[Participant], training_status: str | None
) -> list[ParticipantView]:
    ids = [p.id for p in found]
    emails = {person.id: person.email for person in found}
    enrolments = _enrolments(conn, provider_id, emails, training_status)
    changes = _id_changes(conn, ids)
    touched = _applications_touched(conn, ids) if training_status is None else {}
    views = []
    for person in found:
        mine, merged = enrolments[person.id], changes[person.id]
        stamps = [
            person.updated_at,
            *(c.updated_at for c in merged),
            *(e.application.updated_at for e in mine),
        ]
        if person.id in touched:
            stamps.append(touched[person.id])
        views.append(ParticipantView(person, tuple(mine), tuple(merged), max(stamps)))
    return views


def _enrolments(
    conn: Connection, provider_id: str, emails: dict[str, str | None], training_status: str | None
) -> dict[str, list[Enrolment]]:
    """The provider's enrolments of these people (their e-mails by id), oldest first."""
    query = _ENROLMENTS
    if training_status is not None:
        query = query.where(applications.c.training_status == training_status)
    params = {"ids": ids_param(emails), "provider": provider_id}
    # Sorted here: an ORDER BY would lead SQLite to walk all the provider's applications in
    # date order instead of looking up these few people's.
    found = sorted(records(conn, Application, query, params), key=_by_creation)
    latest = _latest_changes(conn, provider_id, [application.id for application in found])
    by_person: dict[str, list[Enrolment]] = defaultdict(list)
    for application in found:
        person = application.participant_id
        by_person[person].append(Enrolment(application, emails[person], latest.get(application.id)))
    return by_person


def _by_creation(application: Application) -> tuple[datetime, str]:
    return application.created_at, application.id


def _latest_changes(
    conn: Connection, provider_id: str, application_ids: list[str]
) -> dict[str, TrainingStatusChange]:
    """The provider's most recent training-status change of each application."""
    params = {"ids": ids_param(application_ids), "provider": provider_id}
    found = records(conn, TrainingStatusChange, _LATEST_CHANGES, params)
    return {change.application_id: change for change in found}


def _id_changes(conn: Connection, ids: list[str]) -> dict[str, list[ParticipantIdChange]]:
    by_person: dict[str, list[ParticipantIdChange]] = defaultdict(list)
    for change in records(conn, ParticipantIdChange, _ID_CHANGES, {"ids": ids_param(ids)}):
        by_person[change.participant_id].append(change)
    return by_person


def _applications_touched(conn: Connection, ids: list[str]) -> dict[str, datetime]:
    """Latest `updated_at` over all of each person's applications, any provider or status."""
    rows = tuples(conn, _TOUCHED, {"ids": ids_param(ids)})
    return {participant_id: latest for participant_id, latest in rows}


def held_by(conn: Connection, provider_id: str, participant_id: str) -> Participant | None:
    """The person, if the provider holds an application of theirs in any status."""
    held = exists().where(
        applications.c.participant_id == participants.c.id,
        applications.c.lead_provider_id == provider_id,
    )
    query = select(participants).where(participants.c.id == participant_id, held)
    return first(conn, Participant, query)


def id_changes_of(conn: Connection, participant_id: str) -> list[ParticipantIdChange]:
    """Return the id changes the person owns, newest first (as DfE lists them)."""
    return _id_changes(conn, [participant_id])[participant_id]


def email_taken(conn: Connection, email: Any, participant_id: str) -> bool:
    """Tell whether someone other than the participant has this e-mail."""
    query = exists().where(participants.c.email == email, participants.c.id != participant_id)
    return isinstance(email, str) and bool(conn.scalar(select(query)))
