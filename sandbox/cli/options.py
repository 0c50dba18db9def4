"""What the `npq-sandbox` commands share: the database, seed and recipe options, progress."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from npq_sandbox.seeding import (
    Recipe,
    RecipeError,
    SeedSummary,
    default_recipe,
    progress_total,
    read_recipe,
    seed_database,
)
from npq_sandbox.store.db import Database
from npq_sandbox.store.ownership import ForeignDatabase

DEFAULT_DB = ".npq-sandbox/sandbox.db"

db_option = click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    envvar="NPQ_SANDBOX_DB",
    help="SQLite database file, or :memory: for a throwaway one.",
)
seed_option = click.option(
    "--seed",
    default=1,
    show_default=True,
    help="Seed of the generated data; the same seed gives the same data.",
)
participants_option = click.option(
    "--participants",
    default=None,
    type=click.IntRange(0),
    help="Background participants on top of the guaranteed cases, spread over the providers "
    "[default: the recipe's; 2000 in the default one].",
)


class _BadRecipe(click.ClickException):
    """One line naming the recipe's file and line; exit 2, as for a bad argument."""

    exit_code = 2


def _read_recipe(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Recipe | None:
    if value is None:
        return None
    try:
        return read_recipe(value)
    except RecipeError as error:
        raise _BadRecipe(str(error)) from None


recipe_option = click.option(
    "--recipe",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    callback=_read_recipe,
    help="A YAML recipe saying what the data holds (see the README's fixtures section); "
    "default: the package's default.yaml.",
)


def open_database(db_path: str) -> Database:
    """Open the database; a file another program made is refused with one line."""
    try:
        return Database(db_path)
    except ForeignDatabase as error:
        raise click.ClickException(str(error)) from None


def seed_with_progress(
    db: Database, seed: int, participants: int | None, recipe: Recipe | None = None
) -> SeedSummary:
    """Seed `db` as the recipe (default: the package's) says, with a progress bar."""
    chosen = recipe or default_recipe()
    if participants is not None:
        chosen = chosen.with_background(participants)
    with progress(progress_total(chosen), f"Seeding (seed {seed})") as advance:
        return seed_database(db, seed=seed, recipe=chosen, progress=advance)


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """Show a progress bar on stderr; yield the function that advances it."""
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update
