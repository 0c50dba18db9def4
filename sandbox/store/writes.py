"""Saving changed records: one row per record, matched on its id."""

from __future__ import annotations

from typing import Any

from npq_sandbox.domain import records as r
from npq_sandbox.store import schema
from npq_sandbox.store.rows import to_row
from sqlalchemy import Connection, Table, insert, update

_TABLES: dict[type, Table] = {
    r.Participant: schema.participants,
    r.ParticipantIdChange: schema.participant_id_changes,
    r.Application: schema.applications,
    r.TrainingStatusChange: schema.training_status_changes,
    r.DeliveryPartner: schema.delivery_partners,
    r.Partnership: schema.delivery_partnerships,
    r.Statement: schema.statements,
    r.Declaration: schema.declarations,
    r.StatementItem: schema.statement_items,
    r.Outcome: schema.outcomes,
    r.Contract: schema.contracts,
}


def save(conn: Connection, *records: Any) -> None:
    """Write records that have an id: update the row with that id, or insert one."""
    for record in records:
        table = _TABLES[type(record)]
        row = to_row(record)
        changed = conn.execute(update(table).where(table.c.id == record.id).values(row))
        if changed.rowcount == 0:
            conn.execute(insert(table).values(row))


def add(conn: Connection, *records: Any) -> None:
    """Insert records that are only ever appended (history rows, statement items)."""
    for record in records:
        conn.execute(insert(_TABLES[type(record)]).values(to_row(record)))
