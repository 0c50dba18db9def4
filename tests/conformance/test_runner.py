"""The runner's edges: a setup step that fails, and values saved for later steps."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from npq_conformance.client import SandboxClient
from npq_conformance.judging import Verdict
from npq_conformance.launch import local_sandbox
from npq_conformance.runner import Target, prepare, run_scenario, verdicts
from npq_conformance.scenarios import Step, load
from npq_sandbox import ADMIN_TOKEN

from tests.conformance.journals import scenario

ACCEPTS = shlex.join([sys.executable, str(Path(__file__).parent / "clients" / "accepts.py")])


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    with local_sandbox() as root:
        yield Target(root, owned=True)


def test_a_failing_setup_step_is_one_failed_setup_verdict(target: Target) -> None:
    case = scenario(setup=(Step("PUT", "/sandbox/statements/nope/mark-paid"),))
    outcome = run_scenario(case, ACCEPTS, target, timeout=10)
    assert outcome.verdicts == [
        Verdict(
            "setup",
            False,
            'PUT /sandbox/statements/nope/mark-paid answered 404, not 2xx: {"error": '
            '"Resource not found"}',
        )
    ]


def test_a_step_can_require_a_refusal(target: Target) -> None:
    case = scenario(setup=(Step("PUT", "/sandbox/statements/nope/mark-paid", status=404),))
    assert run_scenario(case, ACCEPTS, target, timeout=10).passed


def test_an_unknown_saved_name_is_a_setup_failure(target: Target) -> None:
    case = scenario(setup=(Step("GET", "/api/v3/npq-applications/${app.data.id}"),))
    (verdict,) = run_scenario(case, ACCEPTS, target, timeout=10).verdicts
    assert verdict == Verdict("setup", False, "${app.data.id}: nothing was saved as 'app'")


def test_saved_values_reach_the_instructions_and_the_judge(target: Target) -> None:
    outcome = run_scenario(load("pending-application-accepted"), ACCEPTS, target, timeout=30)
    assert outcome.passed, outcome.verdicts


def test_the_parts_judge_a_provider_s_own_code_without_a_command(target: Target) -> None:
    case = load("rejected-application")
    http = SandboxClient(target.root, case.provider)
    http.call("POST", "/sandbox/reset-all", token=ADMIN_TOKEN)
    prepared = prepare(http, case)
    (step,) = prepared.instructions
    # The provider's own code would do this; here a refusal is reported as the API worded it.
    answer = http.request("POST", f"/api/v3/npq-applications/{step['application_id']}/accept")
    error = "\n".join(e["detail"] for e in answer.json()["errors"])
    record = {"id": step["application_id"], "status": "rejected"}
    results = {
        "results": [{"id": step["id"], "outcome": "refused", "error": error, "record": record}],
        "view": {"applications": {step["application_id"]: "rejected"}},
    }
    found = verdicts(http, prepared, results)
    assert answer.status_code == 422
    assert [(v.name, v.passed) for v in found] == [
        ("outcome-matches", True),
        ("error-surfaced", True),
        ("no-retry-storm", True),
        ("view-matches-truth", True),
        ("requests-valid", True),
    ]
