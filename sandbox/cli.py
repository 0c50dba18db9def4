"""The `npq-sandbox` command: serve the sandbox, (re)seed its database, print its tokens."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from werkzeug.serving import make_server

from sandbox.api.ratelimit import Limit
from sandbox.app import create_app
from sandbox.domain.reference import LEAD_PROVIDERS
from sandbox.seeding import DEFAULT_PARTICIPANTS, SeedSummary, progress_total, seed_database
from sandbox.store.db import Database

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
    default=DEFAULT_PARTICIPANTS,
    show_default=True,
    type=click.IntRange(0),
    help="Background participants on top of the guaranteed cases, spread over the providers.",
)


def _check_rate_limit(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> str | None:
    if value is not None:
        try:
            Limit.parse(value)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None
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
@db_option
@seed_option
@participants_option
@click.option(
    "--rate-limit",
    default=None,
    callback=_check_rate_limit,
    help="Emulate DfE's throttle, e.g. 1000/300 (requests/seconds per token; per process).",
)
@click.option(
    "--journal/--no-journal",
    default=True,
    show_default=True,
    help="Record every /api/v3 request and answer (GET /sandbox/journal).",
)
def serve(
    host: str,
    port: int,
    db_path: str,
    seed: int,
    participants: int,
    rate_limit: str | None,
    journal: bool,
) -> None:
    """Serve the API; seeds the database first if it is empty (--seed/--participants)."""
    db = Database(db_path)
    if db.rebuilt:
        click.echo(f"{db_path} was written by an older npq-sandbox: rebuilding it.", err=True)
    if db.is_empty():
        _seed_with_progress(db, seed, participants)
    app = create_app({"DB": db, "RATE_LIMIT": rate_limit, "JOURNAL": journal})
    server = make_server(host, port, app, threaded=True)
    base_url = f"http://{host}:{server.server_port}/api/v3"
    click.echo(f"NPQ sandbox serving {base_url} (database: {db_path})")
    _print_tokens()
    click.echo("Press Ctrl+C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")


@main.command()
@db_option
@seed_option
@participants_option
def seed(db_path: str, seed: int, participants: int) -> None:
    """Rebuild the database from scratch with deterministic data."""
    summary = _seed_with_progress(Database(db_path), seed, participants)
    click.echo(f"Seeded {db_path}: " + ", ".join(f"{n} {t}" for t, n in summary.counts.items()))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def tokens(as_json: bool) -> None:
    """Print each lead provider's name, id and bearer token (fixed, documented values)."""
    if as_json:
        rows = [{"name": p.name, "id": p.id, "token": p.token} for p in LEAD_PROVIDERS]
        click.echo(json.dumps(rows, indent=2))
    else:
        _print_tokens()


def _print_tokens() -> None:
    width = max(len(p.name) for p in LEAD_PROVIDERS)
    for p in LEAD_PROVIDERS:
        click.echo(f"  {p.name:<{width}}  {p.id}  Bearer {p.token}")


def _seed_with_progress(db: Database, seed: int, participants: int) -> SeedSummary:
    with _progress(progress_total(participants), f"Seeding (seed {seed})") as advance:
        return seed_database(db, seed=seed, participants=participants, progress=advance)


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update
