"""The `npq-sandbox` command: serve the sandbox, (re)seed it, export fixtures, print tokens."""

from __future__ import annotations

import ipaddress
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from npq_sandbox import serving
from npq_sandbox.app import create_app
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.seeding import (
    Recipe,
    RecipeError,
    SeedSummary,
    default_recipe,
    progress_total,
    read_recipe,
    seed_database,
)
from npq_sandbox.settings import ADMIN_TOKEN, Limit, Settings
from npq_sandbox.store.db import MEMORY, Database, ForeignDatabase
from npq_sandbox.store.journal import MAX_ROWS

if TYPE_CHECKING:  # exporting imports the app: only `fixtures` commands load it
    from npq_sandbox.exporting import ExportOptions

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


def _parse_rate_limit(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> Limit | None:
    if value is None:
        return None
    try:
        return Limit.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _check_admin_token(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    # A provider's token would make that provider the administrator.
    if not value.strip() or value in {p.token for p in LEAD_PROVIDERS}:
        raise click.BadParameter("give a token of its own, not empty nor a provider's")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """A local copy of DfE's NPQ Lead Provider API v3, seeded with data in every state."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    help="Serve under gunicorn with this many worker processes sharing the database file "
    "(WAL); one per core is a good start. Without it, one process serves with threads.",
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Replay the answer to a repeated GET until anything commits to the database file; "
    "--no-cache computes every answer.",
)
@db_option
@seed_option
@participants_option
@recipe_option
@click.option(
    "--rate-limit",
    default=None,
    callback=_parse_rate_limit,
    help="Emulate DfE's throttle, e.g. 1000/300 (requests/seconds per token; not with "
    "--workers above 1). "
    "Every request then counts, so no answer is replayed from the cache.",
)
@click.option(
    "--journal/--no-journal",
    default=True,
    show_default=True,
    help="Record every /api/v3 request and answer (GET /sandbox/journal).",
)
@click.option(
    "--admin-token",
    default=ADMIN_TOKEN,
    show_default=True,
    envvar="NPQ_SANDBOX_ADMIN_TOKEN",
    callback=_check_admin_token,
    help="The administrator's token: the only one that may touch every provider "
    "(POST /sandbox/reset-all).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="A name requests may give as their Host, besides localhost and --host; repeat for "
    "several. Other names are refused (DNS rebinding).",
)
@click.option(
    "--journal-max-rows",
    default=MAX_ROWS,
    show_default=True,
    type=click.IntRange(1),
    help="Entries the journal keeps per provider, and for requests with a missing or unknown "
    "token; the oldest beyond it are dropped.",
)
@click.option(
    "--reports",
    "reports",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of `npq-conformance run --report`/`--html` files for the dashboard to "
    "list with their verdicts (/reports).",
)
def serve(
    host: str,
    port: int,
    workers: int | None,
    cache: bool,
    db_path: str,
    seed: int,
    participants: int | None,
    recipe: Recipe | None,
    rate_limit: Limit | None,
    journal: bool,
    admin_token: str,
    allowed_hosts: tuple[str, ...],
    journal_max_rows: int,
    reports: Path | None,
) -> None:
    """Serve the API, its docs (/api/docs) and a dashboard (/); seeds an empty database first.

    The database is seeded with --seed/--participants when it is empty.
    """
    if workers and workers > 1 and db_path == MEMORY:
        raise click.UsageError("--workers above 1 needs a database file, not :memory:")
    if workers and workers > 1 and rate_limit is not None:
        raise click.UsageError("--rate-limit counts in one process: use it without --workers")
    if not _is_loopback(host):
        click.echo(
            f"Warning: serving on {host}, beyond this machine. Every token is public: anyone "
            "who reaches it can act as any lead provider, or as the administrator unless "
            "--admin-token sets a secret one.",
            err=True,
        )
    db = _open(db_path)
    if db.rebuilt:
        click.echo(f"{db_path} was written by an older npq-sandbox: rebuilding it.", err=True)
    if db.is_empty():
        _seed_with_progress(db, seed, participants, recipe)

    def announce(base_url: str) -> None:
        click.echo(f"NPQ sandbox serving {base_url} (database: {db_path})")
        _print_tokens(admin_token)
        click.echo("Press Ctrl+C to stop.")

    settings = Settings(
        database=db,
        cache=cache,
        journal=journal,
        rate_limit=rate_limit,
        journal_max_rows=journal_max_rows,
        admin_token=admin_token,
        allowed_hosts=(host, *allowed_hosts),
        reports=reports,
    )
    app = create_app(settings)
    if workers:
        serving.serve_workers(app, db, host, port, workers, announce)
    else:
        serving.serve_threaded(app, host, port, announce)
    click.echo("Stopped.")


@main.command()
@db_option
@seed_option
@participants_option
@recipe_option
def seed(db_path: str, seed: int, participants: int | None, recipe: Recipe | None) -> None:
    """Rebuild the database from scratch with deterministic data (a recipe's, if given)."""
    summary = _seed_with_progress(_open(db_path), seed, participants, recipe)
    click.echo(f"Seeded {db_path}: " + ", ".join(f"{n} {t}" for t, n in summary.counts.items()))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def tokens(as_json: bool) -> None:
    """Print each lead provider's name, id and bearer token (fixed, documented values).

    The table ends with the administrator's default token (`serve --admin-token` sets another).
    """
    if as_json:
        rows = [{"name": p.name, "id": p.id, "token": p.token} for p in LEAD_PROVIDERS]
        click.echo(json.dumps(rows, indent=2))
    else:
        _print_tokens()


def _print_tokens(admin_token: str = ADMIN_TOKEN) -> None:
    width = max(len(p.name) for p in LEAD_PROVIDERS)
    for p in LEAD_PROVIDERS:
        click.echo(f"  {p.name:<{width}}  {p.id}  Bearer {p.token}")
    click.echo(
        f"  {'Administrator':<{width}}  {'(POST /sandbox/reset-all)':<36}  Bearer {admin_token}"
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _open(db_path: str) -> Database:
    """Open the database; a file another program made is refused with one line."""
    try:
        return Database(db_path)
    except ForeignDatabase as error:
        raise click.ClickException(str(error)) from None


def _seed_with_progress(
    db: Database, seed: int, participants: int | None, recipe: Recipe | None = None
) -> SeedSummary:
    chosen = recipe or default_recipe()
    if participants is not None:
        chosen = chosen.with_background(participants)
    with _progress(progress_total(chosen), f"Seeding (seed {seed})") as advance:
        return seed_database(db, seed=seed, recipe=chosen, progress=advance)


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


@main.group()
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
    db = _open(db_path or MEMORY)
    if not db_path:
        _seed_with_progress(db, seed, participants, recipe)
    with _progress(exporting.export_steps(options), f"Exporting to {out}") as advance:
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
        with _progress(exporting.export_steps(options, tables=False), label) as advance:
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

    db = _open(db_path)
    try:
        with _progress(exporting.load_steps(source), f"Loading {source}") as advance:
            counts = exporting.load_fixtures(source, db, advance)
    except exporting.CorruptExport as error:
        raise _BadExport(str(error)) from None
    click.echo(f"Loaded {db_path}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
