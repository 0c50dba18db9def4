"""POST /sandbox/reset and /sandbox/reset-all: back to the seeded data.

Both rebuild the seed with the options the database was seeded with. See
`sandbox.seeding.reset` for what a provider's reset touches (and what it leaves alone).
Resetting every provider takes the administrator's token (`every_provider`).

Rules: docs/rules.md §18.6.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response
from npq_sandbox.api.context import connection, provider
from npq_sandbox.api.render import render
from npq_sandbox.control.journal import clear as clear_journal
from npq_sandbox.seeding import reset, seed_into
from npq_sandbox.store.settings import seed_options

bp = Blueprint("control_resets", __name__)
every_provider = Blueprint("control_reset_all", __name__)


@bp.post("/reset")
def reset_provider() -> Response:
    conn, caller = connection(), provider()
    options = _options(seed_options(conn))
    reset.reset_provider(conn, caller.id, **options)
    clear_journal(caller.id)
    return _render(caller.id, "lead-provider", options)


@every_provider.post("/reset-all")
def reset_all() -> Response:
    conn = connection()
    options = _options(seed_options(conn))
    seed_into(conn, seed=options["seed"], participants=options["participants"])
    clear_journal(None)
    return _render("all", "all", options)


def _options(stored: dict[str, Any]) -> dict[str, int]:
    return {"seed": int(stored["seed"]), "participants": int(stored["participants"])}


def _render(id_: str, scope: str, options: dict[str, int]) -> Response:
    attributes = {"scope": scope, **options}
    return render({"id": id_, "type": "sandbox-reset", "attributes": attributes})
