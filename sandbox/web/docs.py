"""The API's documentation: Swagger UI at /api/docs, the contract, and an index at /api/v3.

Swagger UI's files come from the `flask-swagger-ui` package and are served by the sandbox
itself, so the docs work offline. The contract served names this sandbox as its server, so
"try it out" calls it once a token is given (Authorize).
"""

from __future__ import annotations

import json

import yaml
from flask import Blueprint, Flask, Response, request, url_for
from flask_swagger_ui import get_swaggerui_blueprint
from npq_sandbox.web import contract

DOCS_URL = "/api/docs"
SWAGGER_CONFIG = {
    "app_name": "NPQ sandbox: API docs",
    # Swagger UI would send the contract to an online validator; the docs stay offline.
    "validatorUrl": None,
    "persistAuthorization": True,
    "displayRequestDuration": True,
}

bp = Blueprint("web_docs", __name__)


def init_app(app: Flask) -> None:
    """Register the docs, the contract's two forms and the API's index on `app`."""
    app.register_blueprint(bp)
    swagger = get_swaggerui_blueprint(
        DOCS_URL, "/openapi.json", config=SWAGGER_CONFIG, blueprint_name="web_swagger_ui"
    )
    app.register_blueprint(swagger)


@bp.get("/openapi.json")
def contract_json() -> Response:
    return Response(json.dumps(_served()), mimetype="application/json")


@bp.get("/openapi.yaml")
def contract_yaml() -> Response:
    text = yaml.safe_dump(_served(), sort_keys=False, allow_unicode=True)
    return Response(text, mimetype="application/yaml")


@bp.get("/api/v3")
def api_index() -> Response:
    """A small JSON index instead of a 404: where the docs and the contract are."""
    links = {
        "docs": url_for("web_swagger_ui.show", _external=True),
        "openapi_yaml": url_for("web_docs.contract_yaml", _external=True),
        "openapi_json": url_for("web_docs.contract_json", _external=True),
        "dashboard": url_for("web_dashboard.overview", _external=True),
    }
    info = contract.document()["info"]
    body = {"name": info["title"], "version": info["version"], "links": links}
    return Response(json.dumps(body), mimetype="application/json")


def _served() -> dict[str, object]:
    return contract.served(request.host_url)
