"""The kit's own requests are its own: faults and the rate limit are left for the client.

The kit's setup, its reads of the final state and its resets carry `X-Sandbox-Kit`, which the
sandbox's fault, rate-limit and journal layers honour (docs/rules.md §18.9): a fault the client
never meets, or a tight rate limit, judges only what the client did.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from npq_conformance.client import SandboxClient
from npq_conformance.launch import local_sandbox
from npq_conformance.runner import Outcome, Target, run_scenario
from npq_conformance.scenarios import Scenario, Step, load
from npq_sandbox import Limit

HERE = Path(__file__).parent
CAREFUL = shlex.join([sys.executable, str(HERE.parents[1] / "examples/clients/careful.py")])
ACCEPTS = shlex.join([sys.executable, str(HERE / "clients" / "accepts.py")])
SCENARIO = "pending-application-accepted"
APPLICATIONS = "/api/v3/npq-applications"


def fault(**attributes: Any) -> Step:
    return Step("POST", "/sandbox/faults", {"data": {"attributes": attributes}})


def with_setup(name: str, *steps: Step) -> Scenario:
    """A scenario of the catalogue with more setup steps at the end of its first run's."""
    case = load(name)
    first = replace(case.runs[0], setup=(*case.runs[0].setup, *steps))
    return replace(case, runs=(first, *case.runs[1:]))


def run(case: Scenario, command: str, root: str) -> Outcome:
    return run_scenario(case, command, Target(root, owned=True), timeout=60)


def failures(outcome: Outcome) -> set[str]:
    return {f"{v.name}: {v.reason}" for v in outcome.verdicts if not v.passed}


# A 503 on every read of declarations, which neither the client nor the scenario's verdicts
# need but the kit's read of the final state makes; and a 503 on the client's first read of
# applications, which the kit's own setup read of applications must not use up.
FAULTS = (
    fault(method="GET", path="/api/v3/participant-declarations", status=503, times=None),
    fault(method="GET", path=APPLICATIONS, status=503, retry_after=1),
    Step("GET", APPLICATIONS),
)


def test_faults_are_left_for_the_client() -> None:
    case = with_setup(SCENARIO, *FAULTS)
    with local_sandbox() as root:
        outcome = run(case, CAREFUL, root)
        left = SandboxClient(root, case.provider).control("GET", "/faults")
    assert outcome.passed, failures(outcome)
    (run_1,) = outcome.runs
    sent = [e["attributes"] for e in run_1.journal]
    assert next(e["status"] for e in sent if e["path"] == APPLICATIONS) == 503
    assert [f["attributes"]["remaining"] for f in left] == [None, 0]


def test_a_client_that_does_not_retry_a_503_meets_the_fault_the_kit_left() -> None:
    with local_sandbox() as root:
        outcome = run(with_setup(SCENARIO, *FAULTS), ACCEPTS, root)
    assert not outcome.passed
    assert all("HTTP Error 503" in v.reason for v in outcome.verdicts), failures(outcome)


def test_a_tight_rate_limit_counts_only_the_client_s_requests() -> None:
    # The client sends three requests; the kit sends ten in its setup and six to read the truth.
    case = with_setup(SCENARIO, Step("GET", "/api/v3/statements", repeat=10))
    with local_sandbox(rate_limit=Limit(3, 300)) as root:
        outcome = run(case, ACCEPTS, root)
    assert outcome.passed, failures(outcome)
    assert len(outcome.runs[0].journal) == 3


def test_a_client_over_the_limit_meets_dfe_s_throttle() -> None:
    with local_sandbox(rate_limit=Limit(2, 300)) as root:
        outcome = run(load(SCENARIO), ACCEPTS, root)
    assert not outcome.passed
    assert all("HTTP Error 429" in v.reason for v in outcome.verdicts), failures(outcome)
