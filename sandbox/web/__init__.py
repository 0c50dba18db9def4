"""The sandbox's web face: the API's docs and a dashboard for the person at the sandbox.

`/api/docs` is Swagger UI over our contract (`/openapi.yaml`, `/openapi.json`); `/api/v3` is a
small index. `/` is the dashboard: server-rendered pages that read and act through the
sandbox's own JSON API (`web.calls`), so every button takes the control plane's one path.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from npq_sandbox.web import actions, dashboard, docs, journal, pages, reports


def init_app(app: Flask, reports_folder: Path | None = None) -> None:
    """Register the docs and the dashboard on `app`; `reports_folder` holds the kit's reports."""
    docs.init_app(app)
    for module in (dashboard, pages, journal, actions, reports):
        app.register_blueprint(module.bp)
    app.extensions[reports.EXTENSION] = reports_folder
