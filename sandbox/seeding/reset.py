"""Putting one lead provider's seeded rows back (`seed_into` puts back everyone's).

A provider's reset replaces every row that touches it (its applications, the declarations it
made or that sit on its applications, their statement items and outcomes, the training-status
history of its applications, its statements, delivery partnerships and contracts) with the seed's
rows of the same kind, re-inserts seeded participants that are missing, and clears its clock,
its faults (its journal, kept in a database of its own, is cleared by the caller).
What its calls did to other providers' rows stays: an application of another provider that its
accept rejected stays rejected, a competing application it created for another provider stays.

Rules: docs/rules.md §18.6.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import chain
from typing import Any

from npq_sandbox.seeding import build_dataset, stored_recipe
from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.store import contracts, faults, writes
from npq_sandbox.store import schema as t
from npq_sandbox.store.rows import insert_all
from npq_sandbox.store.settings import set_clock_offset
from sqlalchemy import Connection, delete, or_, select


def reset_provider(conn: Connection, provider_id: str, *, seed: int, participants: int) -> None:
    """Replace the rows touching one provider with the seed's rows of the same kind.

    The seed is rebuilt in memory with the options and recipe the database was seeded with,
    so the rows put back are byte for byte the seeded ones.
    """
    recipe = stored_recipe(conn).with_background(participants)
    ds, _cases = build_dataset(seed=seed, recipe=recipe)
    _delete_rows(conn, provider_id, _ids(ds, provider_id))
    _insert_rows(conn, provider_id, ds)
    set_clock_offset(conn, provider_id, None)
    faults.remove(conn, provider_id)


def _ids(ds: Dataset, provider_id: str) -> set[str]:
    """Return the seed's application ids of the provider (so they are replaced, not doubled)."""
    return {a.id for a in ds.applications.values() if a.lead_provider_id == provider_id}


def _delete_rows(conn: Connection, provider_id: str, seeded_apps: set[str]) -> None:
    apps = (
        set(
            conn.scalars(
                select(t.applications.c.id).where(t.applications.c.lead_provider_id == provider_id)
            )
        )
        | seeded_apps
    )
    declared = set(
        conn.scalars(
            select(t.declarations.c.id).where(
                or_(
                    t.declarations.c.lead_provider_id == provider_id,
                    t.declarations.c.application_id.in_(apps),
                )
            )
        )
    )
    statements = select(t.statements.c.id).where(t.statements.c.lead_provider_id == provider_id)
    conn.execute(delete(t.outcomes).where(t.outcomes.c.declaration_id.in_(declared)))
    conn.execute(
        delete(t.statement_items).where(
            or_(
                t.statement_items.c.declaration_id.in_(declared),
                t.statement_items.c.statement_id.in_(statements),
            )
        )
    )
    conn.execute(delete(t.declarations).where(t.declarations.c.id.in_(declared)))
    conn.execute(delete(t.statements).where(t.statements.c.lead_provider_id == provider_id))
    history = t.training_status_changes
    conn.execute(delete(history).where(history.c.application_id.in_(apps)))
    conn.execute(delete(t.applications).where(t.applications.c.id.in_(apps)))
    partnerships = t.delivery_partnerships
    conn.execute(delete(partnerships).where(partnerships.c.lead_provider_id == provider_id))
    contracts.remove_all(conn, provider_id)


def _insert_rows(conn: Connection, provider_id: str, ds: Dataset) -> None:
    apps = [a for a in ds.applications.values() if a.lead_provider_id == provider_id]
    app_ids = {a.id for a in apps}
    declared = [
        d
        for d in ds.declarations.values()
        if d.lead_provider_id == provider_id or d.application_id in app_ids
    ]
    declared_ids = {d.id for d in declared}
    _restore_people(conn, ds, {a.participant_id for a in apps})
    insert_all(conn, t.applications, apps)
    insert_all(
        conn, t.training_status_changes, [h for h in ds.history if h.application_id in app_ids]
    )
    insert_all(
        conn,
        t.delivery_partnerships,
        [p for p in ds.partnerships if p.lead_provider_id == provider_id],
    )
    insert_all(conn, t.statements, [s for s in ds.statements if s.lead_provider_id == provider_id])
    insert_all(conn, t.declarations, declared)
    insert_all(conn, t.statement_items, _of(ds.items, declared_ids))
    insert_all(conn, t.outcomes, _of(ds.outcomes, declared_ids))
    insert_all(conn, t.contracts, [c for c in ds.contracts if c.lead_provider_id == provider_id])


def _of(by_declaration: dict[str, list[Any]], ids: Collection[str]) -> Iterable[Any]:
    """Return the records kept per declaration for the given declarations, in seed order."""
    return chain.from_iterable(v for k, v in by_declaration.items() if k in ids)


def _restore_people(conn: Connection, ds: Dataset, person_ids: set[str]) -> None:
    """Put the provider's seeded people and their id changes back as seeded.

    The control plane edits, archives and merges people (docs/rules.md §18.10, §18.11), so the
    rows are replaced, and changes that merged these people away or into others are dropped.
    """
    people = t.participants.c.id.in_(person_ids)
    changes = t.participant_id_changes
    touching = or_(
        changes.c.participant_id.in_(person_ids), changes.c.from_participant_id.in_(person_ids)
    )
    conn.execute(delete(changes).where(touching))
    present = set(conn.scalars(select(t.participants.c.id).where(people)))
    for person_id in sorted(present):
        writes.save(conn, ds.participants[person_id])
    insert_all(conn, t.participants, [ds.participants[i] for i in sorted(person_ids - present)])
    insert_all(conn, changes, [c for c in ds.id_changes if c.participant_id in person_ids])
