"""The Node.js client through `npq-conformance run`: it passes every scenario, and each of its
deliberate mistakes (`NPQ_NODE_MISTAKES`) is named by the verdict that should catch it.

Node.js 20 is on the CI machine: without `node` these tests fail, they do not skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from npq_conformance.launch import local_sandbox
from npq_conformance.scenarios import all_scenarios

ADAPTER = Path(__file__).parents[2] / "examples" / "clients" / "node" / "adapter.js"
KIT = str(Path(sys.executable).parent / "npq-conformance")
# Each mistake, the scenario that shows it, the verdicts it fails (no others) and words the
# failing verdict's reason must hold.
MISTAKES = {
    "no-paging": (
        "more-than-one-page",
        {"reads-every-page", "view-matches-truth"},
        "stopped after page 1, which was full",
    ),
    "no-incremental": ("incremental-sync", {"incremental-sync"}, "filter[updated_since]"),
    "own-words": ("rejected-application", {"error-surfaced"}, "The API refused the request"),
    "retry-refusals": ("rejected-application", {"no-retry-storm"}, "was sent 3 more times"),
    "ignore-retry-after": ("rate-limited", {"honours-retry-after"}, "Retry-After"),
    "expected-state": (
        "rejected-application",
        {"outcome-matches", "view-matches-truth"},
        'the client reported status "accepted", not "rejected"',
    ),
    "no-lost-recovery": ("lost-response", {"outcome-matches"}, "already been submitted"),
    "bad-requests": ("pending-application-accepted", {"requests-valid"}, "page[size]"),
}


def node_command() -> str:
    node = shutil.which("node")
    assert node, "Node.js 20 is on the CI machine: install it (node is not on PATH)"
    return f"{node} {ADAPTER}"


def run(report: Path, *options: str, mistakes: str = "") -> dict[str, dict[str, str]]:
    """Run the kit as a user would; return each scenario's failed verdicts and their reasons."""
    env = {**os.environ, "NPQ_NODE_MISTAKES": mistakes}
    argv = [KIT, "run", "--client", node_command(), "--report", str(report), *options]
    subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    written = json.loads(report.read_text())
    return {
        s["name"]: {v["name"]: v["reason"] for v in s["verdicts"] if not v["passed"]}
        for s in written["scenarios"]
    }


def test_the_node_client_passes_every_scenario(tmp_path: Path) -> None:
    failed = run(tmp_path / "report.json")
    assert failed == {s.name: {} for s in all_scenarios()}


@pytest.fixture(scope="module")
def root() -> Iterator[str]:
    with local_sandbox() as found:
        yield found


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_deliberate_mistake_is_named(mistake: str, root: str, tmp_path: Path) -> None:
    scenario, verdicts, words = MISTAKES[mistake]
    options = ("--scenario", scenario, "--base-url", root)
    failed = run(tmp_path / "report.json", *options, mistakes=mistake)[scenario]
    assert set(failed) == verdicts
    assert any(words in reason for reason in failed.values()), failed
