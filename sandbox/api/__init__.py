"""The HTTP layer: DfE's v3 routes under /api/v3, thin views over the store and domain."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, g
from npq_sandbox.api import (
    applications,
    body,
    clock,
    context,
    declarations,
    delivery_partners,
    errors,
    outcomes,
    participants,
    statements,
)
from npq_sandbox.api.query import check_filter_shape

API_PREFIX = "/api/v3"


def init_app(app: Flask) -> None:
    """Register DfE's v3 API and its error rendering on `app`."""
    api = Blueprint("api", __name__, url_prefix=API_PREFIX)
    api.before_request(_check_caller)
    for module in (
        applications,
        participants,
        outcomes,
        declarations,
        statements,
        delivery_partners,
    ):
        api.register_blueprint(module.bp)
    app.register_blueprint(api)
    app.before_request(body.check_length)  # every route, the control plane's too
    app.after_request(_no_store)
    errors.init_app(app)


def _check_caller() -> None:
    # DfE's time-travel middleware runs first; then the shape of `filter` is checked before
    # the token, so `?filter=x` is a 400, not a 401.
    clock.check_server_date()
    check_filter_shape(context.params())
    g.npq_provider = context.authenticate()


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
