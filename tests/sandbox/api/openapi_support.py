"""What the schemathesis tests share: `openapi.yaml` loaded, the checks, the app's routes."""

from __future__ import annotations

import re
from pathlib import Path

import schemathesis
from npq_sandbox import Settings, create_app
from schemathesis import checks
from schemathesis.schemas import BaseSchema
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map

from tests.helpers import UNKNOWN_ID

SPEC = Path(__file__).parents[3] / "openapi.yaml"
AUTH = {"Authorization": "Bearer ambition-token"}
# DfE answers a wrong verb with 404, not 405, so the undeclared-method probe does not apply;
# invalid inputs are the service's business (DfE ignores blanks and unknown cohorts, and
# answers bad bodies with 400 or 422), so only the answers are checked, for valid and
# invalid requests alike.
RESPONSE_CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
SERVER_DATE = "X-With-Server-Date"


def load_schema() -> BaseSchema:
    """Load `openapi.yaml` as every contract test uses it."""
    schema = schemathesis.openapi.from_path(SPEC)
    schema.config.generation.update(with_security_parameters=False)
    return schema


def app_routes() -> Map:
    """The URL map of a sandbox app, to tell which documented operations exist in this build."""
    return create_app(Settings(testing=True)).url_map


def is_routed(routes: Map, path: str, method: str) -> bool:
    """Tell whether the app has a route for `method path` (path templates take a sample id)."""
    adapter = routes.bind("localhost")
    try:
        adapter.match(re.sub(r"\{[^}]+\}", UNKNOWN_ID, path), method=method.upper())
    except (NotFound, MethodNotAllowed):
        return False
    return True
