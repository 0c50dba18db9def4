"""The sandbox control plane under /sandbox: what only DfE can do in DfE's sandbox.

Providers cannot move DfE's side of the journey (eligibility, statements, payments, the
passing of time) in DfE's own sandbox; these endpoints let them do it in theirs. They take the
same bearer tokens as /api/v3, act only on the caller's records, and answer in the API's
envelope with the API's serializers. What touches every provider (`POST /sandbox/reset-all`)
takes the administrator's token instead, never a provider's.

Rules: docs/rules.md §18.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g
from npq_sandbox.api import clock, context
from npq_sandbox.control import (
    admin_applications,
    applications,
    contracts,
    declarations,
    faults,
    journal,
    people,
    resets,
    statements,
    time,
)

PREFIX = "/sandbox"


def init_app(app: Flask) -> None:
    """Register the control plane's routes on `app` (errors render through sandbox.api)."""
    control = Blueprint("sandbox_control", __name__, url_prefix=PREFIX)
    control.before_request(_check_caller)
    for module in (
        applications,
        admin_applications,
        people,
        contracts,
        declarations,
        statements,
        time,
        resets,
        journal,
        faults,
    ):
        control.register_blueprint(module.bp)
    app.register_blueprint(control)
    administration = Blueprint("sandbox_administration", __name__, url_prefix=PREFIX)
    administration.before_request(clock.check_server_date)
    administration.before_request(context.authenticate_administrator)
    administration.register_blueprint(resets.every_provider)
    app.register_blueprint(administration)


def _check_caller() -> None:
    # X-With-Server-Date works here too, so a test can act "on" a given day.
    clock.check_server_date()
    g.npq_provider = context.authenticate()
