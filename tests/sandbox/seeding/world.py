"""A seeded database read back table by table, for the seeder's tests.

What the API shows of the same data is tested over HTTP in `tests/sandbox/api/test_seed_states.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from npq_sandbox.domain.reference import (
    LEAD_PROVIDERS,
)
from npq_sandbox.seeding import seed_database
from npq_sandbox.store.db import Database
from npq_sandbox.store.schema import metadata
from sqlalchemy import select

Row = dict[str, Any]
PROVIDER_IDS = [p.id for p in LEAD_PROVIDERS]
LIVE = {"submitted", "eligible", "payable", "paid"}
# The statement state a fundable declaration in each state sits on ("submitted" has no item).
ITEM_STATEMENT = {"eligible": "open", "payable": "payable", "paid": "paid"}
TIMESTAMPED = [
    "participants",
    "participant_id_changes",
    "applications",
    "delivery_partners",
    "statements",
    "declarations",
    "outcomes",
]
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def dump(db: Database) -> dict[str, list[Row]]:
    """Return every table's rows as dicts, ordered by primary key."""
    with db.transaction() as conn:
        return {
            table.name: [
                dict(row._mapping)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }


class World:
    """Every table of a freshly seeded database, with lookups by id and by a column's value."""

    def __init__(self, participants: int) -> None:
        db = Database(":memory:")
        self.summary = seed_database(db, seed=1, participants=participants)
        self.tables = dump(db)
        self._ids = {
            name: {row["id"]: row for row in rows}
            for name, rows in self.tables.items()
            if rows and "id" in rows[0]
        }
        self._groups: dict[tuple[str, str], dict[Any, list[Row]]] = {}

    def get(self, table: str, ident: str) -> Row:
        return self._ids[table][ident]

    def of(self, table: str, column: str, value: Any) -> list[Row]:
        """Return the rows whose `column` is `value`, oldest first (ids are random)."""
        if (table, column) not in self._groups:
            groups: dict[Any, list[Row]] = defaultdict(list)
            for row in sorted(self.tables[table], key=lambda r: r.get("created_at", EPOCH)):
                groups[row[column]].append(row)
            self._groups[(table, column)] = groups
        return self._groups[(table, column)].get(value, [])

    def enrolments(self, provider_id: str, person_id: str) -> list[Row]:
        """Return the accepted applications that make a person visible to a provider."""
        return [
            a
            for a in self.of("applications", "participant_id", person_id)
            if a["lead_provider_id"] == provider_id and a["status"] == "accepted"
        ]

    def items(self, declaration_id: str) -> list[tuple[str, str]]:
        """Return (item state, statement state) for each of a declaration's statement items."""
        return [
            (i["state"], self.get("statements", i["statement_id"])["state"])
            for i in self.of("statement_items", "declaration_id", declaration_id)
        ]

    def partnered(self, partner_id: str | None, provider_id: str, cohort: str) -> bool:
        wanted = {
            "delivery_partner_id": partner_id,
            "lead_provider_id": provider_id,
            "cohort": cohort,
        }
        return wanted in self.tables["delivery_partnerships"]

    def providers(self) -> Iterator[tuple[str, str, dict[str, str]]]:
        """Yield each provider id, the next provider's id (Q) and the provider's cases."""
        for index, provider_id in enumerate(PROVIDER_IDS):
            other = PROVIDER_IDS[(index + 1) % len(PROVIDER_IDS)]
            yield provider_id, other, self.summary.cases[provider_id]


def seeded_rows(seed: int, participants: int = 60) -> dict[str, list[Row]]:
    db = Database(":memory:")
    seed_database(db, seed=seed, participants=participants)
    return dump(db)


# --- determinism and the call itself -------------------------------------------------------
