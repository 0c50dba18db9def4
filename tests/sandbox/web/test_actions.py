"""The dashboard's forms: each goes through the API, redirects on success, shows a refusal."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import Cases, data, get, mine
from tests.sandbox.web.pages import choose, control, page, problems, submit

MOVE = "PUT /sandbox/participant-declarations/{id}/state"


def _record(client: FlaskClient, declaration_id: str) -> BeautifulSoup:
    return page(client.get(f"/records/declarations/{declaration_id}"))


def test_a_declaration_is_paid_with_its_buttons(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    choose(fresh_client)
    declaration = mine(fresh_cases, "declaration_payable")
    soup = _record(fresh_client, declaration)
    pay = soup.find("form", id="move-paid")
    answer = submit(fresh_client, pay)
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith(f"/records/declarations/{declaration}?done=")
    assert (
        data(get(fresh_client, f"/participant-declarations/{declaration}"))["attributes"]["state"]
        == "paid"
    )
    after = page(fresh_client.get(answer.headers["Location"]))
    assert after.find(id="record-state").get_text() == "paid"
    assert "Done: Move a declaration" in after.find(role="status").get_text()


def test_a_refused_move_shows_the_apis_words_and_changes_nothing(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    choose(fresh_client)
    declaration = mine(fresh_cases, "declaration_submitted")
    form = _record(fresh_client, declaration).find("form", id="move-paid")
    soup = page(submit(fresh_client, form), 422)
    assert problems(soup) == ["A declaration cannot move from submitted to paid"]
    assert control(soup, MOVE).find("input", attrs={"name": "id"})["value"] == declaration
    assert (
        data(get(fresh_client, f"/participant-declarations/{declaration}"))["attributes"]["state"]
        == "submitted"
    )


def test_a_429_fault_is_added_from_the_form_and_fires(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    form = control(page(fresh_client.get("/")), "POST /sandbox/faults")
    answer = submit(fresh_client, form, method="GET", path="/api/v3/statements", status="429")
    assert answer.status_code == 303
    soup = page(fresh_client.get("/"))
    [row] = soup.select("#faults tbody tr")
    assert [td.get_text(strip=True) for td in row.find_all("td")[:4]] == [
        "GET",
        "/api/v3/statements",
        "429",
        "1",
    ]
    assert get(fresh_client, "/statements").status_code == 429
    removed = submit(fresh_client, row.find("form"))
    assert removed.status_code == 303
    assert page(fresh_client.get("/")).select("#faults tbody tr") == []


def test_a_bad_fault_is_refused_with_the_apis_message(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    form = control(page(fresh_client.get("/")), "POST /sandbox/faults")
    soup = page(submit(fresh_client, form, status="429", times="lots"), 422)
    assert problems(soup) == [m.SANDBOX_FAULT_PATH, m.SANDBOX_FAULT_TIMES]
    assert (
        data(
            fresh_client.get("/sandbox/faults", headers={"Authorization": "Bearer ambition-token"})
        )
        == []
    )


def test_the_clock_is_set_and_cleared_from_its_forms(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    soup = page(fresh_client.get("/"))
    assert (
        submit(
            fresh_client, control(soup, "PUT /sandbox/clock"), now="2030-01-02T03:04:05Z"
        ).status_code
        == 303
    )
    assert (
        page(fresh_client.get("/")).find(id="clock-now").get_text().startswith("2030-01-02T03:04")
    )
    assert submit(fresh_client, control(soup, "DELETE /sandbox/clock")).status_code == 303
    assert not page(fresh_client.get("/")).find(id="clock-now").get_text().startswith("2030")


def test_resetting_every_provider_takes_the_administrators_token(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    form = control(page(fresh_client.get("/")), "POST /sandbox/reset-all")
    refused = page(submit(fresh_client, form, admin_token="ambition-token"), 403)
    assert problems(refused) == [m.SANDBOX_ADMINISTRATOR_ONLY]
    assert submit(fresh_client, form, admin_token="admin-token").status_code == 303


def test_a_read_operation_shows_the_apis_answer(client: FlaskClient) -> None:
    choose(client)
    link = control(page(client.get("/")), "GET /sandbox/clock")
    soup = page(client.get(str(link["href"])))
    assert '"type": "sandbox-clock"' in soup.select_one("pre.json").get_text()


def test_a_redirect_never_leaves_the_sandbox(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    form = control(page(fresh_client.get("/")), "DELETE /sandbox/clock")
    answer = submit(fresh_client, form, back="//elsewhere.example/")
    assert answer.headers["Location"].startswith("/?done=")


def test_without_a_provider_a_form_sends_the_browser_to_choose_one(client: FlaskClient) -> None:
    answer = client.post("/dashboard/operations/delete-sandbox-clock", data={})
    assert (answer.status_code, answer.headers["Location"]) == (303, "/")
