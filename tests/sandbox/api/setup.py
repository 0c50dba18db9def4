"""Arranging records the seed lacks, by copying seeded ones (the checks then go through HTTP)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from npq_sandbox.domain.records import Application, Declaration, Participant, TrainingStatusChange
from npq_sandbox.domain.states import TrainingStatus
from npq_sandbox.store.db import Database
from npq_sandbox.store.rows import from_row
from npq_sandbox.store.schema import applications, declarations, participants
from npq_sandbox.store.schema import training_status_changes as history
from npq_sandbox.store.statements import next_output_fee_statement
from npq_sandbox.store.writes import add, save
from sqlalchemy import select


def application(db: Database, application_id: str) -> Application:
    with db.transaction() as conn:
        row = conn.execute(select(applications).where(applications.c.id == application_id))
        return from_row(Application, row.mappings().one())


def participant(db: Database, participant_id: str) -> Participant:
    with db.transaction() as conn:
        row = conn.execute(select(participants).where(participants.c.id == participant_id))
        return from_row(Participant, row.mappings().one())


def copy_application(
    db: Database, template_id: str, *, new_person: bool = False, **changes: Any
) -> Application:
    """Store a copy of a seeded application under a new id, changed as asked.

    With `new_person` the copy belongs to a new participant (a copy of the template's person,
    TRN included unless changed through `trn=`/`trn_verified=`).
    """
    template = application(db, template_id)
    person_changes = {k: changes.pop(k) for k in ("trn", "trn_verified") if k in changes}
    copy = replace(template, id=str(uuid.uuid4()), **changes)
    person = None
    if new_person or person_changes:
        person = replace(
            participant(db, template.participant_id), id=str(uuid.uuid4()), **person_changes
        )
        copy = replace(copy, participant_id=person.id)
    with db.transaction(write=True) as conn:
        if person is not None:
            save(conn, person)
        save(conn, copy)
    return copy


def change_application(db: Database, application_id: str, **changes: Any) -> Application:
    changed = replace(application(db, application_id), **changes)
    with db.transaction(write=True) as conn:
        save(conn, changed)
    return changed


def change_participant(db: Database, participant_id: str, **changes: Any) -> Participant:
    changed = replace(participant(db, participant_id), **changes)
    with db.transaction(write=True) as conn:
        save(conn, changed)
    return changed


def add_status_change(
    db: Database, application_id: str, state: TrainingStatus, at: datetime, reason: str | None
) -> None:
    """Record a training-status change of an application by its own provider at `at`."""
    found = change_application(db, application_id, training_status=state)
    with db.transaction(write=True) as conn:
        add(conn, TrainingStatusChange(application_id, found.lead_provider_id, state, reason, at))


def next_statement_id(db: Database, provider_id: str, cohort: str, today: date) -> str:
    """The statement DfE attaches a new payment or clawback to."""
    with db.transaction() as conn:
        found = next_output_fee_statement(conn, provider_id, cohort, today)
    assert found is not None
    return found.id


def copy_declaration(
    db: Database, template_id: str, application_id: str, **changes: Any
) -> Declaration:
    """Store a copy of a seeded declaration on another application, changed as asked.

    The copy takes the application's cohort and has no statement item.
    """
    target = application(db, application_id)
    with db.transaction() as conn:
        row = conn.execute(select(declarations).where(declarations.c.id == template_id))
        template = from_row(Declaration, row.mappings().one())
    copy = replace(
        template,
        id=str(uuid.uuid4()),
        application_id=application_id,
        cohort=target.cohort,
        **changes,
    )
    with db.transaction(write=True) as conn:
        save(conn, copy)
    return copy


def status_history(db: Database, application_id: str) -> list[Any]:
    """An application's training-status history rows, oldest first."""
    query = select(history).where(history.c.application_id == application_id)
    with db.transaction() as conn:
        rows = conn.execute(query.order_by(history.c.created_at, history.c.id)).mappings()
        return [from_row(TrainingStatusChange, row) for row in rows]
