"""PUT /sandbox/statements/{id}/dates: DfE's finance staff move a statement's dates."""

from __future__ import annotations

from datetime import date, timedelta

from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import NOT_FOUND, NOW, TODAY, UNKNOWN_ID, body, data, errors, failed, get
from tests.sandbox.control.calls import Cases, mine, sandbox


def dates(client: FlaskClient, statement_id: str, **attributes: str) -> object:
    path = f"/statements/{statement_id}/dates"
    return sandbox(client, "PUT", path, body(**attributes), **TODAY)


def test_new_dates_show_as_cut_off_and_payment_dates(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    statement_id = mine(fresh_cases, "statement_open")
    before = data(get(fresh_client, f"/statements/{statement_id}"))
    payment = date.fromisoformat(before["attributes"]["payment_date"])
    deadline = (payment - timedelta(days=3)).isoformat()
    answer = data(dates(fresh_client, statement_id, deadline_date=deadline))
    assert answer == {
        **before,
        "attributes": {**before["attributes"], "cut_off_date": deadline, "updated_at": NOW},
    }
    both = data(
        dates(fresh_client, statement_id, deadline_date="2027-02-01", payment_date="2027-03-01")
    )
    assert (both["attributes"]["cut_off_date"], both["attributes"]["payment_date"]) == (
        "2027-02-01",
        "2027-03-01",
    )
    assert both == data(get(fresh_client, f"/statements/{statement_id}"))
    synced = data(get(fresh_client, f"/statements?filter[updated_since]={NOW}"))
    assert [s["id"] for s in synced] == [statement_id]


def test_refusals_change_nothing(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    statement_id = mine(fresh_cases, "statement_open")
    before = data(get(fresh_client, f"/statements/{statement_id}"))
    payment = before["attributes"]["payment_date"]
    late = dates(fresh_client, statement_id, deadline_date=f"{int(payment[:4]) + 1}-01-01")
    assert failed(late, 422) == errors(("deadline_date", m.SANDBOX_DEADLINE_AFTER_PAYMENT))
    bad = dates(fresh_client, statement_id, deadline_date="2027-02-30", payment_date="soon")
    assert failed(bad, 422) == errors(
        ("deadline_date", m.sandbox_must_be_date("deadline_date")),
        ("payment_date", m.sandbox_must_be_date("payment_date")),
    )
    nothing = dates(fresh_client, statement_id, other="2027-01-01")
    assert failed(nothing, 422) == errors(("base", m.SANDBOX_STATEMENT_DATES))
    assert data(get(fresh_client, f"/statements/{statement_id}")) == before
    unknown = dates(fresh_client, UNKNOWN_ID, deadline_date="2027-01-20")
    assert failed(unknown, 404) == NOT_FOUND
    other = mine(fresh_cases, "non_output_fee_statement")
    assert failed(dates(fresh_client, other, deadline_date="2027-01-20"), 404) == NOT_FOUND
