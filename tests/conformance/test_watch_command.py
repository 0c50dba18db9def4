"""`npq-conformance watch` as a command: its environment, exit codes and reports."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner, Result
from npq_conformance.cli import main

MISTAKEN = Path(__file__).parent / "clients" / "mistaken.py"
# A command that reads one page of applications with the token it was given, then says so.
READS = (
    "import os, urllib.request as u; r = u.Request(os.environ['NPQ_API_BASE_URL'] + "
    "'/npq-applications', headers={'Authorization': 'Bearer ' + os.environ['NPQ_API_TOKEN']}); "
    "u.urlopen(r).read(); print(os.environ['NPQ_API_BASE_URL'], os.environ['NPQ_API_TOKEN'])"
)


def watch(*args: str) -> Result:
    return CliRunner().invoke(main, ["watch", *args])


def python(code: str) -> str:
    return shlex.join([sys.executable, "-c", code])


def test_the_command_gets_the_base_url_and_the_token(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    result = watch("--client", python(READS), "--token", "ucl-token", "--junit-xml", str(junit))
    assert result.exit_code == 0, result.output
    out = ET.parse(junit).getroot().find("testsuite/system-out")
    assert out is not None and out.text is not None
    base_url, token = out.text.split()
    assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api/v3")
    assert token == "ucl-token"
    assert result.stderr.splitlines() == ["Reading the journal", "Judging the traffic"]


def test_a_failing_command_is_not_judged_but_its_stderr_is_shown() -> None:
    code = READS + "; import sys; sys.exit('my suite failed')"
    result = watch("--client", python(code))
    assert result.exit_code == 0, result.output
    assert "run 1: the client's stderr ends:\n    | my suite failed" in result.output


def test_a_command_still_running_is_stopped_and_fails_command_finished() -> None:
    code = READS + "; import time; time.sleep(30)"
    result = watch("--client", python(code), "--timeout", "3")
    assert result.exit_code == 1, result.output
    assert "FAIL command-finished: the command timed out after 3 s and was stopped" in (
        result.output
    )
    assert "PASS requests-valid: all 1 requests match openapi.yaml" in result.output


def test_a_command_that_cannot_start_is_a_usage_error() -> None:
    result = watch("--client", "no-such-command-anywhere")
    assert result.exit_code == 2
    assert "cannot start the command ['no-such-command-anywhere']" in result.output


def test_an_unknown_token_is_a_usage_error() -> None:
    result = watch("--client", python(READS), "--token", "nope")
    assert result.exit_code == 2
    assert "refused the token 'nope'" in result.output


def test_a_warning_is_a_passing_testcase_and_a_marked_html_item(tmp_path: Path) -> None:
    junit, page = tmp_path / "junit.xml", tmp_path / "report.html"
    command = shlex.join([sys.executable, str(MISTAKEN), "deferred", "wrong"])
    result = watch("--client", command, "--junit-xml", str(junit), "--html", str(page))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Audit passed (3 verdicts, 0 failed, 1 warning)"
    (case,) = [
        c
        for c in ET.parse(junit).getroot().iter("testcase")
        if c.get("name") == "guidance-no-declarations-while-deferred"
    ]
    assert case.find("failure") is None
    output = case.find("system-out")
    assert output is not None and output.text is not None
    assert output.text.startswith("WARNING guidance-no-declarations-while-deferred:\nPOST ")
    assert "Requests behind it:\nPOST /api/v3/participant-declarations answered 200" in output.text
    html = page.read_text()
    assert '<li class="warn"><span class="mark">WARN</span>' in html
    assert "who was deferred; DfE&#x27;s guidance asks for none" in html
