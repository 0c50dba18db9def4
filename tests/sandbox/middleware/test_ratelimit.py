"""The optional throttle: fixed windows per Authorization header value, as Rack::Attack counts.

docs/rules.md §12; edge case I4 (§20).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from npq_sandbox import Settings, create_app
from npq_sandbox.cli import main
from npq_sandbox.middleware.ratelimit import Throttle
from npq_sandbox.settings import Limit
from npq_sandbox.store.db import Database

from tests.helpers import BEST_PRACTICE, get


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_counts_per_key_in_fixed_windows() -> None:
    clock = Clock(600.0)  # the start of a 300-second window
    throttle = Throttle(Limit(2, 300), clock)
    assert [throttle.hit("a"), throttle.hit("a"), throttle.hit("b")] == [None, None, None]
    clock.now = 700.5
    assert throttle.hit("a") == 199  # seconds until the window ends at 900
    clock.now = 900.0  # a new window forgets the counts
    assert throttle.hit("a") is None


@pytest.mark.parametrize("spec", ["1000", "0/300", "10/0", "a/b", "10/300/1", " "])
def test_bad_specs(spec: str) -> None:
    with pytest.raises(ValueError, match="requests"):
        Limit.parse(spec)


def test_off_by_default(fresh_db: Database) -> None:
    client = create_app(Settings(database=fresh_db)).test_client()
    assert {get(client, "/statements").status_code for _ in range(20)} == {200}


def test_only_api_requests_with_a_token_count(fresh_db: Database) -> None:
    client = create_app(Settings(database=fresh_db, rate_limit=Limit(1, 300))).test_client()
    headers = {"Authorization": "Bearer ambition-token"}
    assert client.get("/sandbox/clock", headers=headers).status_code == 200
    assert client.get("/sandbox/clock", headers=headers).status_code == 200
    assert [get(client, "/statements", None).status_code for _ in range(2)] == [401, 401]
    assert [get(client, "/statements").status_code for _ in range(2)] == [200, 429]


def test_serve_refuses_a_bad_rate_limit(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", "--db", ":memory:", "--rate-limit", "fast"])
    assert result.exit_code == 2
    assert "a rate limit is <requests>/<seconds>" in result.output


def test_serve_refuses_a_rate_limit_with_several_workers(runner: CliRunner, tmp_path: Path) -> None:
    """Each worker would count its own requests: a token would get a budget per worker."""
    path = tmp_path / "s.db"
    options = ["--db", str(path), "--workers", "2", "--rate-limit", "10/60"]
    result = runner.invoke(main, ["serve", *options])
    assert result.exit_code == 2
    assert "--rate-limit counts in one process: use it without --workers" in result.output
    assert not path.exists()


def test_i4_rate_limit(fresh_db: Database) -> None:
    client = create_app(Settings(database=fresh_db, rate_limit=Limit(5, 300))).test_client()
    for _ in range(5):
        assert get(client, "/statements").status_code == 200
    refused = get(client, "/statements")
    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "text/plain"
    assert refused.get_data(as_text=True) == "Retry later\n"
    assert 1 <= int(refused.headers["Retry-After"]) <= 300
    # Counted per Authorization header value: another token is not refused.
    assert get(client, "/statements", BEST_PRACTICE.token).status_code == 200
    # Unknown routes are throttled too (DfE throttles before routing).
    assert get(client, "/no-such-route").status_code == 429


def test_a_test_kit_s_own_requests_are_not_counted(fresh_db: Database) -> None:
    """docs/rules.md §18.9: the kit's setup and reads leave the client's budget alone."""
    client = create_app(Settings(database=fresh_db, rate_limit=Limit(1, 300))).test_client()
    assert {get(client, "/statements", **{"X-Sandbox-Kit": "1"}).status_code for _ in range(5)} == {
        200
    }
    assert [get(client, "/statements").status_code for _ in range(2)] == [200, 429]
