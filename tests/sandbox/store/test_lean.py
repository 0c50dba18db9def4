"""A query run straight on the driver answers what SQLAlchemy answers (`store/lean.py`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from npq_sandbox.seeding import SeedSummary
from npq_sandbox.store import lean
from npq_sandbox.store.db import Database
from npq_sandbox.store.schema import applications, declarations, metadata, participants
from sqlalchemy import bindparam, insert, select, update

TABLES = [t for t in metadata.sorted_tables if t.name not in ("journal", "unrecognised_requests")]


def both(db: Database, query: Any, params: dict[str, Any] | None = None) -> tuple[Any, Any]:
    with db.transaction() as conn:
        ran = lean.run(conn, query, params, one=False)
        result = conn.execute(query, params)
        expected = (tuple(result.keys()), [tuple(row) for row in result])
    return ran, expected


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_column_type_comes_back_as_sqlalchemy_gives_it(
    seeded: tuple[Database, SeedSummary], table: Any
) -> None:
    ran, expected = both(seeded[0], select(table).order_by(*table.primary_key.columns).limit(500))
    assert ran == expected
    assert [type(v) for row in ran[1] for v in row] == [type(v) for row in expected[1] for v in row]


def test_parameters_are_converted_as_sqlalchemy_converts_them(
    seeded: tuple[Database, SeedSummary],
) -> None:
    """A datetime parameter, a literal in the query and a JSON column, together."""
    query = (
        select(declarations.c.id, declarations.c.updated_at, participants.c.previous_names)
        .join(applications, applications.c.id == declarations.c.application_id)
        .join(participants, participants.c.id == applications.c.participant_id)
        .where(declarations.c.updated_at > bindparam("since"), declarations.c.state != "voided")
        .order_by(declarations.c.id)
    )
    since = datetime(2024, 1, 1, tzinfo=UTC)
    ran, expected = both(seeded[0], query, {"since": since})
    assert ran == expected and len(ran[1]) > 10


def test_a_list_expanded_into_in_is_left_to_sqlalchemy(
    seeded: tuple[Database, SeedSummary],
) -> None:
    query = select(declarations.c.id).where(declarations.c.state.in_(["voided", "paid"]))
    ran, expected = both(seeded[0], query)
    assert ran is None and expected[1]


def test_a_missing_parameter_is_an_error_not_a_null(seeded: tuple[Database, SeedSummary]) -> None:
    query = select(participants.c.id).where(participants.c.id == bindparam("person"))
    with seeded[0].transaction() as conn, pytest.raises(KeyError):
        lean.run(conn, query, {}, one=True)


def test_a_record_written_on_the_driver_reads_back_as_one_written_by_sqlalchemy(
    fresh_db: Database,
) -> None:
    """Dates, JSON and enum values are stored as SQLAlchemy stores them."""
    with fresh_db.transaction() as conn:
        person = conn.execute(select(participants).limit(1)).first()
    assert person is not None
    row = dict(person._mapping)
    copies = {"lean": {**row, "id": "lean-copy"}, "sqlalchemy": {**row, "id": "sa-copy"}}
    copies["lean"]["previous_names"] = copies["sqlalchemy"]["previous_names"] = ["A B", "C D"]
    with fresh_db.transaction(write=True) as conn:
        assert lean.change(conn, insert(participants), copies["lean"]) == 1
        conn.execute(insert(participants), copies["sqlalchemy"])
        changed = {
            "updated_at": datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
            "record_id": "lean-copy",
        }
        assert lean.change(conn, _UPDATE, changed) == 1
        assert lean.change(conn, _UPDATE, {**changed, "record_id": "nobody"}) == 0
        conn.execute(_UPDATE, {**changed, "record_id": "sa-copy"})
    with fresh_db.transaction() as conn:
        raw = conn.connection.driver_connection
        stored = {
            i: raw.execute("SELECT * FROM participants WHERE id = ?", (i,)).fetchone()[1:]
            for i in ("lean-copy", "sa-copy")
        }
    assert stored["lean-copy"] == stored["sa-copy"]


_UPDATE = update(participants).where(participants.c.id == bindparam("record_id"))
