"""The `npq-sandbox` command: serve the sandbox, (re)seed it, export fixtures, print tokens."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import click
from npq_sandbox import serving
from npq_sandbox.app import create_app
from npq_sandbox.cli.fixtures import fixtures
from npq_sandbox.cli.options import (
    db_option,
    open_database,
    participants_option,
    recipe_option,
    seed_option,
    seed_with_progress,
)
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.seeding import Recipe
from npq_sandbox.settings import ADMIN_TOKEN, Limit, Settings
from npq_sandbox.store.db import MEMORY
from npq_sandbox.store.journal import MAX_ROWS


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
    if workers:
        serving.make_cooperative()  # before anything makes a lock or a thread
    if not _is_loopback(host):
        click.echo(
            f"Warning: serving on {host}, beyond this machine. Every token is public: anyone "
            "who reaches it can act as any lead provider, or as the administrator unless "
            "--admin-token sets a secret one.",
            err=True,
        )
    db = open_database(db_path)
    if db.rebuilt:
        click.echo(f"{db_path} was written by an older npq-sandbox: rebuilding it.", err=True)
    if db.is_empty():
        seed_with_progress(db, seed, participants, recipe)

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
    summary = seed_with_progress(open_database(db_path), seed, participants, recipe)
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


main.add_command(fixtures)
