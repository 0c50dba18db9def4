"""/sandbox/contracts: the caller's contracts gate its declarations and schedule changes."""

from __future__ import annotations

from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import (
    BEST_PRACTICE,
    NOT_FOUND,
    TODAY,
    body,
    data,
    errors,
    failed,
    put,
)
from tests.sandbox.api.declarations.calls import declare, started
from tests.sandbox.control.calls import Cases, mine, sandbox

HEADSHIP_2025 = {"cohort": "2025a", "course_identifier": "npq-headship"}
HEADSHIP_2025_ID = "2025a/npq-headship"


def contracts(client: FlaskClient, token: str | None = None) -> list[str]:
    kwargs = {"token": token} if token else {}
    return [c["id"] for c in data(sandbox(client, "GET", "/contracts", **kwargs))]


def test_the_seed_gives_every_pair_but_dfe_s_two_exclusions(client: FlaskClient) -> None:
    held = contracts(client)
    assert HEADSHIP_2025_ID in held
    assert "2022a/npq-leading-primary-mathematics" not in held
    assert "2023a/npq-senco" not in held
    assert "2024a/npq-senco" in held
    assert held == sorted(held)


def test_removing_a_contract_refuses_declarations_with_dfe_s_text(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    removed = sandbox(fresh_client, "DELETE", f"/contracts/{HEADSHIP_2025_ID}")
    assert data(removed) == {
        "id": HEADSHIP_2025_ID,
        "type": "sandbox-contract",
        "attributes": HEADSHIP_2025,
    }
    assert HEADSHIP_2025_ID not in contracts(fresh_client)
    assert HEADSHIP_2025_ID in contracts(fresh_client, BEST_PRACTICE.token)
    response = declare(fresh_client, started(fresh_cases))
    assert failed(response, 422) == errors(("cohort", m.NO_CONTRACT_FOR_DECLARATION))
    added = sandbox(fresh_client, "POST", "/contracts", body(**HEADSHIP_2025))
    assert data(added)["id"] == HEADSHIP_2025_ID
    assert data(declare(fresh_client, started(fresh_cases)))["attributes"]["state"] == "eligible"


def test_removing_a_contract_refuses_a_schedule_change_into_it(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    person = mine(fresh_cases, "active_participant")
    data(sandbox(fresh_client, "DELETE", "/contracts/2025b/npq-headship"))
    move = body(
        schedule_identifier="npq-leadership-spring",
        course_identifier="npq-headship",
        cohort="2025",
    )
    response = put(fresh_client, f"/participants/npq/{person}/change-schedule", move, **TODAY)
    assert failed(response, 422) == errors(("cohort", m.NO_CONTRACT_FOR_COHORT_CHANGE))


def test_adding_a_contract_dfe_s_seed_lacks(fresh_client: FlaskClient) -> None:
    senco = {"cohort": 2023, "course_identifier": "npq-senco"}
    added = data(sandbox(fresh_client, "POST", "/contracts", body(**senco)))
    assert added["attributes"] == {"cohort": "2023a", "course_identifier": "npq-senco"}
    assert "2023a/npq-senco" in contracts(fresh_client)


def test_refusals(fresh_client: FlaskClient) -> None:
    before = contracts(fresh_client)
    held = sandbox(fresh_client, "POST", "/contracts", body(**HEADSHIP_2025))
    assert failed(held, 422) == errors(("base", m.SANDBOX_CONTRACT_HELD))
    bad = sandbox(fresh_client, "POST", "/contracts", body(cohort="2019", course_identifier="x"))
    assert failed(bad, 422) == errors(
        ("cohort", m.SANDBOX_COHORT), ("course_identifier", m.SANDBOX_COURSE_IDENTIFIER)
    )
    for path in ("/contracts/2023a/npq-senco", "/contracts/1999a/npq-headship"):
        assert failed(sandbox(fresh_client, "DELETE", path), 404) == NOT_FOUND
    assert contracts(fresh_client) == before


def test_a_reset_puts_the_seed_s_contracts_back(fresh_client: FlaskClient) -> None:
    seeded = contracts(fresh_client)
    data(sandbox(fresh_client, "DELETE", f"/contracts/{HEADSHIP_2025_ID}"))
    data(
        sandbox(
            fresh_client, "POST", "/contracts", body(cohort="2023a", course_identifier="npq-senco")
        )
    )
    assert sandbox(fresh_client, "POST", "/reset").status_code == 200
    assert contracts(fresh_client) == seeded
