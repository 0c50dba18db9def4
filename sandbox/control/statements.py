"""PUT /sandbox/statements/{id}/mark-payable, /mark-paid and /dates: DfE's statement processing.

Rules: docs/rules.md §18.4 and §18.16.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response
from npq_sandbox.api import body, serializers
from npq_sandbox.api.clock import now
from npq_sandbox.api.context import connection, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain import admin, payments
from npq_sandbox.domain.listing import Filters
from npq_sandbox.domain.states import StatementState
from npq_sandbox.store import declarations as declaration_store
from npq_sandbox.store import statement_items, writes
from npq_sandbox.store import statements as store

bp = Blueprint("control_statements", __name__)


@bp.put("/statements/<statement_id>/mark-payable")
def mark_statement_payable(statement_id: str) -> Response:
    return _mark(statement_id, StatementState.PAYABLE)


@bp.put("/statements/<statement_id>/mark-paid")
def mark_statement_paid(statement_id: str) -> Response:
    return _mark(statement_id, StatementState.PAID)


@bp.put("/statements/<statement_id>/dates")
def change_statement_dates(statement_id: str) -> Response:
    given = body.attributes(admin.STATEMENT_DATES)
    conn = connection()
    found = found_or_404(store.get_statement(conn, provider().id, statement_id, Filters()))
    changed = admin.change_statement_dates(found, given, now=now())
    writes.save(conn, changed)
    return render(serializers.statement(changed))


def _mark(statement_id: str, to: StatementState) -> Response:
    conn, caller, moment = connection(), provider(), now()
    # Only the statements the caller sees through /api/v3/statements (output-fee ones).
    found = found_or_404(store.get_statement(conn, caller.id, statement_id, Filters()))
    statement, moved = payments.move_statement(
        found,
        to,
        declarations=declaration_store.declarations_on_statement(conn, found.id),
        items=statement_items.items_on_statement(conn, found.id),
        now=moment,
    )
    writes.save(conn, statement, *moved.declarations)
    statement_items.move_items(conn, moved.item_moves)
    opened = None
    if to is StatementState.PAYABLE:
        siblings = store.cohort_statements(conn, caller.id, found.cohort)
        opened = payments.following_statement(
            statement, siblings, new_id=str(uuid.uuid4()), now=moment
        )
    if opened is not None:
        writes.save(conn, opened)
    views = [
        found_or_404(declaration_store.get_declaration(conn, caller.id, d.id))
        for d in moved.declarations
    ]
    rendered = [serializers.declaration(v) for v in views]
    extra = [serializers.statement(opened)] if opened else []
    return render([serializers.statement(statement), *rendered, *extra])
