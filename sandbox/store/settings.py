"""The sandbox's own settings: how it was seeded, and each provider's clock."""

from __future__ import annotations

from typing import Any

from npq_sandbox.store.remembered import remember
from npq_sandbox.store.rows import scalar
from npq_sandbox.store.schema import sandbox_clocks, sandbox_settings
from sqlalchemy import Connection, bindparam, delete, insert, select

_SEED = "seed"


def remember_seed(
    conn: Connection, *, seed: int, participants: int, recipe: dict[str, Any] | None = None
) -> int:
    """Record the options (and recipe) the data was seeded with, so a reset can rebuild it.

    Return the number of settings rows written (one), for the seed's row counts.
    """
    conn.execute(delete(sandbox_settings).where(sandbox_settings.c.key == _SEED))
    value = {"seed": seed, "participants": participants, "recipe": recipe}
    conn.execute(insert(sandbox_settings).values(key=_SEED, value=value))
    return 1


def seed_options(conn: Connection) -> dict[str, Any]:
    """Return the options of the last seed (DfE-like defaults if the data was never seeded)."""
    value = conn.scalar(select(sandbox_settings.c.value).where(sandbox_settings.c.key == _SEED))
    return dict(value) if value else {"seed": 1, "participants": 0}


def clock_offset(conn: Connection, provider_id: str) -> int:
    """Return how many seconds the provider's sandbox clock runs ahead (0 when unset)."""
    return scalar(conn, _OFFSET, {"provider": provider_id}) or 0


# Built once: every write request reads it, from memory while the clocks stand still.
_OFFSET = remember(
    select(sandbox_clocks.c.offset_seconds).where(
        sandbox_clocks.c.lead_provider_id == bindparam("provider")
    )
)


def set_clock_offset(conn: Connection, provider_id: str, seconds: int | None) -> None:
    """Set the provider's clock offset; None clears it."""
    conn.execute(delete(sandbox_clocks).where(sandbox_clocks.c.lead_provider_id == provider_id))
    if seconds is not None:
        conn.execute(
            insert(sandbox_clocks).values(lead_provider_id=provider_id, offset_seconds=seconds)
        )
