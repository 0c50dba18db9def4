"""GET /participant-declarations and /participant-declarations/{id}."""

from __future__ import annotations

from flask import Blueprint, Response

from sandbox.api import query, serializers
from sandbox.api.context import connection, params, provider
from sandbox.api.render import found_or_404, render
from sandbox.domain.listing import Filters
from sandbox.store import declarations as store

bp = Blueprint("declarations", __name__)


@bp.get("/participant-declarations")
def list_declarations() -> Response:
    given = query.filters(params())
    filters = Filters(  # DfE's order: updated_since, then participant_id
        updated_since=query.date_filter(given, "updated_since"),
        participant_ids=query.uuid_list_filter(given, "participant_id"),
        cohort_years=query.year_list_filter(given),
    )
    views = store.list_declarations(connection(), provider().id, filters, query.page(params()))
    return render([serializers.declaration(v) for v in views])


@bp.get("/participant-declarations/<declaration_id>")
def get_declaration(declaration_id: str) -> Response:
    view = found_or_404(store.get_declaration(connection(), provider().id, declaration_id))
    return render(serializers.declaration(view))
