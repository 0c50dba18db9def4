"""One rule decides who a provider sees: an accepted application with it for that person."""

from __future__ import annotations

from npq_sandbox.seeding import SeedSummary
from npq_sandbox.store import participants
from npq_sandbox.store.db import Database
from npq_sandbox.store.schema import applications
from sqlalchemy import Connection, select

from tests.helpers import PROVIDERS


def test_every_participant_read_sees_exactly_the_accepted_ones(
    seeded: tuple[Database, SeedSummary],
) -> None:
    with seeded[0].transaction() as conn:
        rows = conn.execute(select(applications)).mappings().all()
        people = sorted({row["participant_id"] for row in rows})[::5]  # a fifth is plenty
        for provider in PROVIDERS:
            accepted = {
                row["participant_id"]
                for row in rows
                if row["lead_provider_id"] == provider.id and row["status"] == "accepted"
            }
            seen = {person: _reads(conn, provider.id, person) for person in people}
            assert seen == {person: {person in accepted} for person in people}
            assert {True, False} <= set().union(*seen.values())


def _reads(conn: Connection, provider_id: str, person: str) -> set[bool]:
    """What each of the store's participant reads says about the provider seeing the person."""
    return {
        participants.is_visible(conn, provider_id, person),
        participants.visible_participant(conn, provider_id, person) is not None,
        participants.get_participant(conn, provider_id, person) is not None,
    }
