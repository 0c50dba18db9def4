"""GET /participants/npq/outcomes and /participants/npq/{id}/outcomes."""

from __future__ import annotations

from flask import Blueprint, Response

from sandbox.api import query, serializers
from sandbox.api.context import connection, params, provider
from sandbox.api.participants import refuse_merged_id
from sandbox.api.render import found_or_404, render
from sandbox.domain.listing import Filters
from sandbox.store import outcomes as store
from sandbox.store.participants import get_participant

bp = Blueprint("outcomes", __name__)


@bp.get("/participants/npq/outcomes")
def list_outcomes() -> Response:
    filters = Filters(created_since=query.date_filter(query.filters(params()), "created_since"))
    views = store.list_outcomes(connection(), provider().id, filters, query.page(params()))
    return render([serializers.outcome(v) for v in views])


@bp.get("/participants/npq/<participant_id>/outcomes")
def list_participant_outcomes(participant_id: str) -> Response:
    refuse_merged_id(participant_id)
    found_or_404(get_participant(connection(), provider().id, participant_id))
    views = store.list_outcomes(
        connection(), provider().id, Filters(), query.page(params()), participant_id=participant_id
    )
    return render([serializers.outcome(v) for v in views])
