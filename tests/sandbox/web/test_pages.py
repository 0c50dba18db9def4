"""The journal, record and report pages, read with a parser."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskClient
from npq_sandbox import Settings, create_app
from npq_sandbox.store.db import Database

from tests.helpers import UNKNOWN_ID, Cases, data, get, mine
from tests.sandbox.web.pages import choose, page, problems, unlabelled


def test_the_journal_is_newest_first_with_refusals_marked(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    get(fresh_client, "/statements")
    get(fresh_client, f"/statements/{UNKNOWN_ID}")
    soup = page(fresh_client.get("/journal"))
    rows = soup.select("#journal-rows tr")
    assert [r["data-status"] for r in rows] == ["404", "200"]
    assert "refused" in rows[0]["class"] and rows[0].select_one(".tag.refused") is not None
    assert json.loads(rows[0].select("pre.json")[-1].get_text()) == {"error": "Resource not found"}
    assert unlabelled(soup) == []


def test_the_journal_filters_by_method_path_and_status(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    get(fresh_client, "/statements")
    get(fresh_client, f"/statements/{UNKNOWN_ID}")
    get(fresh_client, "/npq-applications")
    by_status = page(fresh_client.get("/journal?status=404")).select("#journal-rows tr")
    by_path = page(fresh_client.get("/journal?path=/api/v3/statements*")).select("#journal-rows tr")
    by_method = page(fresh_client.get("/journal?method=post")).select("#journal-rows tr")
    assert [r.select_one(".path").get_text() for r in by_status] == [
        f"/api/v3/statements/{UNKNOWN_ID}"
    ]
    assert len(by_path) == 2 and by_method == []


def test_the_live_rows_are_those_after_the_newest_shown(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    get(fresh_client, "/statements")
    newest = page(fresh_client.get("/journal")).select_one("#journal-rows")["data-newest"]
    assert page(fresh_client.get(f"/journal/rows?after={newest}")).select("tr") == []
    get(fresh_client, "/npq-applications")
    [row] = page(fresh_client.get(f"/journal/rows?after={newest}")).select("tr")
    assert row.select_one(".path").get_text() == "/api/v3/npq-applications"


def test_a_record_page_shows_the_apis_attributes_and_history(
    client: FlaskClient, cases: Cases
) -> None:
    choose(client)
    declaration = mine(cases, "declaration_paid")
    soup = page(client.get(f"/records/declarations/{declaration}"))
    served = data(get(client, f"/participant-declarations/{declaration}"))["attributes"]
    shown = {
        dt.get_text(): dd
        for dt, dd in zip(
            soup.select("dl.attributes dt"), soup.select("dl.attributes dd"), strict=True
        )
    }
    assert list(shown) == list(served)
    assert shown["state"].get_text() == "paid"
    assert [dt.get_text() for dt in soup.select("dl.history dt")] == ["Statement"]


def test_a_participant_page_shows_its_id_changes(client: FlaskClient, cases: Cases) -> None:
    choose(client)
    soup = page(client.get(f"/records/participants/{mine(cases, 'merged_participant')}"))
    changes = [
        dd
        for dt, dd in zip(soup.select("dl.history dt"), soup.select("dl.history dd"), strict=True)
        if dt.get_text() == "Id change"
    ]
    [change] = changes
    assert json.loads(change.get_text())["from_participant_id"] == mine(
        cases, "merged_from_participant_id"
    )


def test_a_record_lists_the_requests_that_named_it(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    choose(fresh_client)
    declaration = mine(fresh_cases, "declaration_paid")
    get(fresh_client, f"/participant-declarations/{declaration}")
    get(fresh_client, "/participant-declarations")
    rows = page(fresh_client.get(f"/records/declarations/{declaration}")).select("#journal-rows tr")
    assert [r.select_one(".path").get_text() for r in rows] == [
        f"/api/v3/participant-declarations/{declaration}"
    ]


def test_an_unknown_record_answers_the_apis_404(client: FlaskClient) -> None:
    choose(client)
    soup = page(client.get(f"/records/applications/{UNKNOWN_ID}"), 404)
    assert problems(soup) == ["Resource not found"]


def test_the_reports_folder_is_listed_with_verdicts(
    seeded: tuple[Database, object], tmp_path: Path
) -> None:
    report = {
        "passed": False,
        "summary": "1 of 2 scenarios passed",
        "scenarios": [
            {"name": "paid-declaration-voided", "passed": True},
            {"name": "lost-response", "passed": False},
        ],
    }
    (tmp_path / "run.json").write_text(json.dumps(report))
    (tmp_path / "run.html").write_text("<title>npq-conformance: 2 of 2 scenarios passed</title>")
    (tmp_path / "notes.json").write_text("not json")
    client = create_app(Settings(database=seeded[0], testing=True, reports=tmp_path)).test_client()
    soup = page(client.get("/reports"))
    verdicts = {
        str(r["data-report"]): r.select_one(".verdict").get_text(strip=True)
        for r in soup.select("#reports tbody tr")
    }
    assert verdicts == {
        "run.json": "failed",
        "run.html": "passed",
        "notes.json": "not a report of the kit",
    }
    with client.get("/reports/run.json") as served:  # a file, streamed: closed once read
        assert served.json == report
    assert client.get("/reports/../conftest.py").status_code == 404


def test_without_a_reports_folder_the_page_says_how_to_name_one(client: FlaskClient) -> None:
    soup = page(client.get("/reports"))
    assert "npq-sandbox serve --reports DIR" in soup.main.get_text()
