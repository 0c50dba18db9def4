"""PUT /sandbox/statements/{id}/mark-payable and /mark-paid: DfE's statement processing."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import (
    ACCESS_DENIED,
    BEST_PRACTICE,
    NOT_FOUND,
    NOW,
    all_pages,
    data,
    errors,
    failed,
    get,
)
from tests.sandbox.control.calls import Cases, mark, mine


def on_statement(client: FlaskClient, statement_id: str, state: str) -> list[dict[str, Any]]:
    """The caller's declarations in `state` whose payment or clawback sits on a statement."""
    return [
        d
        for d in all_pages(client, "/participant-declarations")
        if statement_id
        in (d["attributes"]["statement_id"], d["attributes"]["clawback_statement_id"])
        and d["attributes"]["state"] == state
    ]


def moved(declarations: list[dict[str, Any]], state: str, **changes: Any) -> list[dict[str, Any]]:
    return [
        {**d, "attributes": {**d["attributes"], "state": state, "updated_at": NOW, **changes}}
        for d in declarations
    ]


def test_mark_payable_moves_its_eligible_declarations(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    statement_id = mine(fresh_cases, "statement_open")
    eligible = on_statement(fresh_client, statement_id, "eligible")
    assert mine(fresh_cases, "declaration_eligible") in [d["id"] for d in eligible]
    statement = data(get(fresh_client, f"/statements/{statement_id}"))
    answer = data(mark(fresh_client, statement_id, "payable"))
    assert answer == [
        {**statement, "attributes": {**statement["attributes"], "updated_at": NOW}},
        *moved(eligible, "payable"),
    ]  # a later open output-fee statement exists (March), so none is opened
    assert answer[0] == data(get(fresh_client, f"/statements/{statement_id}"))
    assert on_statement(fresh_client, statement_id, "eligible") == []


def test_mark_paid_pays_and_claws_back(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    clawback_id = mine(fresh_cases, "declaration_awaiting_clawback")
    clawback = data(get(fresh_client, f"/participant-declarations/{clawback_id}"))
    statement_id = clawback["attributes"]["clawback_statement_id"]
    assert data(mark(fresh_client, statement_id, "payable"))[0]["attributes"]["paid"] is False
    payable = on_statement(fresh_client, statement_id, "payable")
    answer = data(mark(fresh_client, statement_id, "paid"))
    assert answer[0]["attributes"]["paid"] is True
    assert answer[0] == data(get(fresh_client, f"/statements/{statement_id}"))
    by_id = {d["id"]: d for d in answer[1:]}
    assert by_id[clawback["id"]] == moved([clawback], "clawed-back")[0]
    for before in payable:
        after = by_id[before["id"]]
        assert after["attributes"]["state"] == "paid"
        assert after == data(get(fresh_client, f"/participant-declarations/{before['id']}"))
    assert len(answer) == 1 + len(payable) + 1


def test_mark_payable_opens_the_next_statement_when_none_is_left(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    # 2024a's statements end with January 2027, its last output-fee one.
    last = all_pages(fresh_client, "/statements?filter[cohort]=2024")[-1]
    assert (last["attributes"]["month"], last["attributes"]["year"]) == ("January", "2027")
    answer = data(mark(fresh_client, last["id"], "payable"))
    opened = answer[-1]
    assert opened["attributes"] == {
        "month": "February",
        "year": "2027",
        "cohort": "2024",
        "cut_off_date": "2027-01-26",
        "payment_date": "2027-02-26",
        "paid": False,
        "created_at": NOW,
        "updated_at": NOW,
    }
    assert all_pages(fresh_client, "/statements?filter[cohort]=2024")[-1] == opened


@pytest.mark.parametrize(
    ("case", "what", "start", "to"),
    [
        ("statement_paid", "payable", "paid", "payable"),
        ("statement_payable", "payable", "payable", "payable"),
        ("statement_open", "paid", "open", "paid"),
        ("statement_paid", "paid", "paid", "paid"),
    ],
)
def test_wrong_starting_state(
    client: FlaskClient, cases: Cases, case: str, what: str, start: str, to: str
) -> None:
    detail = f"A statement cannot move from {start} to {to}"
    assert failed(mark(client, mine(cases, case), what), 422) == errors(("state", detail))


@pytest.mark.parametrize("what", ["payable", "paid"])
def test_statements_the_caller_cannot_see(client: FlaskClient, cases: Cases, what: str) -> None:
    hidden = [
        mine(cases, "non_output_fee_statement"),
        cases[BEST_PRACTICE.id]["statement_open"],
        "00000000-0000-4000-8000-000000000000",
    ]
    for statement_id in hidden:
        assert failed(mark(client, statement_id, what), 404) == NOT_FOUND


def test_without_a_token(client: FlaskClient, cases: Cases) -> None:
    response = mark(client, mine(cases, "statement_open"), "payable", token=None)
    assert failed(response, 401) == ACCESS_DENIED
