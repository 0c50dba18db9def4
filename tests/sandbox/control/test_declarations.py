"""PUT /sandbox/participant-declarations/{id}/state: DfE's side of a declaration's journey."""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.store import statements
from npq_sandbox.store.db import Database

from tests.helpers import ACCESS_DENIED, AMBITION, NOT_FOUND, NOW, data, errors, failed, get
from tests.sandbox.control.calls import Cases, mine, move, sandbox

CANNOT_MODIFY = errors((m.CANNOT_MODIFY_DECLARATION_TITLE, m.CANNOT_MODIFY_DECLARATION))
TODAY_DATE = date(2026, 11, 30)


def declaration(client: FlaskClient, declaration_id: str) -> dict[str, object]:
    found: dict[str, object] = data(get(client, f"/participant-declarations/{declaration_id}"))
    return found


def next_statement_id(db: Database) -> str:
    """The statement DfE attaches Ambition's 2025a payments to on TODAY."""
    with db.transaction() as conn:
        found = statements.next_output_fee_statement(conn, AMBITION.id, "2025a", TODAY_DATE)
    assert found is not None
    return found.id


def test_submitted_to_eligible_attaches_to_the_next_statement(
    fresh_client: FlaskClient, fresh_cases: Cases, fresh_db: Database
) -> None:
    declaration_id = mine(fresh_cases, "declaration_submitted")
    before = declaration(fresh_client, declaration_id)
    moved = data(move(fresh_client, declaration_id, "eligible"))
    assert moved == declaration(fresh_client, declaration_id)
    assert moved["attributes"] == {
        **before["attributes"],  # type: ignore[dict-item]
        "state": "eligible",
        "statement_id": next_statement_id(fresh_db),
        "updated_at": NOW,
    }


@pytest.mark.parametrize(
    ("case", "to", "changes"),
    [
        ("declaration_submitted", "ineligible", {}),
        ("declaration_eligible", "payable", {}),
        ("declaration_payable", "paid", {"uplift_paid": True}),  # a targeted start
        ("declaration_payable", "eligible", {}),
        ("declaration_awaiting_clawback", "clawed-back", {}),
    ],
)
def test_allowed_moves_keep_their_statements(
    fresh_client: FlaskClient, fresh_cases: Cases, case: str, to: str, changes: dict[str, object]
) -> None:
    declaration_id = mine(fresh_cases, case)
    before = declaration(fresh_client, declaration_id)
    moved = data(move(fresh_client, declaration_id, to))
    assert moved == declaration(fresh_client, declaration_id)
    expected = {**before["attributes"], "state": to, "updated_at": NOW, **changes}  # type: ignore[dict-item]
    assert moved["attributes"] == expected


@pytest.mark.parametrize(
    ("case", "to", "start"),
    [
        ("declaration_submitted", "paid", "submitted"),
        ("declaration_eligible", "paid", "eligible"),
        ("declaration_eligible", "eligible", "eligible"),
        ("declaration_payable", "ineligible", "payable"),
        ("declaration_paid", "payable", "paid"),
        ("declaration_paid", "clawed-back", "paid"),
        ("declaration_voided", "eligible", "voided"),
        ("declaration_ineligible", "eligible", "ineligible"),
        ("declaration_clawed_back", "paid", "clawed-back"),
        ("declaration_awaiting_clawback", "paid", "awaiting-clawback"),
        ("declaration_submitted", "voided", "submitted"),
        ("declaration_paid", "awaiting-clawback", "paid"),
        ("declaration_eligible", "submitted", "eligible"),
    ],
)
def test_forbidden_moves(
    fresh_client: FlaskClient, fresh_cases: Cases, case: str, to: str, start: str
) -> None:
    declaration_id = mine(fresh_cases, case)
    before = declaration(fresh_client, declaration_id)
    detail = f"A declaration cannot move from {start} to {to}"
    assert failed(move(fresh_client, declaration_id, to), 422) == errors(("state", detail))
    assert declaration(fresh_client, declaration_id) == before


@pytest.mark.parametrize("state", ["approved", "clawed_back", "", 3, None])
def test_unknown_state(client: FlaskClient, cases: Cases, state: object) -> None:
    response = move(client, mine(cases, "declaration_submitted"), state)  # type: ignore[arg-type]
    assert failed(response, 422) == errors(("state", m.SANDBOX_UNKNOWN_DECLARATION_STATE))


def test_eligible_needs_an_open_statement(client: FlaskClient, cases: Cases) -> None:
    later = {"X-With-Server-Date": "2031-01-01T00:00:00Z"}
    response = move(client, mine(cases, "declaration_submitted"), "eligible", **later)
    assert failed(response, 422) == errors(("cohort", m.contract_ended(2025)))


def test_another_providers_declaration_on_my_application(client: FlaskClient, cases: Cases) -> None:
    response = move(client, mine(cases, "transferred_declaration"), "paid")
    assert failed(response, 403) == CANNOT_MODIFY


@pytest.mark.parametrize("name", ["invisible_declaration", "no_such_declaration"])
def test_invisible_or_unknown(client: FlaskClient, cases: Cases, name: str) -> None:
    declaration_id = cases[AMBITION.id].get(name, "5b1e1c47-0000-4000-8000-000000000000")
    assert failed(move(client, declaration_id, "eligible"), 404) == NOT_FOUND


@pytest.mark.parametrize("json", [None, {}, {"data": {}}, {"data": {"attributes": {}}}])
def test_missing_attributes(client: FlaskClient, cases: Cases, json: object) -> None:
    path = f"/participant-declarations/{mine(cases, 'declaration_submitted')}/state"
    response = sandbox(client, "PUT", path, json)
    assert failed(response, 400) == errors(("Bad request", m.INVALID_DATA_STRUCTURE))


def test_lookup_and_ownership_come_before_the_body(client: FlaskClient, cases: Cases) -> None:
    path = "/participant-declarations/{}/state"
    invisible = sandbox(client, "PUT", path.format(mine(cases, "invisible_declaration")))
    transferred = sandbox(client, "PUT", path.format(mine(cases, "transferred_declaration")))
    assert failed(invisible, 404) == NOT_FOUND
    assert failed(transferred, 403) == CANNOT_MODIFY


def test_without_a_token(client: FlaskClient, cases: Cases) -> None:
    response = move(client, mine(cases, "declaration_submitted"), "eligible", token=None)
    assert failed(response, 401) == ACCESS_DENIED
