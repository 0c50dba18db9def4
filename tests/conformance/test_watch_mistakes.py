"""`npq-conformance watch` against an integration with each mistake a traffic verdict names.

`clients/mistaken.py BEHAVIOUR right|wrong` does one behaviour the careful way or with the
mistake; done right, every verdict passes, done wrong, exactly the verdict named for it fails
(or, for DfE's guidance, warns), with the requests behind it.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from npq_conformance.cli import main

MISTAKEN = Path(__file__).parent / "clients" / "mistaken.py"
# Each behaviour, and the verdict its mistake fails.
VERDICT_OF = {
    "paging": "reads-every-page",
    "resync": "incremental-sync",
    "throttle": "honours-retry-after",
    "storm": "no-retry-storm",
    "lost": "looks-up-after-lost-response",
    "merged": "respects-410",
    "rejected": "no-accept-after-rejected",
    "invalid": "requests-valid",
    "deferred": "guidance-no-declarations-while-deferred",
    "after-rejection": "guidance-no-requests-after-rejection",
}


def watch(tmp_path: Path, behaviour: str, how: str, *options: str) -> tuple[Result, Any]:
    report = tmp_path / "report.json"
    command = shlex.join([sys.executable, str(MISTAKEN), behaviour, how])
    result = CliRunner().invoke(
        main, ["watch", "--client", command, "--report", str(report), *options]
    )
    return result, json.loads(report.read_text()) if report.exists() else None


def verdicts(found: Any) -> dict[str, Any]:
    (audited,) = found["scenarios"]
    return {v["name"]: v for v in audited["verdicts"]}


@pytest.mark.parametrize("behaviour", sorted(VERDICT_OF))
def test_done_right_every_verdict_passes(tmp_path: Path, behaviour: str) -> None:
    result, found = watch(tmp_path, behaviour, "right")
    assert result.exit_code == 0, result.output
    judged = verdicts(found)
    assert judged[VERDICT_OF[behaviour]]["passed"]
    assert not any(v["warning"] or not v["passed"] for v in judged.values()), result.output


@pytest.mark.parametrize("behaviour", sorted(VERDICT_OF))
def test_done_wrong_its_verdict_fails_with_the_requests(tmp_path: Path, behaviour: str) -> None:
    result, found = watch(tmp_path, behaviour, "wrong")
    judged = verdicts(found)
    name = VERDICT_OF[behaviour]
    flagged = {n for n, v in judged.items() if v["warning"] or not v["passed"]}
    assert flagged == {name}, result.output
    assert judged[name]["failures"] and judged[name]["evidence"]
    guidance = name.startswith("guidance-")
    assert judged[name]["warning"] is guidance
    assert result.exit_code == (0 if guidance else 1), result.output
    assert f"{'WARN' if guidance else 'FAIL'} {name}: " in result.output


@pytest.mark.parametrize("behaviour", ["deferred", "after-rejection"])
def test_strict_makes_guidance_fail(tmp_path: Path, behaviour: str) -> None:
    result, found = watch(tmp_path, behaviour, "wrong", "--strict")
    assert result.exit_code == 1, result.output
    finding = verdicts(found)[VERDICT_OF[behaviour]]
    assert not finding["passed"] and not finding["warning"]
    assert "DfE's guidance" in finding["reason"]
