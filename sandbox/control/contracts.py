"""/sandbox/contracts: the caller's contracts, which DfE's declarations and schedule changes need.

Rules: docs/rules.md §4.4 and §18.15.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response
from npq_sandbox.api import body
from npq_sandbox.api.context import connection, provider
from npq_sandbox.api.render import render
from npq_sandbox.domain import admin as rules
from npq_sandbox.domain.errors import NotFound, ValidationFailed
from npq_sandbox.domain.records import Contract
from npq_sandbox.store import contracts as store

bp = Blueprint("control_contracts", __name__)


@bp.get("/contracts")
def list_contracts() -> Response:
    return render([_contract(c) for c in store.list_contracts(connection(), provider().id)])


@bp.post("/contracts")
def add_contract() -> Response:
    contract = rules.parse_contract(provider().id, body.attributes(rules.CONTRACT))
    conn = connection()
    rules.check_new_contract(store.has_contract(conn, contract))
    store.add_contract(conn, contract)
    return render(_contract(contract))


@bp.delete("/contracts/<cohort>/<course_identifier>")
def remove_contract(cohort: str, course_identifier: str) -> Response:
    given = {"cohort": cohort, "course_identifier": course_identifier}
    try:
        contract = rules.parse_contract(provider().id, given)
    except ValidationFailed:
        raise NotFound() from None  # a pair that names no contract, as an unknown id
    if not store.remove_contract(connection(), contract):
        raise NotFound()
    return render(_contract(contract))


def _contract(contract: Contract) -> dict[str, Any]:
    attributes = {"cohort": contract.cohort, "course_identifier": contract.course_identifier}
    return {
        "id": f"{contract.cohort}/{contract.course_identifier}",
        "type": "sandbox-contract",
        "attributes": attributes,
    }
