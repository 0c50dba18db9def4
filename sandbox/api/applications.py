"""GET /npq-applications and /npq-applications/{id}."""

from __future__ import annotations

from flask import Blueprint, Response

from sandbox.api import query, serializers
from sandbox.api.context import connection, params, provider
from sandbox.api.render import found_or_404, render
from sandbox.domain.listing import Filters
from sandbox.store import applications as store

bp = Blueprint("applications", __name__)


@bp.get("/npq-applications")
def list_applications() -> Response:
    given = query.filters(params())
    filters = Filters(  # evaluated in DfE's order: participant_id, then updated_since
        participant_ids=query.uuid_list_filter(given, "participant_id"),
        updated_since=query.date_filter(given, "updated_since"),
        cohort_years=query.year_list_filter(given),
    )
    views = store.list_applications(
        connection(), provider().id, filters, query.page(params()), query.sort(params())
    )
    return render([serializers.application(v) for v in views])


@bp.get("/npq-applications/<application_id>")
def get_application(application_id: str) -> Response:
    view = found_or_404(store.get_application(connection(), provider().id, application_id))
    return render(serializers.application(view))
