"""The whole payment journey of one declaration, from `submitted` to `clawed-back`.

DfE's side (eligible, payable, paid, clawed back) is driven through the control plane; the
provider's side (paid -> awaiting-clawback) is the API's own void.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from npq_sandbox.domain.payments import DFE_DECLARATION_MOVES
from npq_sandbox.domain.states import DeclarationState

from tests.helpers import TODAY, data, errors, failed, get, put
from tests.sandbox.control.calls import Cases, mine, move

API_NAMES = [state.api_name for state in DeclarationState]


def current(client: FlaskClient, declaration_id: str) -> dict[str, Any]:
    found: dict[str, Any] = data(get(client, f"/participant-declarations/{declaration_id}"))
    return found


def assert_only_dfes_moves(client: FlaskClient, declaration_id: str) -> None:
    """Every move DfE does not make from the current state answers 422 and changes nothing."""
    before = current(client, declaration_id)
    state = DeclarationState(before["attributes"]["state"].replace("-", "_"))
    allowed = {to.api_name for start, to in DFE_DECLARATION_MOVES if start is state}
    for to in sorted(set(API_NAMES) - allowed):
        detail = f"A declaration cannot move from {state.api_name} to {to}"
        assert failed(move(client, declaration_id, to), 422) == errors(("state", detail))
    assert current(client, declaration_id) == before


def test_submitted_to_clawed_back(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    declaration_id = mine(fresh_cases, "declaration_submitted")
    assert current(fresh_client, declaration_id)["attributes"]["state"] == "submitted"
    assert_only_dfes_moves(fresh_client, declaration_id)

    eligible = data(move(fresh_client, declaration_id, "eligible"))["attributes"]
    paying = eligible["statement_id"]
    assert (eligible["state"], eligible["clawback_statement_id"]) == ("eligible", None)
    assert paying is not None
    assert_only_dfes_moves(fresh_client, declaration_id)

    payable = data(move(fresh_client, declaration_id, "payable"))["attributes"]
    assert (payable["state"], payable["statement_id"]) == ("payable", paying)
    assert_only_dfes_moves(fresh_client, declaration_id)

    paid = data(move(fresh_client, declaration_id, "paid"))["attributes"]
    assert (paid["state"], paid["statement_id"]) == ("paid", paying)
    assert_only_dfes_moves(fresh_client, declaration_id)

    # The provider voids a paid declaration: DfE will claw the payment back.
    voided = put(fresh_client, f"/participant-declarations/{declaration_id}/void", **TODAY)
    awaiting = data(voided)["attributes"]
    claiming = awaiting["clawback_statement_id"]
    assert (awaiting["state"], awaiting["statement_id"]) == ("awaiting-clawback", paying)
    assert claiming is not None
    assert_only_dfes_moves(fresh_client, declaration_id)

    clawed = data(move(fresh_client, declaration_id, "clawed-back"))
    assert clawed == current(fresh_client, declaration_id)
    attributes = clawed["attributes"]
    assert (attributes["state"], attributes["statement_id"]) == ("clawed-back", paying)
    assert attributes["clawback_statement_id"] == claiming
    assert attributes["updated_at"] == TODAY["X-With-Server-Date"]
    assert_only_dfes_moves(fresh_client, declaration_id)
