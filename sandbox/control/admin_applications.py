"""/sandbox/npq-applications/{id}/...: DfE's admin operations on one of the caller's applications.

Change funding eligibility, cohort or training status, transfer to another lead provider, and
revert to pending. Each answers the application as its provider now sees it through /api/v3
(after a transfer, the new provider).

Rules: docs/rules.md §18.12 to §18.14.
"""

from __future__ import annotations

from flask import Blueprint, Response
from npq_sandbox.api import body, serializers
from npq_sandbox.api.clock import now
from npq_sandbox.api.context import connection, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain import admin as rules
from npq_sandbox.domain.records import Application, Declaration
from npq_sandbox.store import applications as store
from npq_sandbox.store import writes
from npq_sandbox.store.declarations import declarations_on_application
from sqlalchemy import Connection

bp = Blueprint("control_admin_applications", __name__)


@bp.put("/npq-applications/<application_id>/eligibility")
def change_application_eligibility(application_id: str) -> Response:
    given = body.attributes(rules.ELIGIBILITY)
    conn, found, declarations = _load(application_id)
    changed = rules.change_eligibility(found, given, declarations=declarations, now=now())
    return _saved(conn, changed)


@bp.put("/npq-applications/<application_id>/cohort")
def change_application_cohort(application_id: str) -> Response:
    given = body.attributes(rules.COHORT)
    conn, found, declarations = _load(application_id)
    changed = rules.change_cohort(found, given, declarations=declarations, now=now())
    return _saved(conn, changed)


@bp.post("/npq-applications/<application_id>/transfer")
def transfer_application(application_id: str) -> Response:
    given = body.attributes(rules.TRANSFER)
    conn, found, _ = _load(application_id)
    return _saved(conn, rules.transfer(found, given, now=now()))


@bp.put("/npq-applications/<application_id>/training-status")
def change_application_training_status(application_id: str) -> Response:
    given = body.attributes(rules.TRAINING_STATUS)
    conn, found, declarations = _load(application_id)
    change = rules.change_training_status(found, given, declarations=declarations, now=now())
    if change is None:  # DfE's admin screen saves nothing when the status is unchanged
        return _saved(conn, found)
    writes.add(conn, change.history)
    return _saved(conn, change.application)


@bp.post("/npq-applications/<application_id>/revert-to-pending")
def revert_application_to_pending(application_id: str) -> Response:
    conn, found, declarations = _load(application_id)
    reverted = rules.revert_to_pending(found, declarations=declarations, now=now())
    store.clear_training_history(conn, reverted.id)
    return _saved(conn, reverted)


def _load(application_id: str) -> tuple[Connection, Application, list[Declaration]]:
    """Find the caller's application (404 otherwise) and every declaration on it."""
    conn = connection()
    found = found_or_404(store.find_application(conn, provider().id, application_id))
    return conn, found, declarations_on_application(conn, found.id)


def _saved(conn: Connection, application: Application) -> Response:
    writes.save(conn, application)
    view = store.get_application(conn, application.lead_provider_id, application.id)
    return render(serializers.application(found_or_404(view)))
