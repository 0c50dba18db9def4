"""GET /delivery-partners and /delivery-partners/{id} (the latter is missing from DfE's spec)."""

from __future__ import annotations

from flask import Blueprint, Response
from npq_sandbox.api import query, serializers
from npq_sandbox.api.context import connection, params, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain.listing import Filters
from npq_sandbox.store import delivery_partners as store

bp = Blueprint("delivery_partners", __name__)


@bp.get("/delivery-partners")
def list_delivery_partners() -> Response:
    filters = Filters(cohort_years=query.single_year_filter(query.filters(params())))
    views = store.list_delivery_partners(
        connection(), provider().id, filters, query.page(params()), query.sort(params())
    )
    return render([serializers.delivery_partner(v) for v in views])


@bp.get("/delivery-partners/<partner_id>")
def get_delivery_partner(partner_id: str) -> Response:
    view = found_or_404(store.get_delivery_partner(connection(), provider().id, partner_id))
    return render(serializers.delivery_partner(view))
