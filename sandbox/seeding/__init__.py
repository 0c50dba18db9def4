"""Deterministic seed data covering every state the API can show, for every lead provider.

`seed_database` empties the database and writes, in one transaction, what a recipe asks for
(`recipe`; the default seed is `recipes/default.yaml`): DfE-like reference data (delivery
partners, statements) for its providers, the families of guaranteed cases it names per
provider (named in `SeedSummary.cases`), records made to order (`orders`) and a background
population. Same seed and recipe, same bytes.

Rules: docs/rules.md §13.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from npq_sandbox.seeding.background import add_background
from npq_sandbox.seeding.cases import add_cases
from npq_sandbox.seeding.clock import SEED_NOW
from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.seeding.orders import check_recipe
from npq_sandbox.seeding.partners import add_delivery_partners
from npq_sandbox.seeding.recipe import (
    Recipe,
    RecipeError,
    default_recipe,
    from_document,
    load_recipe,
    parse_recipe,
)
from npq_sandbox.seeding.statements import add_statements
from npq_sandbox.seeding.writer import TABLE_COUNT, Writer
from npq_sandbox.store.db import Database
from npq_sandbox.store.settings import remember_seed, seed_options
from sqlalchemy import Connection

__all__ = [
    "DEFAULT_PARTICIPANTS",
    "SEED_NOW",
    "Recipe",
    "RecipeError",
    "SeedSummary",
    "build_dataset",
    "default_recipe",
    "parse_recipe",
    "progress_total",
    "read_recipe",
    "seed_database",
    "seed_into",
    "stored_recipe",
]

DEFAULT_PARTICIPANTS = 2000
# Progress units: reference data, each provider's cases, each background person, each table.
_REFERENCE_STEPS = 1


@dataclass(frozen=True)
class SeedSummary:
    """Rows written per table (in schema order), and each provider's cases by name."""

    counts: dict[str, int] = field(default_factory=dict)
    cases: dict[str, dict[str, str]] = field(default_factory=dict)


def progress_total(recipe: Recipe) -> int:
    """Return the sum of the steps `seed_database` reports for this recipe."""
    return _REFERENCE_STEPS + len(recipe.providers) + recipe.background + TABLE_COUNT


def read_recipe(path: Path) -> Recipe:
    """Read a recipe file and check it can be made; raise RecipeError naming the line."""
    recipe = load_recipe(path)
    check_recipe(recipe)
    return recipe


def seed_database(
    db: Database,
    *,
    seed: int = 1,
    participants: int | None = None,
    recipe: Recipe | None = None,
    progress: Callable[[int], None] | None = None,
) -> SeedSummary:
    """Replace every row with the recipe's deterministic data set, in one write transaction.

    The recipe defaults to the default seed's; `participants`, when given, replaces its number
    of background people. `progress` receives step increments adding up to `progress_total`.
    """
    chosen = _with_background(recipe or default_recipe(), participants)
    with db.transaction(write=True) as conn:
        return seed_into(conn, seed=seed, recipe=chosen, progress=progress)


def seed_into(
    conn: Connection,
    *,
    seed: int,
    participants: int | None = None,
    recipe: Recipe | None = None,
    progress: Callable[[int], None] | None = None,
) -> SeedSummary:
    """Replace every row with the seed's, in the caller's write transaction (a full reset).

    Without a recipe, the one the database was last seeded with is used again. Clocks, faults
    and every other table of the sandbox's own are emptied too.
    """
    chosen = _with_background(recipe or stored_recipe(conn), participants)
    report = progress or _ignore
    writer = Writer(conn)
    _, cases = build_dataset(seed=seed, recipe=chosen, progress=report, write=writer.write)
    counts = writer.finish(report)
    counts["sandbox_settings"] = remember_seed(
        conn, seed=seed, participants=chosen.background, recipe=chosen.document
    )
    return SeedSummary(counts=counts, cases=cases)


def stored_recipe(conn: Connection) -> Recipe:
    """Return the recipe the database was seeded with (the default one if none was kept)."""
    document = seed_options(conn).get("recipe")
    return from_document(document, "recipe", {}) if document else default_recipe()


def build_dataset(
    *,
    seed: int,
    recipe: Recipe,
    progress: Callable[[int], None] | None = None,
    write: Callable[[Dataset], None] | None = None,
) -> tuple[Dataset, dict[str, dict[str, str]]]:
    """Build the recipe's records in memory (a reset rebuilds them to restore rows).

    With `write`, the records are handed to it in installments as they are built, and
    forgotten: the returned data set then holds only what every later step still needs.
    """
    report = progress or _ignore
    ds = Dataset.start(seed)
    home, only = add_delivery_partners(ds, recipe.providers)
    add_statements(ds, recipe.providers)
    report(_REFERENCE_STEPS)
    cases = add_cases(ds, home, only, report, recipe)
    if write is not None:
        write(ds)
    add_background(ds, recipe, report, write or _keep)
    if write is not None:
        write(ds)
    return ds, cases


def _with_background(recipe: Recipe, participants: int | None) -> Recipe:
    if participants is None:
        return recipe
    if participants < 0:
        raise ValueError("participants must not be negative")
    return recipe.with_background(participants)


def _keep(_ds: Dataset) -> None:
    """Hold every record in memory, for callers that need the whole data set."""


def _ignore(_steps: int) -> None:
    """Stand in for a missing progress callback."""
