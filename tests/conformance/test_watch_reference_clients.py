"""`npq-conformance watch` over the reference clients: the careful ones pass, the naive fails.

`clients/arranged.py CASE CMD...` arranges a case (unjournaled, as the kit does), then runs a
protocol client on it; `watch` judges only the client's traffic.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from npq_conformance.cli import main

ARRANGED = Path(__file__).parent / "clients" / "arranged.py"
EXAMPLES = Path(__file__).parents[2] / "examples" / "clients"
CLIENTS = {
    "careful": [sys.executable, str(EXAMPLES / "careful.py")],
    "naive": [sys.executable, str(EXAMPLES / "naive.py")],
    "node": ["node", str(EXAMPLES / "node" / "adapter.js")],
}
# What each case flags for each client: failures, and warnings (DfE's guidance: a client told
# to declare for a participant it deferred does it, and is warned).
FLAGGED = {
    ("syncs", "naive"): {"incremental-sync"},
    ("lost", "naive"): {"looks-up-after-lost-response", "no-retry-storm"},
    ("throttled", "naive"): {"honours-retry-after"},
}
WARNED = {"deferred": {"guidance-no-declarations-while-deferred"}}


def watch(case: str, client: str, report: Path) -> tuple[int, str, Any]:
    command = shlex.join([sys.executable, str(ARRANGED), case, *CLIENTS[client]])
    result = CliRunner().invoke(main, ["watch", "--client", command, "--report", str(report)])
    return result.exit_code, result.output, json.loads(report.read_text())


@pytest.mark.parametrize("client", sorted(CLIENTS))
@pytest.mark.parametrize("case", ["syncs", "lost", "throttled", "deferred"])
def test_each_reference_client_is_judged_as_it_behaves(
    tmp_path: Path, case: str, client: str
) -> None:
    status, output, found = watch(case, client, tmp_path / "report.json")
    (audited,) = found["scenarios"]
    failed = {v["name"] for v in audited["verdicts"] if not v["passed"]}
    warned = {v["name"] for v in audited["verdicts"] if v["warning"]}
    assert failed == FLAGGED.get((case, client), set()), output
    assert warned == WARNED.get(case, set()), output
    assert status == (1 if failed else 0), output
