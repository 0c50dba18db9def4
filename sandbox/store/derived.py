"""Derived tables, kept by SQLite triggers: records' stored JSON, and who sees what.

`rendered` holds a record's resource exactly as the API answers it. Triggers on every table a
resource shows delete the bodies a write makes stale, in the writer's own transaction, whoever
writes (a view, the control plane, a fixtures load, another process). A read that finds no body
builds it from the tables and offers it back with `keep`, which stores it only if no write has
committed since the read began: a body is never older than its rows.

`seen_participants` lists, per provider and in list order, the people it holds an accepted
application of (`participants.accepted_with`); `foreign_declarations` the declarations it sees
only through an application it owns (`polling.visible_to`). A page of either whole list
is then one or two index ranges. Their triggers make a changed row's entries again.

Bulk writers (seeding, resets) `suspend` the triggers and empty the derived tables, then
`resume`, which fills the two lists again from the tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any, NamedTuple

from npq_sandbox.domain.states import ApplicationStatus
from npq_sandbox.store import lean, versions
from npq_sandbox.store.rows import among_param, ids_param, tuples
from npq_sandbox.store.schema import derived_metadata, metadata, rendered
from sqlalchemy import ColumnElement, Connection, ScalarSelect, Select, bindparam, select
from sqlalchemy.exc import OperationalError

PARTICIPANT, APPLICATION, DECLARATION = "participant", "application", "declaration"
ANYONE = ""  # the viewer of applications and declarations, which look alike to every reader
_ACCEPTED = f"'{ApplicationStatus.ACCEPTED.value}'"

# What a trigger does, by what changed; `{row}` is OLD or NEW.
_PERSON = (
    f"DELETE FROM rendered WHERE kind = '{PARTICIPANT}' AND id = {{person}};"
    f" DELETE FROM rendered WHERE kind = '{APPLICATION}'"
    " AND id IN (SELECT id FROM applications WHERE participant_id = {person});"
)
_APPLICATION = (
    # The person's JSON shows every application's time; their applications show each other's
    # funding; the application's declarations show its course and participant.
    _PERSON + f" DELETE FROM rendered WHERE kind = '{DECLARATION}'"
    " AND id IN (SELECT id FROM declarations WHERE application_id = {application});"
)
_DECLARATION = f"DELETE FROM rendered WHERE kind = '{DECLARATION}' AND id = {{declaration}};"
_PARTNER = (
    f"DELETE FROM rendered WHERE kind = '{DECLARATION}' AND id IN (SELECT id FROM declarations"
    " WHERE delivery_partner_id = {partner} OR secondary_delivery_partner_id = {partner});"
)
_OF_APPLICATION = "(SELECT participant_id FROM applications WHERE id = {row}.application_id)"
# Whether the application's provider sees its person, made again from the tables.
_SEES_PERSON = (
    "DELETE FROM seen_participants WHERE lead_provider_id = {row}.lead_provider_id"
    " AND participant_id = {row}.participant_id;"
    " INSERT OR IGNORE INTO seen_participants SELECT {row}.lead_provider_id, id, created_at"
    " FROM participants WHERE id = {row}.participant_id AND EXISTS (SELECT 1 FROM applications"
    " WHERE participant_id = {row}.participant_id AND lead_provider_id = {row}.lead_provider_id"
    f" AND status = {_ACCEPTED});"
)
_PERSON_SEEN = (
    "DELETE FROM seen_participants WHERE participant_id = {row}.id;"
    " INSERT OR IGNORE INTO seen_participants SELECT lead_provider_id, {row}.id, {row}.created_at"
    f" FROM applications WHERE participant_id = {{row}}.id AND status = {_ACCEPTED}"
    " AND EXISTS (SELECT 1 FROM participants WHERE id = {row}.id);"
)
# Whether the declarations matching `{which}` (a condition on `d`) are foreign to their
# application's owner, made again from the tables.
_FOREIGN = (
    "DELETE FROM foreign_declarations WHERE declaration_id IN (SELECT id FROM declarations d"
    " WHERE {which}); INSERT OR IGNORE INTO foreign_declarations"
    " SELECT a.lead_provider_id, d.created_at, d.id FROM declarations d"
    " JOIN applications a ON a.id = d.application_id"
    " WHERE a.lead_provider_id != d.lead_provider_id AND {which};"
)
# The same for a declaration just inserted: none of its entries can be in the list yet, and its
# columns are at hand (`_FOREIGN` took 16 of an insert's 55 microseconds, this takes 7).
_FOREIGN_NEW = (
    "INSERT OR IGNORE INTO foreign_declarations SELECT a.lead_provider_id, {row}.created_at,"
    " {row}.id FROM applications a WHERE a.id = {row}.application_id"
    " AND a.lead_provider_id != {row}.lead_provider_id;"
)
_FILL = [
    "INSERT INTO seen_participants SELECT DISTINCT a.lead_provider_id, p.id, p.created_at"
    " FROM applications a JOIN participants p ON p.id = a.participant_id"
    f" WHERE a.status = {_ACCEPTED}",
    _FOREIGN.format(which="1").split(";")[1],
]

_ALL = ("INSERT", "UPDATE", "DELETE")
# The tables whose writes move a counter (`versions`): the sandbox's own, not the derived ones.
_FOLLOWED = [table.name for table in metadata.sorted_tables]
_SEEN_COLUMNS = "UPDATE OF lead_provider_id, application_id, created_at"
# (table, events, action with the row's columns as {row}.column)
_TRIGGERS: list[tuple[str, tuple[str, ...], str]] = [
    ("participants", ("UPDATE",), _PERSON.format(person="{row}.id")),
    ("participants", ("UPDATE OF created_at",), _PERSON_SEEN),
    ("participants", ("DELETE",), _PERSON.format(person="{row}.id") + _PERSON_SEEN),
    (
        "applications",
        _ALL,
        _APPLICATION.format(person="{row}.participant_id", application="{row}.id") + _SEES_PERSON,
    ),
    (
        "applications",
        ("UPDATE OF lead_provider_id",),
        _FOREIGN.format(which="d.application_id = {row}.id"),
    ),
    ("training_status_changes", _ALL, _PERSON.format(person=_OF_APPLICATION)),
    ("participant_id_changes", _ALL, _PERSON.format(person="{row}.participant_id")),
    ("declarations", ("UPDATE", "DELETE"), _DECLARATION.format(declaration="{row}.id")),
    ("declarations", (_SEEN_COLUMNS,), _FOREIGN.format(which="d.id = {row}.id")),
    ("declarations", ("INSERT",), _FOREIGN_NEW),
    (
        "declarations",
        ("DELETE",),
        "DELETE FROM foreign_declarations WHERE declaration_id = {row}.id;",
    ),
    ("statement_items", _ALL, _DECLARATION.format(declaration="{row}.declaration_id")),
    ("outcomes", _ALL, _DECLARATION.format(declaration="{row}.declaration_id")),
    ("delivery_partners", _ALL, _PARTNER.format(partner="{row}.id")),
]


def _trigger_sql() -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER statement) for every trigger; an update acts on old and new rows."""
    made = versions.triggers(_FOLLOWED)
    for number, (table, events, action) in enumerate(_TRIGGERS):
        for event in events:
            rows = {"INSERT": ["NEW"], "DELETE": ["OLD"], "UPDATE": ["OLD", "NEW"]}
            body = " ".join(action.format(row=row) for row in rows[event.split()[0]])
            name = f"derived_{number}_{table}_{event.split()[0].lower()}"
            made.append((name, f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body} END"))
    return made


def create(conn: Connection) -> None:
    """Create the tables and their triggers where missing (the sandbox's tables exist)."""
    derived_metadata.create_all(conn)
    versions.create(conn, _FOLLOWED)
    resume(conn)


def suspend(conn: Connection) -> None:
    """Drop the triggers and empty the derived tables, before a bulk write of every table."""
    for name in _triggers_in(conn):
        conn.exec_driver_sql(f"DROP TRIGGER {name}")
    for table in derived_metadata.sorted_tables:
        conn.execute(table.delete())


def resume(conn: Connection) -> None:
    """Make the triggers and the derived tables whole again, unless they are already.

    Any other set of triggers than today's (none after `suspend`, or an older sandbox's) means
    the derived tables cannot be trusted: they are emptied and the lists filled from the tables.
    """
    made = _trigger_sql()
    if _triggers_in(conn) == {name for name, _ in made}:
        return
    suspend(conn)
    for _, sql in made:
        conn.exec_driver_sql(sql)
    for sql in _FILL:
        conn.exec_driver_sql(sql)
    versions.move_all(conn)  # rows may have been written while no trigger moved a counter


def _triggers_in(conn: Connection) -> set[str]:
    rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {name for (name,) in rows if name.startswith("derived_")}


# A page: each record's id and its stored body (None where there is none yet).
Rows = list[tuple[str, str | None]]


def participants_page(conn: Connection, provider_id: str, size: int, offset: int) -> Rows:
    """A page of the people the provider sees, in list order (created, then id), with bodies."""
    return _run(conn, _PARTICIPANTS_PAGE, provider_id, size, offset)


def declarations_page(conn: Connection, provider_id: str, size: int, offset: int) -> Rows:
    """A page of the declarations the provider sees, in list order, with their bodies."""
    return _run(conn, _DECLARATIONS_PAGE, provider_id, size, offset)


def applications_page(conn: Connection, provider_id: str, size: int, offset: int) -> Rows:
    """A page of the provider's applications, in list order, with their bodies."""
    return _run(conn, _APPLICATIONS_PAGE, provider_id, size, offset)


def _run(conn: Connection, sql: str, provider_id: str, size: int, offset: int) -> Rows:
    # Straight to the driver, in the request's transaction: these run on every page read, and
    # SQLAlchemy's execution costs as much as SQLite's running them.
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    params = {"provider": provider_id, "size": size, "offset": offset}
    return raw.execute(sql, params).fetchall()


def _page_sql(table: str, record: str, kind: str, viewer: str) -> str:
    """(id, body) of a page of `table`'s rows of a provider, oldest first, with their bodies."""
    return (
        f"SELECT t.{record}, r.body FROM {table} t LEFT JOIN rendered r ON r.kind = '{kind}'"
        f" AND r.id = t.{record} AND r.viewer = {viewer} WHERE t.lead_provider_id = :provider"
        f" ORDER BY t.created_at, t.{record} LIMIT :size OFFSET :offset"
    )


_PARTICIPANTS_PAGE = _page_sql("seen_participants", "participant_id", PARTICIPANT, ":provider")
# The provider's own declarations and the foreign ones, each range in list order, merged.
_DECLARATIONS_PAGE = (
    "SELECT p.id, r.body FROM (SELECT created_at, id FROM declarations"
    " WHERE lead_provider_id = :provider UNION ALL SELECT created_at, declaration_id"
    " FROM foreign_declarations WHERE lead_provider_id = :provider"
    " ORDER BY 1, 2 LIMIT :size OFFSET :offset) p"
    f" LEFT JOIN rendered r ON r.kind = '{DECLARATION}' AND r.id = p.id AND r.viewer = ''"
    " ORDER BY p.created_at, p.id"
)
_APPLICATIONS_PAGE = _page_sql("applications", "id", APPLICATION, "''")


def with_bodies(conn: Connection, kind: str, viewer: str, ids: list[str]) -> Rows:
    """These records' ids, in this order, each with its stored body if there is one."""
    if not ids:
        return []
    params = {"kind": kind, "viewer": viewer, "ids": ids_param(ids)}
    found = dict(tuples(conn, _BODIES, params))
    return [(i, found.get(i)) for i in ids]


_BODIES = select(rendered.c.id, rendered.c.body).where(
    rendered.c.kind == bindparam("kind"),
    rendered.c.viewer == bindparam("viewer"),
    among_param(rendered.c.id, "ids"),
)


def body_of(kind: str, viewer: Any, record: ColumnElement[Any]) -> ScalarSelect[Any]:
    """A column to select: the stored body of the record whose id is `record`, or NULL."""
    return (
        select(rendered.c.body)
        .where(rendered.c.kind == kind, rendered.c.viewer == viewer, rendered.c.id == record)
        .scalar_subquery()
    )


def found(conn: Connection, query: Select[Any], params: Mapping[str, Any]) -> Found:
    """Run a lookup selecting (id, `body_of`): whether the record is there, and its body."""
    found = lean.fetch(conn, query, params, one=True)[1]
    return Found(bool(found), found[0][1] if found else None)


class Found(NamedTuple):
    """A record looked up with its stored body: `exists` is False when the caller may not see it."""

    exists: bool
    body: str | None


def keep(conn: Connection, kind: str, viewer: str, made: Mapping[str, str]) -> None:
    """Store bodies built in this transaction, if that can be done now and they are current.

    In a read transaction SQLite refuses the write at once when another connection has
    committed since the read began (the bodies may show old rows) or is writing now; the
    bodies are then simply not kept, and the next read builds them again. It never waits.
    """
    if not made:
        return
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    waits = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute(
            rendered.insert().prefix_with("OR REPLACE"),
            [{"kind": kind, "id": i, "viewer": viewer, "body": b} for i, b in made.items()],
        )
    except OperationalError:
        pass  # "database is locked": another writer came first; nothing was written
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(waits)}")
