"""/sandbox/faults: injected 401s, 429s, 500s, 503s, lost responses and latency, per provider."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox import Settings, create_app
from npq_sandbox.domain import faults as rules
from npq_sandbox.domain import messages as m
from npq_sandbox.middleware import faults as fault_layer
from npq_sandbox.settings import ADMIN_TOKEN
from npq_sandbox.store.db import Database

from tests.helpers import (
    ACCESS_DENIED,
    AMBITION,
    BEST_PRACTICE,
    NOT_FOUND,
    body,
    data,
    errors,
    failed,
    get,
    post,
)
from tests.sandbox.control.calls import Cases, mine, sandbox

STATEMENTS = "/api/v3/statements"


def add(client: FlaskClient, token: str = AMBITION.token, **attributes: Any) -> Any:
    return data(sandbox(client, "POST", "/faults", body(**attributes), token=token))


def fault_of(client: FlaskClient, token: str = AMBITION.token) -> list[Any]:
    """The `fault` of each journal entry of the caller, oldest first."""
    entries = data(sandbox(client, "GET", "/journal", token=token))
    return [e["attributes"]["fault"] for e in entries]


def reject(client: FlaskClient, cases: Cases) -> Any:
    return post(client, f"/npq-applications/{mine(cases, 'pending_application_2025a')}/reject")


def status_of(client: FlaskClient, cases: Cases) -> str:
    found = data(get(client, f"/npq-applications/{mine(cases, 'pending_application_2025a')}"))
    return str(found["attributes"]["status"])


def test_defaults_are_answered(fresh_client: FlaskClient) -> None:
    assert add(fresh_client, path="/api/v3/*") == {
        "id": "1",
        "type": "sandbox-fault",
        "attributes": {
            "method": "*",
            "path": "/api/v3/*",
            "status": None,
            "lost_response": False,
            "times": 1,
            "probability": 1,
            "latency_ms": 0,
            "retry_after": 1,
            "remaining": 1,
        },
    }


def test_429_is_dfes_throttle_answer_and_the_request_is_not_processed(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    fault = add(fresh_client, method="post", path="/api/v3/npq-applications/*", status=429)
    assert fault["attributes"]["method"] == "POST"
    get(fresh_client, "/npq-applications")  # a GET does not match
    answer = reject(fresh_client, fresh_cases)
    assert answer.status_code == 429
    assert answer.get_data() == b"Retry later\n"
    assert answer.headers["Content-Type"] == "text/plain"
    assert answer.headers["Retry-After"] == "1"
    assert status_of(fresh_client, fresh_cases) == "pending"
    assert data(reject(fresh_client, fresh_cases))["attributes"]["status"] == "rejected"
    assert fault_of(fresh_client)[:3] == [None, {"id": fault["id"], "kind": "status"}, None]


@pytest.mark.parametrize(
    ("status", "title", "retry_after"),
    [(500, "Internal server error", None), (503, "Service unavailable", "30")],
)
def test_500_and_503_answer_json(
    fresh_client: FlaskClient,
    fresh_cases: Cases,
    status: int,
    title: str,
    retry_after: str | None,
) -> None:
    add(fresh_client, path="/api/v3/npq-applications/*/reject", status=status, retry_after=30)
    answer = reject(fresh_client, fresh_cases)
    assert failed(answer, status) == errors((title, "Injected fault"))
    assert answer.headers.get("Retry-After") == retry_after
    assert status_of(fresh_client, fresh_cases) == "pending"


def test_401_is_dfes_refused_token_answer_until_the_token_is_restored(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    """A revoked token, for `times` requests: the app's own 401, byte for byte, then served."""
    add(fresh_client, path="/api/v3/npq-applications/*/reject", status=401, times=2)
    refused = fresh_client.post(
        "/api/v3/npq-applications/x/reject", headers={"Authorization": "Bearer no"}
    )
    for _ in range(2):
        answer = reject(fresh_client, fresh_cases)
        assert failed(answer, 401) == ACCESS_DENIED
        assert answer.get_data().strip() == refused.get_data().strip()
        assert "Retry-After" not in answer.headers
    assert status_of(fresh_client, fresh_cases) == "pending"
    assert data(reject(fresh_client, fresh_cases))["attributes"]["status"] == "rejected"


