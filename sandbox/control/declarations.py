"""PUT /sandbox/participant-declarations/{id}/state: move a declaration on DfE's side.

Rules: docs/rules.md §18.3.
"""

from __future__ import annotations

from flask import Blueprint, Response
from npq_sandbox.api import body, serializers
from npq_sandbox.api.clock import now
from npq_sandbox.api.context import connection, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain import payments
from npq_sandbox.store import contexts, statement_items, writes
from npq_sandbox.store import declarations as store

bp = Blueprint("control_declarations", __name__)


@bp.put("/participant-declarations/<declaration_id>/state")
def move_declaration(declaration_id: str) -> Response:
    conn, caller = connection(), provider()
    view = store.own_declaration(conn, caller.id, declaration_id)  # 404, then 403 as void does
    found = view.declaration
    to = payments.target_state(body.attributes(("state",)).get("state"))
    moment = now()
    moved = payments.move_declaration(
        found, to, **contexts.payment_context(conn, found, moment.date()), now=moment
    )
    writes.save(conn, *moved.declarations)
    statement_items.move_items(conn, moved.item_moves)
    writes.add(conn, *moved.new_items)
    view = found_or_404(store.get_declaration(conn, caller.id, declaration_id))
    return render(serializers.declaration(view))
