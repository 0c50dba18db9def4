"""Queries and updates of the sandbox control plane (DfE's side of the journey)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, exists, select, update

from sandbox.domain.payments import ItemMove
from sandbox.domain.records import Declaration, Participant, Statement, StatementItem
from sandbox.store.rows import from_row
from sandbox.store.schema import declarations, participants, statement_items, statements


def find_participant(conn: Connection, participant_id: str) -> Participant | None:
    """Return any participant by id, whoever trains them."""
    row = (
        conn.execute(select(participants).where(participants.c.id == participant_id))
        .mappings()
        .first()
    )
    return from_row(Participant, row) if row else None


def trn_taken(conn: Connection, trn: str) -> bool:
    return bool(conn.scalar(select(exists().where(participants.c.trn == trn))))


def items_on(conn: Connection, statement_id: str) -> list[StatementItem]:
    """Return the statement items attached to a statement, oldest first."""
    query = (
        select(statement_items)
        .where(statement_items.c.statement_id == statement_id)
        .order_by(statement_items.c.id)
    )
    return [from_row(StatementItem, row) for row in conn.execute(query).mappings()]


def declarations_on(conn: Connection, statement_id: str) -> list[Declaration]:
    """Return the declarations with an item on a statement, oldest first."""
    attached = select(statement_items.c.declaration_id).where(
        statement_items.c.statement_id == statement_id
    )
    query = (
        select(declarations)
        .where(declarations.c.id.in_(attached))
        .order_by(declarations.c.created_at, declarations.c.id)
    )
    return [from_row(Declaration, row) for row in conn.execute(query).mappings()]


def cohort_statements(conn: Connection, provider_id: str, cohort: str) -> list[Statement]:
    """Return every statement of a provider in a cohort (output-fee or not)."""
    query = select(statements).where(
        statements.c.lead_provider_id == provider_id, statements.c.cohort == cohort
    )
    return [from_row(Statement, row) for row in conn.execute(query).mappings()]


def move_items(conn: Connection, moves: Iterable[ItemMove]) -> None:
    """Apply statement item moves, matching each item by statement, declaration and state."""
    for move in moves:
        item = move.item
        conn.execute(
            update(statement_items)
            .where(
                statement_items.c.statement_id == item.statement_id,
                statement_items.c.declaration_id == item.declaration_id,
                statement_items.c.state == item.state.value,
            )
            .values(state=move.to.value)
        )
