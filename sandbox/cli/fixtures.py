"""`npq-sandbox fixtures`: write the API's answers to files, or load an export back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from npq_sandbox.cli.options import (
    db_option,
    open_database,
    participants_option,
    progress,
    recipe_option,
    seed_option,
    seed_with_progress,
)
from npq_sandbox.seeding import Recipe
from npq_sandbox.store.db import MEMORY

if TYPE_CHECKING:  # exporting imports the app: only `fixtures` commands load it
    from npq_sandbox.exporting import ExportOptions


@click.group()
def fixtures() -> None:
    """Write the API's answers to files (for demos and unit tests), or load them back."""


@fixtures.command("export")
@seed_option
@participants_option
@recipe_option
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write; it must be empty or not exist yet.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "yaml", "csv"]),
    default="json",
    show_default=True,
    help="json and yaml: every list's pages plus one file per resource; csv: one flat file "
    "per resource, for spreadsheets.",
)
@click.option(
    "--provider",
    "provider_names",
    multiple=True,
    help="Only this lead provider (name, folder name or id); repeat for several. Default: all.",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Export this existing database file instead of seeding a fresh one (--seed and "
    "--participants are then ignored).",
)
@click.option(
    "--base-url",
    help="Snapshot what the sandbox serving at this URL answers now (its root or its API's "
    "base URL), instead of a database; the export then has no _database folder.",
)
@click.option(
    "--token",
    "tokens",
    multiple=True,
    help="With --base-url: export this provider's view; repeat for several. Default: every "
    "provider's (or those --provider names).",
)
def export(
    seed: int,
    participants: int | None,
    recipe: Recipe | None,
    out: Path,
    fmt: str,
    provider_names: tuple[str, ...],
    db_path: str | None,
    base_url: str | None,
    tokens: tuple[str, ...],
) -> None:
    """Write each provider's API answers under OUT; the same options give the same bytes."""
    from npq_sandbox import exporting

    if out.exists() and any(out.iterdir()):
        raise click.UsageError(f"{out} is not empty; choose a new directory")
    if tokens and not base_url:
        raise click.UsageError("--token names a provider of a running sandbox: give --base-url")
    if base_url and db_path:
        raise click.UsageError("give --base-url or --db, not both")
    if recipe and (base_url or db_path):
        raise click.UsageError("--recipe seeds a fresh database: not with --db or --base-url")
    if recipe and not (provider_names or tokens):
        provider_names = recipe.providers  # the recipe's providers, not all eight
    options = _export_options(fmt, provider_names, tokens)
    if base_url:
        _snapshot(base_url, out, options)
        return
    db = open_database(db_path or MEMORY)
    if not db_path:
        seed_with_progress(db, seed, participants, recipe)
    with progress(exporting.export_steps(options), f"Exporting to {out}") as advance:
        written = exporting.export_fixtures(db, out, options, advance)
    click.echo(f"Wrote {written} files to {out}")


def _export_options(
    fmt: str, provider_names: tuple[str, ...], tokens: tuple[str, ...]
) -> ExportOptions:
    from npq_sandbox import exporting

    try:
        providers = exporting.find_providers(provider_names)
    except LookupError as error:
        raise click.BadParameter(str(error), param_hint="--provider") from error
    try:
        by_token = exporting.providers_of(tokens)
    except LookupError as error:
        raise click.BadParameter(str(error), param_hint="--token") from error
    return exporting.ExportOptions(fmt, by_token or providers)


def _snapshot(base_url: str, out: Path, options: ExportOptions) -> None:
    """Read every chosen provider's lists from a running sandbox into OUT."""
    from npq_sandbox import exporting

    label = f"Snapshot of {base_url} to {out}"
    try:
        with progress(exporting.export_steps(options, tables=False), label) as advance:
            read = exporting.http_reader(base_url)
            written = exporting.write_answers(read, out, options, advance)
    except exporting.ReadFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {written} files to {out} (a snapshot: serve it from manifest.json)")


class _BadExport(click.ClickException):
    """One line naming the file and the problem; exit 2, as for a bad argument."""

    exit_code = 2


@fixtures.command("load")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
def load(source: Path, db_path: str) -> None:
    """Replace the database's rows with those of the export in SOURCE."""
    from npq_sandbox import exporting

    db = open_database(db_path)
    try:
        with progress(exporting.load_steps(source), f"Loading {source}") as advance:
            counts = exporting.load_fixtures(source, db, advance)
    except exporting.CorruptExport as error:
        raise _BadExport(str(error)) from None
    click.echo(f"Loaded {db_path}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
