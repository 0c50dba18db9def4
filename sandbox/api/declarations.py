"""/participant-declarations: list, show, create, void and change delivery partners."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response
from npq_sandbox.api import body, query, serializers, stored
from npq_sandbox.api.clock import now
from npq_sandbox.api.context import connection, params, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain import declaration_changes as changes
from npq_sandbox.domain import declarations as rules
from npq_sandbox.domain.listing import Filters
from npq_sandbox.store import (
    contexts,
    delivery_partners,
    derived,
    outcomes,
    statement_items,
    writes,
)
from npq_sandbox.store import declarations as store
from sqlalchemy import Connection

bp = Blueprint("declarations", __name__)
CREATE_ATTRIBUTES = (
    "participant_id",
    "declaration_type",
    "declaration_date",
    "course_identifier",
    "has_passed",
    "delivery_partner_id",
    "secondary_delivery_partner_id",
)
PARTNER_ATTRIBUTES = ("delivery_partner_id", "secondary_delivery_partner_id")


@bp.get("/participant-declarations")
def list_declarations() -> Response:
    given = query.filters(params())
    filters = Filters(  # DfE's order: updated_since, then participant_id
        updated_since=query.date_filter(given, "updated_since"),
        participant_ids=query.uuid_list_filter(given, "participant_id"),
        cohort_years=query.year_list_filter(given),
    )
    rows = store.page_rows(connection(), provider().id, filters, query.page(params()))
    return stored.listing(derived.DECLARATION, derived.ANYONE, rows, _resources)


@bp.get("/participant-declarations/<declaration_id>")
def get_declaration(declaration_id: str) -> Response:
    found = store.stored(connection(), provider().id, declaration_id)
    return stored.one(derived.DECLARATION, derived.ANYONE, declaration_id, found, _resources)


def _resources(ids: list[str]) -> list[dict[str, Any]]:
    return [serializers.declaration(v) for v in store.views_of(connection(), ids)]


@bp.post("/participant-declarations")
def create_declaration() -> Response:
    given = body.attributes(CREATE_ATTRIBUTES)
    conn, moment = connection(), now()
    context = contexts.create_context(conn, provider().id, given, moment.date())
    ids = (str(uuid.uuid4()), str(uuid.uuid4()))
    created = rules.create(given, context, ids=ids, now=moment)
    if created.existing:
        return _render(conn, created.declaration.id)
    assert context.application is not None  # `create` refuses a declaration without one
    # The answer shows what is about to be saved; made first, it is not made holding the lock.
    answer = render(serializers.declaration(store.created_view(conn, created, context.application)))
    outcome = () if created.outcome is None else (created.outcome,)
    writes.add(conn, created.declaration, *created.items, *outcome)
    return answer


@bp.put("/participant-declarations/<declaration_id>/void")
def void_declaration(declaration_id: str) -> Response:
    conn = connection()
    view = store.own_declaration(conn, provider().id, declaration_id)
    found, application = view.declaration, view.application
    moment = now()
    voiding = changes.void(
        found,
        application,
        **contexts.payment_context(conn, found, moment.date()),
        latest_outcome=outcomes.latest_outcome_of(
            conn, found.lead_provider_id, application.participant_id, application.course_identifier
        ),
        outcome_id=str(uuid.uuid4()),
        now=moment,
    )
    writes.save(conn, voiding.declaration)
    if voiding.voided_item is not None:
        statement_items.move_item(conn, voiding.voided_item, voiding.declaration.state)
    writes.add(conn, *voiding.new_items)
    if voiding.outcome is not None:
        writes.save(conn, voiding.outcome)
    return _render(conn, declaration_id)


@bp.put("/participant-declarations/<declaration_id>/change-delivery-partner")
def change_delivery_partner(declaration_id: str) -> Response:
    conn = connection()
    view = store.own_declaration(conn, provider().id, declaration_id)
    given = body.attributes(PARTNER_ATTRIBUTES)
    found = view.declaration
    named = delivery_partners.named_partners(conn, provider().id, found.cohort, _partner_ids(given))
    changed = changes.change_delivery_partner(
        found,
        view.application,
        given,
        known_partners=named.known,
        partnered=named.partnered,
        now=now(),
    )
    writes.save(conn, changed)
    return _render(conn, declaration_id)


def _partner_ids(given: dict[str, object]) -> list[str]:
    return [str(given[n]) for n in PARTNER_ATTRIBUTES if given.get(n) not in (None, False)]


def _render(conn: Connection, declaration_id: str) -> Response:
    view = found_or_404(store.get_declaration(conn, provider().id, declaration_id))
    return render(serializers.declaration(view))
