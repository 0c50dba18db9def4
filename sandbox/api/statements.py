"""GET /statements and /statements/{id}."""

from __future__ import annotations

from flask import Blueprint, Response
from npq_sandbox.api import query, serializers
from npq_sandbox.api.context import connection, params, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain.listing import Filters
from npq_sandbox.store import statements as store

bp = Blueprint("statements", __name__)


def _filters() -> Filters:
    given = query.filters(params())
    return Filters(
        updated_since=query.date_filter(given, "updated_since"),
        cohort_years=query.year_list_filter(given),
    )


@bp.get("/statements")
def list_statements() -> Response:
    found = store.list_statements(connection(), provider().id, _filters(), query.page(params()))
    return render([serializers.statement(s) for s in found])


@bp.get("/statements/<statement_id>")
def get_statement(statement_id: str) -> Response:
    found = store.get_statement(connection(), provider().id, statement_id, _filters())
    return render(serializers.statement(found_or_404(found)))
