"""/npq-applications: list, show, accept, reject and change funded place."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response
from npq_sandbox.api import body, query, serializers, stored
from npq_sandbox.api.clock import now
from npq_sandbox.api.context import connection, params, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain import applications as rules
from npq_sandbox.domain.listing import Filters
from npq_sandbox.domain.records import Application
from npq_sandbox.store import applications as store
from npq_sandbox.store import declarations as declaration_store
from npq_sandbox.store import derived, writes
from sqlalchemy import Connection

bp = Blueprint("applications", __name__)
ACCEPT_ATTRIBUTES = ("funded_place", "schedule_identifier")
FUNDED_PLACE_ATTRIBUTES = ("funded_place",)


@bp.get("/npq-applications")
def list_applications() -> Response:
    given = query.filters(params())
    filters = Filters(  # evaluated in DfE's order: participant_id, then updated_since
        participant_ids=query.uuid_list_filter(given, "participant_id"),
        updated_since=query.date_filter(given, "updated_since"),
        cohort_years=query.year_list_filter(given),
    )
    rows = store.page_rows(
        connection(), provider().id, filters, query.page(params()), query.sort(params())
    )
    return stored.listing(derived.APPLICATION, derived.ANYONE, rows, _resources)


@bp.get("/npq-applications/<application_id>")
def get_application(application_id: str) -> Response:
    found = store.stored(connection(), provider().id, application_id)
    return stored.one(derived.APPLICATION, derived.ANYONE, application_id, found, _resources)


def _resources(ids: list[str]) -> list[dict[str, Any]]:
    return [serializers.application(v) for v in store.views_of(connection(), ids)]


@bp.post("/npq-applications/<application_id>/accept")
def accept_application(application_id: str) -> Response:
    conn, found = _load(application_id)
    # The body is optional: without `data` both attributes are simply absent.
    given = body.permitted_attributes(ACCEPT_ATTRIBUTES) if body.has_data() else {}
    related = store.related_applications(conn, found)
    accepted = rules.accept(found, given, related=related, now=now())
    writes.save(conn, accepted.application, *accepted.rejected)
    writes.add(conn, accepted.history)
    return _render(conn, application_id)


@bp.post("/npq-applications/<application_id>/reject")
def reject_application(application_id: str) -> Response:
    conn, found = _load(application_id)
    declarations = declaration_store.declarations_on_application(conn, found.id)
    writes.save(conn, rules.reject(found, declarations=declarations, now=now()))
    return _render(conn, application_id)


@bp.put("/npq-applications/<application_id>/change-funded-place")
def change_funded_place(application_id: str) -> Response:
    conn, found = _load(application_id)
    # Without `data` DfE reads `funded_place` as missing (a 422), not as a malformed body.
    given = body.permitted_attributes(FUNDED_PLACE_ATTRIBUTES) if body.has_data() else {}
    declarations = declaration_store.declarations_on_application(conn, found.id)
    changed = rules.change_funded_place(found, given, declarations=declarations, now=now())
    writes.save(conn, changed)
    return _render(conn, application_id)


def _load(application_id: str) -> tuple[Connection, Application]:
    conn = connection()
    return conn, found_or_404(store.find_application(conn, provider().id, application_id))


def _render(conn: Connection, application_id: str) -> Response:
    view = found_or_404(store.get_application(conn, provider().id, application_id))
    return render(serializers.application(view))
