"""GET /participants/npq and /participants/npq/{id}."""

from __future__ import annotations

from flask import Blueprint, Response

from sandbox.api import query, serializers
from sandbox.api.context import connection, params, provider
from sandbox.api.render import found_or_404, render
from sandbox.domain.errors import ParticipantIdChanged
from sandbox.domain.listing import Filters
from sandbox.domain.states import TrainingStatus
from sandbox.store import participants as store

bp = Blueprint("participants", __name__)
TRAINING_STATUSES = tuple(s.value for s in TrainingStatus)


@bp.get("/participants/npq")
def list_participants() -> Response:
    given = query.filters(params())
    filters = Filters(  # DfE's order: updated_since (400), then training_status (422)
        updated_since=query.date_filter(given, "updated_since"),
        training_status=query.choice_filter(given, "training_status", TRAINING_STATUSES),
        from_participant_id=query.text_filter(given, "from_participant_id"),
    )
    views = store.list_participants(
        connection(), provider().id, filters, query.page(params()), query.sort(params())
    )
    return render([serializers.participant(v) for v in views])


@bp.get("/participants/npq/<participant_id>")
def get_participant(participant_id: str) -> Response:
    refuse_merged_id(participant_id)
    view = found_or_404(store.get_participant(connection(), provider().id, participant_id))
    return render(serializers.participant(view))


def refuse_merged_id(participant_id: str) -> None:
    """Answer 410 for an id merged into another participant, whoever asks."""
    change = store.id_change_from(connection(), participant_id)
    if change is not None:
        raise ParticipantIdChanged(change)