def test_a_lost_response_is_processed_then_dropped(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    fault = add(fresh_client, path="/api/v3/npq-applications/*/reject", lost_response=True)
    with pytest.raises(ConnectionError):
        reject(fresh_client, fresh_cases)
    assert status_of(fresh_client, fresh_cases) == "rejected"
    entries = data(sandbox(fresh_client, "GET", "/journal?filter[method]=POST"))
    [lost] = [e["attributes"] for e in entries]
    assert (lost["status"], lost["fault"]) == (200, {"id": fault["id"], "kind": "lost-response"})
    assert lost["response_body"]["data"]["attributes"]["status"] == "rejected"


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Record the injected sleeps instead of sleeping."""
    seconds: list[float] = []
    monkeypatch.setattr(fault_layer.time, "sleep", seconds.append)
    yield seconds


def test_latency_delays_and_is_recorded(fresh_client: FlaskClient, slept: list[float]) -> None:
    fault = add(fresh_client, path=STATEMENTS, latency_ms=250, times=None)
    data(get(fresh_client, "/statements"))
    data(get(fresh_client, "/statements"))
    failed(add_raw(fresh_client, latency_ms=30_001), 422)
    assert slept == [0.25, 0.25]
    assert fault_of(fresh_client) == [{"id": fault["id"], "kind": "latency"}] * 2


def add_raw(client: FlaskClient, **attributes: Any) -> Any:
    return sandbox(client, "POST", "/faults", body(path=STATEMENTS, **attributes))


def test_times_counts_down_oldest_first(fresh_client: FlaskClient) -> None:
    first = add(fresh_client, path=STATEMENTS, status=503, times=2)
    second = add(fresh_client, path="/api/v3/*", status=500)
    statuses = [get(fresh_client, "/statements").status_code for _ in range(4)]
    assert statuses == [503, 503, 500, 200]
    listed = data(sandbox(fresh_client, "GET", "/faults"))
    assert [(f["id"], f["attributes"]["remaining"]) for f in listed] == [
        (first["id"], 0),
        (second["id"], 0),
    ]


def test_unlimited_faults_keep_firing(fresh_client: FlaskClient) -> None:
    add(fresh_client, path=STATEMENTS, status=500, times=None)
    assert {get(fresh_client, "/statements").status_code for _ in range(3)} == {500}
    [fault] = data(sandbox(fresh_client, "GET", "/faults"))
    assert fault["attributes"]["remaining"] is None


def test_probability_draws_from_the_configured_random(fresh_db: Database) -> None:
    draws = iter([0.7, 0.2, 0.9])
    app = create_app(Settings(database=fresh_db, testing=True, fault_random=lambda: next(draws)))
    client = app.test_client()
    add(client, path=STATEMENTS, status=500, times=None, probability=0.5)
    assert [get(client, "/statements").status_code for _ in range(3)] == [200, 500, 200]


def test_faults_hit_only_their_providers_api_requests(fresh_client: FlaskClient) -> None:
    add(fresh_client, path="*", status=500, times=None)
    data(get(fresh_client, "/statements", token=BEST_PRACTICE.token))
    data(sandbox(fresh_client, "GET", "/clock"))
    assert failed(get(fresh_client, "/statements"), 500)


def test_bad_attributes_are_422s(fresh_client: FlaskClient) -> None:
    answer = sandbox(
        fresh_client,
        "POST",
        "/faults",
        body(method=1, status=404, times=0, probability=0, retry_after=-1, lost_response="y"),
    )
    assert failed(answer, 422) == errors(
        ("method", m.SANDBOX_FAULT_METHOD),
        ("path", m.SANDBOX_FAULT_PATH),
        ("status", m.SANDBOX_FAULT_STATUS),
        ("lost_response", m.sandbox_must_be_boolean("lost_response")),
        ("times", m.SANDBOX_FAULT_TIMES),
        ("probability", m.SANDBOX_FAULT_PROBABILITY),
        ("retry_after", m.sandbox_fault_whole("retry_after", 86_400)),
    )
    both = add_raw(fresh_client, status=429, lost_response=True, latency_ms=True)
    assert failed(both, 422) == errors(
        ("latency_ms", m.sandbox_fault_range("latency_ms", 30_000)),
        ("lost_response", m.SANDBOX_FAULT_STATUS_OR_LOST),
    )
    assert data(sandbox(fresh_client, "GET", "/faults")) == []


def test_a_provider_keeps_a_bounded_number_of_faults(fresh_client: FlaskClient) -> None:
    for _ in range(rules.MAX_FAULTS):
        add(fresh_client, path=STATEMENTS, latency_ms=1)
    refused = add_raw(fresh_client, status=500)
    assert failed(refused, 422) == errors(("faults", m.sandbox_fault_limit(rules.MAX_FAULTS)))
    assert add(fresh_client, token=BEST_PRACTICE.token, path=STATEMENTS)["id"]  # theirs apart
    sandbox(fresh_client, "DELETE", "/faults")
    assert add(fresh_client, path=STATEMENTS, status=500)["attributes"]["status"] == 500


def test_remove_one_or_all(fresh_client: FlaskClient) -> None:
    first = add(fresh_client, path=STATEMENTS, status=500)
    second = add(fresh_client, path=STATEMENTS, status=503)
    theirs = add(fresh_client, token=BEST_PRACTICE.token, path=STATEMENTS, status=503)
    assert failed(sandbox(fresh_client, "DELETE", f"/faults/{theirs['id']}"), 404) == NOT_FOUND
    assert failed(sandbox(fresh_client, "DELETE", "/faults/x"), 404) == NOT_FOUND
    assert data(sandbox(fresh_client, "DELETE", f"/faults/{first['id']}")) == first
    assert data(sandbox(fresh_client, "GET", "/faults")) == [second]
    assert data(sandbox(fresh_client, "DELETE", "/faults")) == []
    assert data(sandbox(fresh_client, "GET", "/faults")) == []
    assert data(sandbox(fresh_client, "GET", "/faults", token=BEST_PRACTICE.token)) == [theirs]
    assert failed(sandbox(fresh_client, "GET", "/faults", token="nobody"), 401) == ACCESS_DENIED


def test_resets_clear_faults(fresh_client: FlaskClient) -> None:
    add(fresh_client, path=STATEMENTS, status=500)
    theirs = add(fresh_client, token=BEST_PRACTICE.token, path=STATEMENTS, status=500)
    data(sandbox(fresh_client, "POST", "/reset"))
    assert data(sandbox(fresh_client, "GET", "/faults")) == []
    assert data(sandbox(fresh_client, "GET", "/faults", token=BEST_PRACTICE.token)) == [theirs]
    data(sandbox(fresh_client, "POST", "/reset-all", token=ADMIN_TOKEN))
    assert data(sandbox(fresh_client, "GET", "/faults", token=BEST_PRACTICE.token)) == []


def test_a_test_kit_s_own_requests_meet_no_fault_and_are_not_journaled(
    fresh_client: FlaskClient,
) -> None:
    """docs/rules.md §18.9: a fault left for the client is still there for it."""
    add(fresh_client, path=STATEMENTS, status=503)
    assert get(fresh_client, "/statements", **{"X-Sandbox-Kit": "1"}).status_code == 200
    assert fault_of(fresh_client) == []
    assert get(fresh_client, "/statements").status_code == 503
    assert len(fault_of(fresh_client)) == 1
