"""The issue's "done when": the reference clients through `npq-conformance run`."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner
from npq_conformance.cli import main
from npq_conformance.launch import local_sandbox
from npq_conformance.scenarios import all_scenarios

CLIENTS = Path(__file__).parents[2] / "examples" / "clients"
# The verdicts each of the naive client's mistakes should fail, scenario by scenario, and no
# others: it reads one page only (a mistake where that page is full), never asks for changes,
# retries a refusal three times, ignores Retry-After, reports its own words for errors, re-posts
# after a dropped connection, and believes what it expected rather than what the API answered.
# A refusal it retries three times, reports in its own words and with no record of the state.
REFUSALS = {"outcome-matches", "error-surfaced", "no-retry-storm"}
NAIVE_FAILS = {
    "accepted-by-another-provider": {"outcome-matches", "error-surfaced", "no-retry-storm"},
    "capped-cohort-funded-place": {"error-surfaced", "no-retry-storm"},
    "deferred-participant": {"outcome-matches", "view-matches-truth"},
    "incremental-sync": {"incremental-sync"},
    "lost-response": {"outcome-matches", "error-surfaced", "no-retry-storm"},
    "more-than-one-page": {"reads-every-page", "view-matches-truth"},
    "paid-declaration-voided": {"outcome-matches"},
    "pending-application-accepted": set(),
    "rate-limited": {"honours-retry-after"},
    "rejected-application": {
        "outcome-matches",
        "error-surfaced",
        "no-retry-storm",
        "view-matches-truth",
    },
    "transient-503": set(),
    "voided-declaration": {"outcome-matches", "error-surfaced", "no-retry-storm"},
    "withdrawn-participant": {
        "outcome-matches",
        "error-surfaced",
        "no-retry-storm",
        "view-matches-truth",
    },
    "pending-application-rejected": REFUSALS,
    "accepted-application-rejected": REFUSALS,
    "participant-deferred-and-resumed": REFUSALS,
    "participant-without-declarations": REFUSALS,
    "deferred-participant-withdrawn-and-resumed": REFUSALS,
    "schedule-changed": REFUSALS,
    "funded-place-changed": REFUSALS,
    # It reports no record for an outcome, only what it assumed for a declaration.
    "outcomes-recorded": {"outcome-matches"},
    "outcome-without-completed-declaration": {"error-surfaced", "no-retry-storm"},
    "duplicate-declaration": {"outcome-matches", "view-matches-truth"},
    # Its assumption (a new declaration is submitted) happens to be right here.
    "submitted-declaration-made-eligible": set(),
    "completed-declaration-voided": {"error-surfaced", "no-retry-storm"},
    # Each run of it reads afresh: DfE's moves between runs reach it.
    "declaration-paid-between-syncs": set(),
    "accepted-by-another-provider-between-syncs": set(),
    # Voiding a paid declaration, it believes `voided`, not `awaiting-clawback`.
    "statement-paid-between-syncs": REFUSALS | {"view-matches-truth"},
    # It retries the 401 until the token works again, then reports the step done.
    "token-revoked-mid-run": REFUSALS,
    # It retries a 500 at once, which no verdict forbids.
    "server-error": set(),
    "slow-answer-lost": REFUSALS,
    # It stops at the merged id's 404, and retries it.
    "participants-merged": REFUSALS,
    "participant-details-changed": set(),
    "funding-eligibility-changed": REFUSALS,
    "contract-removed": {"error-surfaced", "no-retry-storm"},
}


def run(name: str, report: Path) -> int:
    command = shlex.join([sys.executable, str(CLIENTS / name)])
    result = CliRunner().invoke(main, ["run", "--client", command, "--report", str(report)])
    return result.exit_code


def failed(report: Path) -> dict[str, set[str]]:
    written = json.loads(report.read_text())
    return {
        s["name"]: {v["name"] for v in s["verdicts"] if not v["passed"]}
        for s in written["scenarios"]
    }


def test_every_scenario_says_what_the_naive_client_fails() -> None:
    """The careful client's run is in test_catalogue_coverage (it also shows every verdict)."""
    assert set(NAIVE_FAILS) == {s.name for s in all_scenarios()}


def test_the_naive_client_fails_exactly_the_verdicts_of_its_mistakes(tmp_path: Path) -> None:
    report = tmp_path / "naive.json"
    assert run("naive.py", report) == 1
    assert failed(report) == NAIVE_FAILS


def test_competing_scenario_runs_as_any_provider(tmp_path: Path) -> None:
    """The rival provider is chosen per run, so Best Practice Network's token works too."""
    command = shlex.join([sys.executable, str(CLIENTS / "careful.py")])
    with local_sandbox() as root:
        result = CliRunner().invoke(
            main,
            [
                "run",
                "--client",
                command,
                "--scenario",
                "accepted-by-another-provider",
                "--base-url",
                f"{root}/api/v3",
                "--token",
                "best-practice-token",
            ],
        )
    assert result.exit_code == 0, result.output
