"""/sandbox/clock: each provider's clock, honoured by its /api/v3 requests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.api import clock
from npq_sandbox.domain import messages as m

from tests.helpers import ACCESS_DENIED, AMBITION, BEST_PRACTICE, body, data, errors, failed
from tests.sandbox.control.calls import sandbox

REAL = datetime(2026, 11, 30, 12, 0, 0, 250_000, tzinfo=UTC)


@pytest.fixture(autouse=True)
def real_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze real time, so that clock answers can be compared exactly."""
    monkeypatch.setattr(clock, "real_now", lambda: REAL)


def answer(now: str, offset: int, provider_id: str = AMBITION.id) -> dict[str, Any]:
    attributes = {"now": now, "offset_seconds": offset}
    return {"id": provider_id, "type": "sandbox-clock", "attributes": attributes}


def set_clock(client: FlaskClient, now: object, **kwargs: Any) -> Any:
    return sandbox(client, "PUT", "/clock", body(now=now), **kwargs)


def advance(client: FlaskClient, **attributes: Any) -> Any:
    return sandbox(client, "POST", "/clock/advance", body(**attributes))


def test_real_time_by_default(fresh_client: FlaskClient) -> None:
    assert data(sandbox(fresh_client, "GET", "/clock")) == answer("2026-11-30T12:00:00Z", 0)


def test_set_advance_and_clear(fresh_client: FlaskClient) -> None:
    assert data(set_clock(fresh_client, "2027-03-01T10:00:00+01:00")) == answer(
        "2027-03-01T09:00:00Z", 7_851_600
    )
    assert data(sandbox(fresh_client, "GET", "/clock")) == answer("2027-03-01T09:00:00Z", 7_851_600)
    assert data(advance(fresh_client, days=1.5, seconds=-30)) == answer(
        "2027-03-02T20:59:30Z", 7_981_170
    )
    assert data(advance(fresh_client, seconds=30)) == answer("2027-03-02T21:00:00Z", 7_981_200)
    assert data(sandbox(fresh_client, "DELETE", "/clock")) == answer("2026-11-30T12:00:00Z", 0)
    assert data(sandbox(fresh_client, "GET", "/clock")) == answer("2026-11-30T12:00:00Z", 0)


def test_clocks_are_per_provider(fresh_client: FlaskClient) -> None:
    data(set_clock(fresh_client, "2027-03-01T09:00:00Z"))
    theirs = sandbox(fresh_client, "GET", "/clock", token=BEST_PRACTICE.token)
    assert data(theirs) == answer("2026-11-30T12:00:00Z", 0, BEST_PRACTICE.id)


def test_the_clock_is_now_for_the_providers_requests(fresh_client: FlaskClient) -> None:
    data(set_clock(fresh_client, "2027-03-01T09:00:00Z"))
    attributes = {"course_identifier": "npq-headship", "cohort": "2025a"}
    [created] = data(sandbox(fresh_client, "POST", "/npq-applications", body(**attributes)))
    assert created["attributes"]["created_at"] == "2027-03-01T09:00:00Z"
    header = {"X-With-Server-Date": "2026-12-01T08:00:00Z"}  # the header still wins
    [created] = data(
        sandbox(fresh_client, "POST", "/npq-applications", body(**attributes), **header)
    )
    assert created["attributes"]["created_at"] == "2026-12-01T08:00:00Z"


@pytest.mark.parametrize(
    "now",
    ["2027-03-01", "2027-03-01T09:00:00", "yesterday", "2027-02-30T00:00:00Z", 1_800_000_000, True],
)
def test_bad_now(client: FlaskClient, now: object) -> None:
    assert failed(set_clock(client, now), 422) == errors(("now", m.SANDBOX_CLOCK_NOW))


@pytest.mark.parametrize("now", ["1999-12-31T23:59:59Z", "2100-01-01T00:00:00Z"])
def test_now_out_of_range(client: FlaskClient, now: str) -> None:
    assert failed(set_clock(client, now), 422) == errors(("now", m.SANDBOX_CLOCK_RANGE))


@pytest.mark.parametrize(
    ("attributes", "title", "detail"),
    [
        ({"days": None}, "days", m.SANDBOX_CLOCK_ADVANCE),
        ({"weeks": 1}, "days", m.SANDBOX_CLOCK_ADVANCE),
        ({"days": "1"}, "days", m.sandbox_must_be_number("days")),
        ({"days": True}, "days", m.sandbox_must_be_number("days")),
        ({"seconds": "60"}, "seconds", m.sandbox_must_be_number("seconds")),
        ({"days": 40_000}, "days", m.SANDBOX_CLOCK_RANGE),
        ({"days": 1e308}, "days", m.SANDBOX_CLOCK_RANGE),
        ({"seconds": -(10**30)}, "seconds", m.SANDBOX_CLOCK_RANGE),
    ],
)
def test_bad_advance(
    client: FlaskClient, attributes: dict[str, Any], title: str, detail: str
) -> None:
    assert failed(advance(client, **attributes), 422) == errors((title, detail))


@pytest.mark.parametrize(("method", "path"), [("PUT", "/clock"), ("POST", "/clock/advance")])
def test_body_shape(client: FlaskClient, method: str, path: str) -> None:
    response = sandbox(client, method, path)
    assert failed(response, 400) == errors(("Bad request", m.INVALID_DATA_STRUCTURE))


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/clock"), ("PUT", "/clock"), ("POST", "/clock/advance"), ("DELETE", "/clock")],
)
def test_without_a_token(client: FlaskClient, method: str, path: str) -> None:
    assert failed(sandbox(client, method, path, body(days=1), token=None), 401) == ACCESS_DENIED
