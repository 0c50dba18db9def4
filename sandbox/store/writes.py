"""Saving changed records: one row per record, matched on its id."""

from __future__ import annotations

from typing import Any

from npq_sandbox.domain import records as r
from npq_sandbox.domain.applications import stamps_person
from npq_sandbox.store import lean, schema
from npq_sandbox.store.rows import to_row
from sqlalchemy import Connection, Table, bindparam, insert, select, update

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


# Built once per table; the row's values are bound at execution, and the UPDATE sets every
# column the row names (the id is bound as `record_id`, a name no column has).
_UPDATES = {
    kind: update(t).where(t.c.id == bindparam("record_id"))
    for kind, t in _TABLES.items()
    if "id" in t.c
}
_INSERTS = {kind: insert(t) for kind, t in _TABLES.items()}


def save(conn: Connection, *records: Any) -> None:
    """Write records that have an id: update the row with that id, or insert one.

    Saving an application stamps its person when the domain says the save does.
    """
    for record in records:
        if isinstance(record, r.Application):
            _stamp_person(conn, record)
        row = to_row(record)
        if lean.change(conn, _UPDATES[type(record)], {**row, "record_id": record.id}) == 0:
            lean.change(conn, _INSERTS[type(record)], row)


def add(conn: Connection, *records: Any) -> None:
    """Insert new records: those only ever appended (history rows, statement items), or new ones."""
    for record in records:
        lean.change(conn, _INSERTS[type(record)], to_row(record))


def _stamp_person(conn: Connection, application: r.Application) -> None:
    """Set the person's significant-update time to the application's, if this save stamps."""
    apps, people = schema.applications, schema.participants
    before = conn.scalar(select(apps.c.status).where(apps.c.id == application.id))
    if stamps_person(before, application):
        conn.execute(
            update(people)
            .where(people.c.id == application.participant_id)
            .values(updated_at=application.updated_at)
        )
