"""Deterministic seed data covering every state the API can show, for every lead provider.

`seed_database` empties the database and writes, in one transaction, DfE-like reference data
(delivery partners, statements), a set of guaranteed cases per provider (named in
`SeedSummary.cases`) and a background population. Same seed and options, same bytes.

Rules: docs/rules.md §13.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.seeding.background import add_background
from npq_sandbox.seeding.cases import add_cases
from npq_sandbox.seeding.clock import SEED_NOW
from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.seeding.partners import add_delivery_partners
from npq_sandbox.seeding.statements import add_statements
from npq_sandbox.seeding.writer import TABLE_COUNT, Writer
from npq_sandbox.store.db import Database
from npq_sandbox.store.settings import remember_seed
from sqlalchemy import Connection

__all__ = [
    "DEFAULT_PARTICIPANTS",
    "SEED_NOW",
    "SeedSummary",
    "build_dataset",
    "progress_total",
    "seed_database",
    "seed_into",
]

DEFAULT_PARTICIPANTS = 2000
# Progress units: reference data, each provider's cases, each background person, each table.
_REFERENCE_STEPS = 1


@dataclass(frozen=True)
class SeedSummary:
    """Rows written per table (in schema order), and each provider's cases by name."""

    counts: dict[str, int] = field(default_factory=dict)
    cases: dict[str, dict[str, str]] = field(default_factory=dict)


def progress_total(participants: int) -> int:
    """Return the sum of the steps `seed_database` reports for this many participants."""
    return _REFERENCE_STEPS + len(LEAD_PROVIDERS) + participants + TABLE_COUNT


def seed_database(
    db: Database,
    *,
    seed: int = 1,
    participants: int = DEFAULT_PARTICIPANTS,
    progress: Callable[[int], None] | None = None,
) -> SeedSummary:
    """Replace every row with a deterministic data set, in one write transaction.

    `participants` background people are spread round-robin over the providers; `progress`
    receives step increments adding up to `progress_total(participants)`.
    """
    with db.transaction(write=True) as conn:
        return seed_into(conn, seed=seed, participants=participants, progress=progress)


def seed_into(
    conn: Connection,
    *,
    seed: int,
    participants: int,
    progress: Callable[[int], None] | None = None,
) -> SeedSummary:
    """Replace every row with the seed's, in the caller's write transaction (a full reset).

    Clocks, faults and every other table of the sandbox's own are emptied too.
    """
    report = progress or _ignore
    writer = Writer(conn)
    _, cases = build_dataset(
        seed=seed, participants=participants, progress=report, write=writer.write
    )
    counts = writer.finish(report)
    counts["sandbox_settings"] = remember_seed(conn, seed=seed, participants=participants)
    return SeedSummary(counts=counts, cases=cases)


def build_dataset(
    *,
    seed: int,
    participants: int,
    progress: Callable[[int], None] | None = None,
    write: Callable[[Dataset], None] | None = None,
) -> tuple[Dataset, dict[str, dict[str, str]]]:
    """Build the seed's records in memory (a reset rebuilds them to restore rows).

    With `write`, the records are handed to it in installments as they are built, and
    forgotten: the returned data set then holds only what every later step still needs.
    """
    if participants < 0:
        raise ValueError("participants must not be negative")
    report = progress or _ignore
    ds = Dataset.start(seed)
    home, only = add_delivery_partners(ds)
    add_statements(ds)
    report(_REFERENCE_STEPS)
    cases = add_cases(ds, home, only, report)
    if write is not None:
        write(ds)
    add_background(ds, participants, report, write or _keep)
    if write is not None:
        write(ds)
    return ds, cases


def _keep(_ds: Dataset) -> None:
    """Hold every record in memory, for callers that need the whole data set."""


def _ignore(_steps: int) -> None:
    """Stand in for a missing progress callback."""
