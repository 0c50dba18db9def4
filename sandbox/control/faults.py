"""/sandbox/faults: the caller's injected faults (see `sandbox.domain.faults`).

Faults act on the caller's own /api/v3 requests only (`sandbox.middleware.faults` fires them),
never on another provider's nor on /sandbox.

Rules: docs/rules.md §18.8.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response
from npq_sandbox.api import body
from npq_sandbox.api.context import connection, provider
from npq_sandbox.api.render import found_or_404, render
from npq_sandbox.domain import faults as rules
from npq_sandbox.domain.faults import Fault
from npq_sandbox.store import faults as store

bp = Blueprint("control_faults", __name__)


@bp.post("/faults")
def add_fault() -> Response:
    spec = rules.parse(body.attributes(rules.ATTRIBUTES))
    conn, caller = connection(), provider()
    rules.check_room(store.count(conn, caller.id))
    return render(_fault(store.add(conn, caller.id, spec)))


@bp.get("/faults")
def list_faults() -> Response:
    return render([_fault(f) for f in store.of_provider(connection(), provider().id)])


@bp.delete("/faults")
def clear_faults() -> Response:
    store.remove(connection(), provider().id)
    return render([])


@bp.delete("/faults/<fault_id>")
def remove_fault(fault_id: str) -> Response:
    conn, caller = connection(), provider()
    fault = found_or_404(store.get(conn, caller.id, fault_id))
    store.remove(conn, caller.id, fault.id)
    return render(_fault(fault))


def _fault(fault: Fault) -> dict[str, Any]:
    attributes = {name: getattr(fault.spec, name) for name in rules.ATTRIBUTES}
    attributes["remaining"] = fault.remaining
    return {"id": fault.id, "type": "sandbox-fault", "attributes": attributes}
