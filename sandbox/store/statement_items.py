"""Statement items: which statement pays a declaration, or claws it back, and their moves."""

from __future__ import annotations

from collections.abc import Iterable

from npq_sandbox.domain.payments import ItemMove
from npq_sandbox.domain.records import StatementItem
from npq_sandbox.domain.states import DeclarationState
from npq_sandbox.store.rows import records
from npq_sandbox.store.schema import statement_items
from sqlalchemy import ColumnElement, Connection, and_, select, update


def items_of_declaration(conn: Connection, declaration_id: str) -> list[StatementItem]:
    """Return a declaration's statement items, oldest first."""
    return _items(conn, statement_items.c.declaration_id == declaration_id)


def items_on_statement(conn: Connection, statement_id: str) -> list[StatementItem]:
    """Return the statement items attached to a statement, oldest first."""
    return _items(conn, statement_items.c.statement_id == statement_id)


def _items(conn: Connection, which: ColumnElement[bool]) -> list[StatementItem]:
    query = select(statement_items).where(which).order_by(statement_items.c.id)
    return records(conn, StatementItem, query)


def move_item(conn: Connection, item: StatementItem, state: DeclarationState) -> None:
    """Set the state of the oldest stored item equal to `item`."""
    first = select(statement_items.c.id).where(_equal(item)).order_by(statement_items.c.id).limit(1)
    conn.execute(
        update(statement_items)
        .where(statement_items.c.id == first.scalar_subquery())
        .values(state=state.value)
    )


def move_items(conn: Connection, moves: Iterable[ItemMove]) -> None:
    """Apply statement item moves, matching each item by statement, declaration and state."""
    for move in moves:
        conn.execute(update(statement_items).where(_equal(move.item)).values(state=move.to.value))


def _equal(item: StatementItem) -> ColumnElement[bool]:
    """Stored items equal to `item` (items have no identity but their row id)."""
    return and_(
        statement_items.c.declaration_id == item.declaration_id,
        statement_items.c.statement_id == item.statement_id,
        statement_items.c.state == item.state.value,
    )
