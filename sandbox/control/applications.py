"""POST /sandbox/npq-applications: a pending application, as DfE's registration stores it.

Rules: docs/rules.md §18.2.
"""

from __future__ import annotations

from flask import Blueprint, Response
from npq_sandbox.api import body, serializers
from npq_sandbox.api.clock import now
from npq_sandbox.api.context import connection, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.control import registrations
from npq_sandbox.store import applications as store
from npq_sandbox.store import writes

bp = Blueprint("control_applications", __name__)


@bp.post("/npq-applications")
def create_application() -> Response:
    given = body.attributes(registrations.ATTRIBUTES)
    conn = connection()
    registration = registrations.register(conn, provider(), given, now())
    if registration.person is not None:
        writes.save(conn, registration.person)
    writes.save(conn, *registration.applications)
    views = [
        found_or_404(store.get_application(conn, a.lead_provider_id, a.id))
        for a in registration.applications
    ]
    return render([serializers.application(v) for v in views])
