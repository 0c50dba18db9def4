"""/participants/npq: list, show, defer, resume, withdraw and change schedule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, Response
from npq_sandbox.api import body, query, serializers, stored
from npq_sandbox.api.clock import now
from npq_sandbox.api.context import connection, params, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain import participants as rules
from npq_sandbox.domain.errors import NotFound, ParticipantIdChanged
from npq_sandbox.domain.listing import Filters
from npq_sandbox.domain.records import Application, Declaration
from npq_sandbox.domain.states import TrainingStatus
from npq_sandbox.store import applications, contracts, derived, writes
from npq_sandbox.store import declarations as declaration_store
from npq_sandbox.store import participants as store
from sqlalchemy import Connection

bp = Blueprint("participants", __name__)
TRAINING_STATUSES = tuple(s.value for s in TrainingStatus)
WITH_REASON = ("course_identifier", "reason")
COURSE_ONLY = ("course_identifier",)
SCHEDULE_ATTRIBUTES = ("schedule_identifier", "course_identifier", "cohort")


@bp.get("/participants/npq")
def list_participants() -> Response:
    given = query.filters(params())
    filters = Filters(  # DfE's order: updated_since (400), then training_status (422)
        updated_since=query.date_filter(given, "updated_since"),
        training_status=query.choice_filter(given, "training_status", TRAINING_STATUSES),
        from_participant_id=query.text_filter(given, "from_participant_id"),
    )
    conn, caller = connection(), provider().id
    page, sort = query.page(params()), query.sort(params())
    if filters.training_status is not None:  # it narrows what each person shows: built afresh
        ids = store.page_ids(conn, caller, filters, page, sort)
        views = store.views_of(conn, caller, ids, filters.training_status)
        return render([serializers.participant(v) for v in views])
    rows = store.page_rows(conn, caller, filters, page, sort)
    return stored.listing(derived.PARTICIPANT, caller, rows, _resources)


@bp.get("/participants/npq/<participant_id>")
def get_participant(participant_id: str) -> Response:
    refuse_merged_id(participant_id)
    caller = provider().id
    found = store.stored(connection(), caller, participant_id)
    return stored.one(derived.PARTICIPANT, caller, participant_id, found, _resources)


def _resources(ids: list[str]) -> list[dict[str, Any]]:
    views = store.views_of(connection(), provider().id, ids)
    return [serializers.participant(v) for v in views]


@bp.put("/participants/npq/<participant_id>/defer")
def defer_participant(participant_id: str) -> Response:
    conn, given, found, declarations = _load(participant_id, WITH_REASON)
    change = rules.defer(found, given, declarations=declarations, now=now())
    return _record(conn, change, participant_id)


@bp.put("/participants/npq/<participant_id>/resume")
def resume_participant(participant_id: str) -> Response:
    conn, given, found, _ = _load(participant_id, COURSE_ONLY)
    change = rules.resume(found, given, now=now())
    return _record(conn, change, participant_id)


@bp.put("/participants/npq/<participant_id>/withdraw")
def withdraw_participant(participant_id: str) -> Response:
    conn, given, found, declarations = _load(participant_id, WITH_REASON)
    change = rules.withdraw(found, given, declarations=declarations, now=now())
    return _record(conn, change, participant_id)


@bp.put("/participants/npq/<participant_id>/change-schedule")
def change_participant_schedule(participant_id: str) -> Response:
    conn, given, found, declarations = _load(participant_id, SCHEDULE_ATTRIBUTES)
    held = contracts.contracts_of(conn, provider().id)
    changed = rules.change_schedule(
        found, given, declarations=declarations, contracts=held, now=now()
    )
    writes.save(conn, changed)
    return _render(conn, participant_id)


def _load(
    participant_id: str, permitted: Iterable[str]
) -> tuple[Connection, dict[str, Any], Application | None, list[Declaration]]:
    """Read the body (400 first, even for an unknown id), then find the participant (404).

    Then load the caller's accepted application for the requested course, if any, and every
    declaration on it whoever made them. There is no 410 for merged ids on these PUTs.
    """
    given = body.attributes(permitted)
    conn, caller = connection(), provider().id
    if not store.is_visible(conn, caller, participant_id):
        raise NotFound()
    course = given.get("course_identifier")
    found = applications.accepted_for_course(conn, caller, participant_id, course)
    declarations = declaration_store.declarations_on_application(conn, found.id) if found else []
    return conn, given, found, declarations


def _record(conn: Connection, change: rules.StatusChange, participant_id: str) -> Response:
    """Save the new training status with its history row, and answer with the participant."""
    writes.save(conn, change.application)
    writes.add(conn, change.history)
    return _render(conn, participant_id)


def _render(conn: Connection, participant_id: str) -> Response:
    view = found_or_404(store.get_participant(conn, provider().id, participant_id))
    return render(serializers.participant(view))


def refuse_merged_id(participant_id: str) -> None:
    """Answer 410 for an id merged into another participant, whoever asks."""
    change = store.id_change_from(connection(), participant_id)
    if change is not None:
        raise ParticipantIdChanged(change)
