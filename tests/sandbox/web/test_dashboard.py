"""GET /: choosing a provider, the counts by state, and a control for every operation."""

from __future__ import annotations

import re
from collections import Counter

from flask import Flask
from flask.testing import FlaskClient
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.web.operations import OPERATIONS

from tests.helpers import Cases, all_pages, mine
from tests.sandbox.web.pages import choose, page, problems, unlabelled

FLASK_PARAMETER = re.compile(r"<(?:[^:>]+:)?[^>]+>")
CONTRACT_PARAMETER = re.compile(r"\{[^}]+\}")


def test_without_a_provider_the_dashboard_asks_for_one(client: FlaskClient) -> None:
    soup = page(client.get("/"))
    assert soup.h1 is not None and soup.h1.get_text() == "Choose a lead provider"
    offered = [o["value"] for o in soup.select("datalist#tokens option")]
    assert offered == [p.token for p in LEAD_PROVIDERS]
    assert unlabelled(soup) == []


def test_an_unknown_token_is_refused_in_the_apis_words(client: FlaskClient) -> None:
    soup = page(client.post("/provider", data={"token": "nobody"}), 401)
    assert problems(soup) == ["HTTP Token: Access denied"]
    assert client.get_cookie("npq_sandbox_token") is None


def test_the_chosen_provider_is_remembered(client: FlaskClient) -> None:
    choose(client, "best-practice-token")
    soup = page(client.get("/"))
    assert soup.find(id="provider-name").get_text() == "Best Practice Network"
    assert client.post("/provider/forget").status_code == 303
    assert page(client.get("/")).h1.get_text() == "Choose a lead provider"


def test_the_counts_are_the_apis_records_by_state(client: FlaskClient) -> None:
    choose(client)
    soup = page(client.get("/"))
    shown = {
        str(a["data-count"]): int(a.get_text().split()[0]) for a in soup.select("[data-count]")
    }
    declarations = Counter(
        d["attributes"]["state"] for d in all_pages(client, "/participant-declarations")
    )
    applications = Counter(
        a["attributes"]["status"] for a in all_pages(client, "/npq-applications")
    )
    for state, n in declarations.items():
        assert shown[f"declarations:{state}"] == n
    for status, n in applications.items():
        assert shown[f"applications:{status}"] == n
    assert shown["declarations:paid"] > 0  # the seed guarantees every state


def test_each_count_links_to_its_records(client: FlaskClient) -> None:
    choose(client)
    link = page(client.get("/")).select_one('[data-count="declarations:paid"]')
    listed = page(client.get(str(link["href"])))
    rows = listed.select("#records tbody tr")
    assert len(rows) == int(link.get_text().split()[0])
    assert {r.find_all("td")[-1].get_text() for r in rows} == {"paid"}


def test_every_control_plane_operation_has_a_control_on_the_dashboard(
    app: Flask, client: FlaskClient, cases: Cases
) -> None:
    routes = {
        f"{method} {FLASK_PARAMETER.sub('{}', rule.rule)}"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/sandbox/")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    choose(client)
    # The overview, and the pages of the records that admin operations act on.
    pages = (
        "/",
        f"/records/applications/{mine(cases, 'accepted_application')}",
        f"/records/participants/{mine(cases, 'active_participant')}",
    )
    controls = {
        CONTRACT_PARAMETER.sub("{}", str(c["data-operation"]))
        for path in pages
        for c in page(client.get(path)).select("[data-operation]")
    }
    assert routes, "no control-plane routes found"
    assert sorted(routes - controls) == []
    assert len(OPERATIONS) == len(routes)  # and no control for a route that is gone


def test_every_control_is_labelled(client: FlaskClient) -> None:
    choose(client)
    soup = page(client.get("/"))
    assert unlabelled(soup) == []
    ids = [str(t["id"]) for t in soup.find_all(id=True)]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    buttons = soup.find_all("button")
    assert buttons and all(b.get_text(strip=True) for b in buttons)
