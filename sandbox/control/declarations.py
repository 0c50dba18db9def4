"""PUT /sandbox/participant-declarations/{id}/state: move a declaration on DfE's side."""

from __future__ import annotations

from flask import Blueprint, Response

from sandbox.api import body, serializers
from sandbox.api.clock import now
from sandbox.api.context import connection, provider
from sandbox.api.render import found_or_404, render
from sandbox.domain import messages, payments
from sandbox.domain.errors import Forbidden
from sandbox.store import control, lookups, writes
from sandbox.store import declarations as store

bp = Blueprint("control_declarations", __name__)


@bp.put("/participant-declarations/<declaration_id>/state")
def move_declaration(declaration_id: str) -> Response:
    conn, caller = connection(), provider()
    found = found_or_404(store.get_declaration(conn, caller.id, declaration_id)).declaration
    if found.lead_provider_id != caller.id:  # visible only through a transferred application
        raise Forbidden(
            messages.CANNOT_MODIFY_DECLARATION_TITLE, messages.CANNOT_MODIFY_DECLARATION
        )
    to = payments.target_state(body.attributes(("state",)).get("state"))
    moment = now()
    moved = payments.move_declaration(
        found,
        to,
        items=control.items_of(conn, found.id),
        next_statement=lookups.next_output_fee_statement(
            conn, caller.id, found.cohort, moment.date()
        ),
        now=moment,
    )
    writes.save(conn, *moved.declarations)
    control.move_items(conn, moved.item_moves)
    writes.add(conn, *moved.new_items)
    view = found_or_404(store.get_declaration(conn, caller.id, declaration_id))
    return render(serializers.declaration(view))
