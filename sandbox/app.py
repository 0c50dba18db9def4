"""The application factory: the only way to get a sandbox app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from sandbox import api, control
from sandbox.api import context, ratelimit
from sandbox.store.db import MEMORY, Database

DEFAULTS: dict[str, Any] = {
    "DATABASE": MEMORY,
    # Bodies over 1 MiB are refused before parsing; DfE's own are a few hundred bytes.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # Rails answers OPTIONS on these routes with 404, not with an Allow list.
    "PROVIDE_AUTOMATIC_OPTIONS": False,
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the sandbox app; `config["DATABASE"]` is a SQLite path or ``:memory:``.

    A `Database` may be passed as `config["DB"]` to share one between apps (tests do).
    """
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.json.sort_keys = False  # type: ignore[attr-defined]  # DfE's attribute order
    app.json.compact = True  # type: ignore[attr-defined]
    app.url_map.strict_slashes = False  # Rails routes ignore a trailing slash
    db = app.config.get("DB") or Database(app.config["DATABASE"])
    ratelimit.init_app(app)  # first: DfE throttles before routing
    context.init_app(app, db)
    api.init_app(app)
    control.init_app(app)
    return app
