"""/sandbox/participants: DfE's admin operations on a person (edit, archive, merge).

The caller acts on people it holds an application for, in any status. A merge needs the caller
to hold an application of at least one of the two people; the other may be anyone's, since DfE
merges the duplicate records of one person whoever trains them. Each answers the person in a
sandbox resource (the caller may not see them as an /api/v3 participant).

Rules: docs/rules.md §18.10 and §18.11.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response
from npq_sandbox.api import body, serializers
from npq_sandbox.api.clock import now
from npq_sandbox.api.context import connection, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain import messages as m
from npq_sandbox.domain import people as rules
from npq_sandbox.domain.errors import Problems, ValidationFailed
from npq_sandbox.domain.records import Participant
from npq_sandbox.store import participants as store
from npq_sandbox.store import writes
from npq_sandbox.store.applications import applications_of
from sqlalchemy import Connection

bp = Blueprint("control_people", __name__)


@bp.post("/participants/merge")
def merge_participants() -> Response:
    from_id, to_id = rules.check_merge(body.attributes(rules.MERGE))
    conn, caller = connection(), provider().id
    source, kept = _live(conn, from_id, to_id)
    if not (store.held_by(conn, caller, from_id) or store.held_by(conn, caller, to_id)):
        raise ValidationFailed([("base", m.SANDBOX_MERGE_NOT_YOURS)])
    merged = rules.merge(
        source,
        kept,
        applications=applications_of(conn, [source.id])[source.id],
        id_changes=store.id_changes_of(conn, source.id),
        change_id=str(uuid.uuid4()),
        now=now(),
    )
    writes.save(conn, merged.archived, *merged.applications, *merged.id_changes)
    return render(_person(conn, kept))


def _live(conn: Connection, from_id: str, to_id: str) -> tuple[Participant, Participant]:
    """Load both people; an unknown or merged-away id is refused by name."""
    problems = Problems()
    found = []
    for name, person_id in zip(rules.MERGE, (from_id, to_id), strict=True):
        person = store.find_participant(conn, person_id)
        if person is None or store.id_change_from(conn, person_id) is not None:
            problems.add(name, m.sandbox_no_participant(name))
        found.append(person)
    problems.raise_any()
    assert found[0] is not None and found[1] is not None  # checked above
    return found[0], found[1]


@bp.put("/participants/<participant_id>")
def edit_participant(participant_id: str) -> Response:
    given = body.attributes(rules.EDIT)
    conn = connection()
    person = found_or_404(store.held_by(conn, provider().id, participant_id))
    taken = store.email_taken(conn, given.get("email"), person.id)
    edited = rules.edit(person, given, email_taken=taken, now=now())
    writes.save(conn, edited)
    return render(_person(conn, edited))


@bp.post("/participants/<participant_id>/archive")
def archive_participant(participant_id: str) -> Response:
    conn = connection()
    person = found_or_404(store.held_by(conn, provider().id, participant_id))
    archived = rules.archive(person, now=now())
    writes.save(conn, archived)
    return render(_person(conn, archived))


def _person(conn: Connection, person: Participant) -> dict[str, Any]:
    fresh = found_or_404(store.find_participant(conn, person.id))
    changes = store.id_changes_of(conn, person.id)
    attributes = {
        "full_name": fresh.full_name,
        "email": fresh.email,
        "trn": fresh.trn,
        "trn_verified": fresh.trn_verified,
        "previous_names": list(fresh.previous_names),
        "participant_id_changes": [serializers.id_change(c) for c in changes],
        "created_at": serializers.timestamp(fresh.created_at),
        "updated_at": serializers.timestamp(fresh.updated_at),
    }
    return serializers.resource("sandbox-participant", fresh.id, attributes)
