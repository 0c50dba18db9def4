"""A client that crashes: the last 20 lines of its stderr in every report, not only one line."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner, Result
from npq_conformance.cli import main

from tests.conformance.test_evidence_html import Page

CLIENT = Path(__file__).parent / "clients" / "crashes.py"
SCENARIO = "pending-application-accepted"
# crashes.py writes 30 trace lines, then its last words: the reports keep the last 20 lines.
TAIL = [*(f"trace line {n}" for n in range(12, 31)), "client gave up: <no connection>"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    folder = tmp_path_factory.mktemp("crash")
    command = shlex.join([sys.executable, str(CLIENT)])
    options = ["--report", str(folder / "r.json"), "--junit-xml", str(folder / "j.xml")]
    options += ["--html", str(folder / "r.html")]
    result = CliRunner().invoke(
        main, ["run", "--client", command, "--scenario", SCENARIO, *options]
    )
    assert result.exit_code == 1, result.output
    return result, folder


def test_the_console_shows_the_tail(reports: tuple[Result, Path]) -> None:
    lines = reports[0].output.splitlines()
    start = lines.index("  run 1: the client's stderr ends:")
    assert lines[start + 1 : start + 21] == [f"    | {line}" for line in TAIL]


def test_the_json_report_shows_the_tail(reports: tuple[Result, Path]) -> None:
    written = json.loads((reports[1] / "r.json").read_text())
    run = written["scenarios"][0]["runs"][0]
    assert run["problem"].startswith("the client wrote no results file (exit status 1")
    assert run["stderr_tail"].splitlines() == TAIL


def test_junit_shows_the_tail_in_each_failure_and_the_whole_stderr(
    reports: tuple[Result, Path],
) -> None:
    suite = ET.parse(reports[1] / "j.xml").getroot().find("testsuite")
    assert suite is not None and float(suite.get("time") or 0) > 0
    failures = [c.find("failure") for c in suite.findall("testcase")]
    assert failures and all(
        f is not None and (f.text or "").endswith("\n".join(TAIL)) for f in failures
    )
    assert len((suite.findtext("system-err") or "").splitlines()) == 31
    assert suite.findtext("system-out") == "starting\n"


def test_the_html_report_shows_the_tail(reports: tuple[Result, Path]) -> None:
    page = Page((reports[1] / "r.html").read_text(encoding="utf-8"))
    assert "\n".join(TAIL) in page.text
