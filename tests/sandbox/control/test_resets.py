"""POST /sandbox/reset and /sandbox/reset-all: back to the seeded data."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from npq_sandbox import Database, Settings, create_app
from npq_sandbox.domain import messages as m
from npq_sandbox.domain.reference import LeadProvider
from npq_sandbox.settings import ADMIN_TOKEN

from tests.helpers import (
    ACCESS_DENIED,
    AMBITION,
    BEST_PRACTICE,
    LISTS,
    PROVIDERS,
    all_pages,
    body,
    data,
    errors,
    failed,
    post,
)
from tests.sandbox.control.calls import Cases, mark, mine, move, sandbox

TEACH_FIRST = PROVIDERS[6]


def snapshot(client: FlaskClient, provider: LeadProvider) -> dict[str, list[dict[str, Any]]]:
    """Everything a provider can list through /api/v3."""
    return {path: all_pages(client, path, provider.token) for path in LISTS}


def change_everything(client: FlaskClient, cases: Cases, provider: LeadProvider) -> None:
    """Create, move, mark and set the clock as `provider`."""
    token = provider.token
    attributes = {
        "course_identifier": "npq-headship",
        "cohort": "2025",
        "competing_lead_provider": TEACH_FIRST.name,
    }
    data(sandbox(client, "POST", "/npq-applications", body(**attributes), token=token))
    data(move(client, cases[provider.id]["declaration_submitted"], "eligible", token=token))
    last_2024a = all_pages(client, "/statements?filter[cohort]=2024", token)[-1]["id"]
    data(mark(client, last_2024a, "payable", token=token))  # opens a new statement
    accept = f"/npq-applications/{cases[provider.id]['competing_pending_application']}/accept"
    data(post(client, accept, body(funded_place=True), token=token))  # rejects the other's
    data(sandbox(client, "PUT", "/clock", body(now="2027-06-01T00:00:00Z"), token=token))


def clock(client: FlaskClient, provider: LeadProvider) -> Any:
    return data(sandbox(client, "GET", "/clock", token=provider.token))["attributes"][
        "offset_seconds"
    ]


def test_reset_puts_the_callers_rows_back(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    mine_before = snapshot(fresh_client, AMBITION)
    theirs_before = snapshot(fresh_client, BEST_PRACTICE)
    teach_first_before = snapshot(fresh_client, TEACH_FIRST)
    change_everything(fresh_client, fresh_cases, AMBITION)
    assert snapshot(fresh_client, AMBITION) != mine_before
    answer = data(sandbox(fresh_client, "POST", "/reset"))
    assert answer == {
        "id": AMBITION.id,
        "type": "sandbox-reset",
        "attributes": {"scope": "lead-provider", "seed": 1, "participants": 0},
    }
    assert snapshot(fresh_client, AMBITION) == mine_before
    assert clock(fresh_client, AMBITION) == 0
    # Effects on other providers stay: Best Practice's competing application was rejected by
    # Ambition's accept, and Teach First keeps the competing application made for it.
    other = mine(fresh_cases, "competing_other_provider_application")
    theirs = {a["id"]: a for a in snapshot(fresh_client, BEST_PRACTICE)["/npq-applications"]}
    assert theirs[other]["attributes"]["status"] == "rejected"
    teach_first = snapshot(fresh_client, TEACH_FIRST)["/npq-applications"]
    assert len(teach_first) == len(teach_first_before["/npq-applications"]) + 1
    assert (
        snapshot(fresh_client, BEST_PRACTICE)["/participant-declarations"]
        == (theirs_before["/participant-declarations"])
    )


def test_reset_leaves_other_providers_alone(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    change_everything(fresh_client, fresh_cases, BEST_PRACTICE)
    theirs = snapshot(fresh_client, BEST_PRACTICE)
    data(sandbox(fresh_client, "POST", "/reset"))
    assert snapshot(fresh_client, BEST_PRACTICE) == theirs
    assert clock(fresh_client, BEST_PRACTICE) != 0


def test_reset_twice_is_the_same(fresh_client: FlaskClient) -> None:
    before = snapshot(fresh_client, AMBITION)
    data(sandbox(fresh_client, "POST", "/reset"))
    data(sandbox(fresh_client, "POST", "/reset"))
    assert snapshot(fresh_client, AMBITION) == before


def test_reset_all(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    before = {p.id: snapshot(fresh_client, p) for p in (AMBITION, BEST_PRACTICE, TEACH_FIRST)}
    change_everything(fresh_client, fresh_cases, AMBITION)
    change_everything(fresh_client, fresh_cases, BEST_PRACTICE)
    answer = data(sandbox(fresh_client, "POST", "/reset-all", token=ADMIN_TOKEN))
    assert answer == {
        "id": "all",
        "type": "sandbox-reset",
        "attributes": {"scope": "all", "seed": 1, "participants": 0},
    }
    after = {p.id: snapshot(fresh_client, p) for p in (AMBITION, BEST_PRACTICE, TEACH_FIRST)}
    assert after == before
    assert (clock(fresh_client, AMBITION), clock(fresh_client, BEST_PRACTICE)) == (0, 0)


def test_without_a_token(client: FlaskClient) -> None:
    for path in ("/reset", "/reset-all"):
        assert failed(sandbox(client, "POST", path, token=None), 401) == ACCESS_DENIED


def test_reset_all_is_for_the_administrator_only(fresh_client: FlaskClient) -> None:
    refused = errors((m.SANDBOX_ADMINISTRATOR_ONLY_TITLE, m.SANDBOX_ADMINISTRATOR_ONLY))
    for provider in PROVIDERS:
        assert failed(sandbox(fresh_client, "POST", "/reset-all", token=provider.token), 403) == (
            refused
        )
    assert failed(sandbox(fresh_client, "POST", "/reset-all", token="nope"), 401) == ACCESS_DENIED


def test_the_administrator_is_no_provider(client: FlaskClient) -> None:
    for path in ("/reset", "/clock", "/journal"):
        method = "POST" if path == "/reset" else "GET"
        response = sandbox(client, method, path, token=ADMIN_TOKEN)
        assert failed(response, 401) == ACCESS_DENIED


def test_an_administrator_token_of_ones_own(fresh_db: Database) -> None:
    settings = Settings(database=fresh_db, testing=True, admin_token="s3cret")
    client = create_app(settings).test_client()
    assert data(sandbox(client, "POST", "/reset-all", token="s3cret"))["id"] == "all"
    assert failed(sandbox(client, "POST", "/reset-all", token=ADMIN_TOKEN), 401) == ACCESS_DENIED
