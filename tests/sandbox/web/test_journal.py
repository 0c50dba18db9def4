"""The journal page's requests with a missing or unknown token, apart from every provider's.

docs/rules.md §18.17.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from npq_sandbox import Settings, create_app
from npq_sandbox.settings import ADMIN_TOKEN
from npq_sandbox.store.db import Database

from tests.helpers import ACCESS_DENIED, data, get
from tests.sandbox.control.calls import sandbox
from tests.sandbox.web.pages import choose, page, unlabelled


def _rows(soup: BeautifulSoup) -> list[tuple[str, str, str]]:
    """The unrecognised requests shown: what their header held, their status and path."""
    return [
        (
            row.select_one(".credential").get_text(strip=True),
            str(row["data-status"]),
            row.select_one(".path").get_text(),
        )
        for row in soup.select("#unrecognised-rows tr")
    ]


def test_they_are_listed_before_a_provider_is_chosen(fresh_client: FlaskClient) -> None:
    assert get(fresh_client, "/statements", token=None).json == ACCESS_DENIED
    get(fresh_client, "/npq-applications", token="ambition-tokn")
    soup = page(fresh_client.get("/journal"))
    assert _rows(soup) == [
        ("Bearer ambi… (13 characters)", "401", "/api/v3/npq-applications"),
        ("none", "401", "/api/v3/statements"),
    ]
    assert "ambition-tokn" not in soup.get_text()
    assert soup.select("#journal-rows") == []  # no provider chosen: no provider's journal
    assert unlabelled(soup) == []
    choose_page = page(fresh_client.get("/"))
    assert choose_page.select_one('a[href="/journal#unrecognised-heading"]') is not None


def test_no_providers_journal_holds_them(fresh_client: FlaskClient) -> None:
    get(fresh_client, "/statements", token="nobody")
    get(fresh_client, "/statements", token="nobody", **{"X-Sandbox-Kit": "setup"})
    get(fresh_client, "/npq-applications")
    journal = data(sandbox(fresh_client, "GET", "/journal"))
    assert [e["attributes"]["path"] for e in journal] == ["/api/v3/npq-applications"]
    choose(fresh_client)
    soup = page(fresh_client.get("/journal"))
    assert [r.select_one(".path").get_text() for r in soup.select("#journal-rows tr")] == [
        "/api/v3/npq-applications"
    ]
    assert _rows(soup) == [("Bearer no… (6 characters)", "401", "/api/v3/statements")]
    ids = [str(t["id"]) for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_a_refused_choice_of_token_is_not_among_them(fresh_client: FlaskClient) -> None:
    page(fresh_client.post("/provider", data={"token": "nobody"}), 401)
    assert _rows(page(fresh_client.get("/journal"))) == []


def test_the_live_rows_are_those_after_the_newest_shown(fresh_client: FlaskClient) -> None:
    get(fresh_client, "/statements", token=None)
    body = page(fresh_client.get("/journal")).select_one("#unrecognised-rows")
    newest = body["data-newest"]
    rows = f"{body['data-live']}?after={newest}"
    assert page(fresh_client.get(rows)).select("tr") == []
    get(fresh_client, "/participants/npq", token="x")
    [row] = page(fresh_client.get(rows)).select("tr")
    assert row.select_one(".path").get_text() == "/api/v3/participants/npq"
    assert row.select_one(".credential").get_text(strip=True) == "Bearer … (1 character)"


def test_they_are_bounded_and_reset_with_every_journal(fresh_db: Database) -> None:
    client = create_app(Settings(database=fresh_db, journal_max_rows=2)).test_client()
    for number in range(1, 5):
        get(client, f"/statements?page[page]={number}", token=None)
    shown = page(client.get("/journal")).select("#unrecognised-rows .path")
    newest_two = [f"/api/v3/statements?page[page]={n}" for n in (4, 3)]
    assert [p.get_text() for p in shown] == newest_two
    assert sandbox(client, "POST", "/reset-all", token=ADMIN_TOKEN).status_code == 200
    assert _rows(page(client.get("/journal"))) == []
