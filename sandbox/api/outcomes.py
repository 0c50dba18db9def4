"""/participants/npq/outcomes and /participants/npq/{id}/outcomes: list and record results."""

from __future__ import annotations

import uuid
from dataclasses import replace

from flask import Blueprint, Response
from npq_sandbox.api import body, query, serializers
from npq_sandbox.api.clock import now
from npq_sandbox.api.context import connection, params, provider
from npq_sandbox.api.participants import refuse_merged_id
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain import outcomes as rules
from npq_sandbox.domain.errors import NotFound
from npq_sandbox.domain.listing import Filters
from npq_sandbox.domain.records import OutcomeView
from npq_sandbox.store import declarations, participants, writes
from npq_sandbox.store import outcomes as store

bp = Blueprint("outcomes", __name__)
OUTCOME_ATTRIBUTES = ("course_identifier", "state", "completion_date")


@bp.get("/participants/npq/outcomes")
def list_outcomes() -> Response:
    filters = Filters(created_since=query.date_filter(query.filters(params()), "created_since"))
    views = store.list_outcomes(connection(), provider().id, filters, query.page(params()))
    return render([serializers.outcome(v) for v in views])


@bp.get("/participants/npq/<participant_id>/outcomes")
def list_participant_outcomes(participant_id: str) -> Response:
    refuse_merged_id(participant_id)
    if not participants.is_visible(connection(), provider().id, participant_id):
        raise NotFound()
    views = store.list_outcomes(
        connection(), provider().id, Filters(), query.page(params()), participant_id=participant_id
    )
    return render([serializers.outcome(v) for v in views])


@bp.post("/participants/npq/<participant_id>/outcomes")
def create_outcome(participant_id: str) -> Response:
    given = body.attributes(OUTCOME_ATTRIBUTES)
    conn, caller, moment = connection(), provider().id, now()
    found_or_404(participants.visible_participant(conn, caller, participant_id))
    course = given.get("course_identifier")
    found = declarations.result_declarations(conn, caller, participant_id, str(course))
    latest = store.latest_outcome_on(conn, found[0].id) if found else None
    outcome = rules.record(given, found, latest, outcome_id=str(uuid.uuid4()), now=moment)
    if latest is None or outcome.id != latest.id:
        writes.save(conn, outcome)
        # A new result shows on the declaration, so `updated_since` polls must see it.
        writes.save(conn, replace(found[0], updated_at=moment))
    view = OutcomeView(outcome, participant_id, str(course))
    return render(serializers.outcome(view))
