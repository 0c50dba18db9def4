"""The application factory: the only way to get a sandbox app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.typing import ResponseReturnValue
from npq_sandbox import api, control, pipeline, web
from npq_sandbox.api import context
from npq_sandbox.api.render import JsonBytes
from npq_sandbox.settings import Settings
from npq_sandbox.store.journal import JournalWriter

FLASK_CONFIG: dict[str, Any] = {
    # Bodies over 1 MiB are refused before parsing; DfE's own are a few hundred bytes.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # Rails answers OPTIONS on these routes with 404, not with an Allow list.
    "PROVIDE_AUTOMATIC_OPTIONS": False,
}


class _Sandbox(Flask):
    """Flask, with each view run by `context.dispatch` (again, locked, after a lost race)."""

    def dispatch_request(self) -> ResponseReturnValue:
        return context.dispatch(super().dispatch_request)

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        # Flask asks of every hook and view, each request, whether it is a coroutine: none is.
        return func


def create_app(settings: Settings | None = None) -> Flask:
    """Build the sandbox app, its routes inside the request pipeline (`sandbox.pipeline`)."""
    settings = settings or Settings()
    app = _Sandbox(__name__)
    app.config.update(FLASK_CONFIG, TESTING=settings.testing)
    app.json = JsonBytes(app)  # DfE's attribute order and bytes: no trailing newline
    app.url_map.strict_slashes = False  # Rails routes ignore a trailing slash
    db = settings.open_database()
    writer = JournalWriter(db, settings.journal_max_rows)
    context.init_app(app, db, writer, settings.admin_token)
    api.init_app(app)
    control.init_app(app)
    web.init_app(app, settings.reports)
    pipeline.init_app(app, settings, db, writer)
    return app
