"""POST /sandbox/reset and /sandbox/reset-all: back to the seeded data.

The seed is rebuilt in memory with the options the database was seeded with, so the rows put
back are byte for byte the seeded ones. See `sandbox.store.reset` for what a provider's reset
touches (and what it leaves alone).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from sandbox.api.context import connection, provider
from sandbox.api.render import render
from sandbox.control.journal import clear as clear_journal
from sandbox.seeding import build_dataset
from sandbox.store import reset
from sandbox.store.settings import seed_options

bp = Blueprint("control_resets", __name__)


@bp.post("/reset")
def reset_provider() -> Response:
    conn, caller = connection(), provider()
    options = _options(seed_options(conn))
    ds, _cases = build_dataset(seed=options["seed"], participants=options["participants"])
    reset.reset_provider(conn, caller.id, ds)
    clear_journal(caller.id)
    return _render(caller.id, "lead-provider", options)


@bp.post("/reset-all")
def reset_all() -> Response:
    conn = connection()
    options = _options(seed_options(conn))
    ds, _cases = build_dataset(seed=options["seed"], participants=options["participants"])
    reset.reset_all(conn, ds, seed=options["seed"], participants=options["participants"])
    clear_journal(None)
    return _render("all", "all", options)


def _options(stored: dict[str, Any]) -> dict[str, int]:
    return {"seed": int(stored["seed"]), "participants": int(stored["participants"])}


def _render(id_: str, scope: str, options: dict[str, int]) -> Response:
    attributes = {"scope": scope, **options}
    return render({"id": id_, "type": "sandbox-reset", "attributes": attributes})
