"""The `npq_sandbox` pytest plugin: a live sandbox for a provider's own Python test suite.

Built in tiers, as pytest-httpserver is:

- `npq_sandbox_config` (session): the `--npq-*` options; override it in a conftest to fix them.
- `make_npq_sandbox` (session): starts one sandbox for the session on a free loopback port
  (`conformance.local_sandbox`: Werkzeug's threaded server over a temporary seeded SQLite
  file), or connects to `--npq-base-url`; yields a `conformance.LiveSandbox`.
- `npq_sandbox` (function): the same sandbox, reset to the seed before each test.

Registered as the `pytest11` entry point `npq_sandbox`, so it is loaded by every pytest run
where the package is installed: nothing is imported or started until a test asks for one of
its fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from npq_conformance.live import LiveSandbox

# Enough people for a few pages of background records, few enough for a reset in well under a
# second (every test resets).
DEFAULT_PARTICIPANTS = 10
DEFAULT_SEED = 1


@dataclass(frozen=True)
class NpqSandboxConfig:
    """Where the sandbox is, or how to seed the one the plugin starts."""

    base_url: str | None = None
    participants: int = DEFAULT_PARTICIPANTS
    seed: int = DEFAULT_SEED


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("npq_sandbox", "NPQ Lead Provider API sandbox")
    group.addoption(
        "--npq-base-url",
        metavar="URL",
        help="Use the sandbox running at URL (reset before each test) instead of starting one.",
    )
    group.addoption(
        "--npq-participants",
        type=int,
        default=DEFAULT_PARTICIPANTS,
        metavar="N",
        help=f"Background participants to seed (default {DEFAULT_PARTICIPANTS}).",
    )
    group.addoption(
        "--npq-seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"Seed of the seeded data (default {DEFAULT_SEED}).",
    )


@pytest.fixture(scope="session")
def npq_sandbox_config(pytestconfig: pytest.Config) -> NpqSandboxConfig:
    """The sandbox's settings from the `--npq-*` options."""
    return NpqSandboxConfig(
        base_url=pytestconfig.getoption("npq_base_url"),
        participants=pytestconfig.getoption("npq_participants"),
        seed=pytestconfig.getoption("npq_seed"),
    )


@pytest.fixture(scope="session")
def make_npq_sandbox(npq_sandbox_config: NpqSandboxConfig) -> Iterator[LiveSandbox]:
    """One live sandbox for the whole session: started here, or the one at `--npq-base-url`."""
    from npq_conformance.launch import local_sandbox
    from npq_conformance.live import LiveSandbox

    config = npq_sandbox_config
    if config.base_url:
        yield LiveSandbox(config.base_url, started=False)
        return
    with local_sandbox(participants=config.participants, seed=config.seed) as root:
        yield LiveSandbox(root, started=True)


@pytest.fixture
def npq_sandbox(make_npq_sandbox: LiveSandbox) -> LiveSandbox:
    """The session's sandbox, put back to its seed (data, clocks, journals, faults) first."""
    make_npq_sandbox.reset()
    return make_npq_sandbox
