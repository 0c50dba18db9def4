"""`npq-conformance run` and `scenarios` end to end, against tiny throwaway clients."""

from __future__ import annotations

import json
import shlex
import socket
import sys
import threading
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner, Result
from npq_conformance.cli import main
from npq_conformance.launch import local_sandbox, serving
from npq_conformance.scenarios import all_scenarios
from npq_sandbox import Database, Settings, create_app, seed_database
from werkzeug.exceptions import NotFound
from werkzeug.serving import make_server

CLIENTS = Path(__file__).parent / "clients"
SCENARIO = "pending-application-accepted"


def client(name: str) -> str:
    return shlex.join([sys.executable, str(CLIENTS / name)])


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["run", *args])


def test_a_client_that_does_the_right_thing_passes(tmp_path: Path) -> None:
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    result = run(
        "--client",
        client("accepts.py"),
        "--scenario",
        SCENARIO,
        "--report",
        str(report),
        "--junit-xml",
        str(junit),
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{SCENARIO}: passed"
    assert result.output.splitlines()[-1] == "1 scenario: 1 passed, 0 failed (4 verdicts, 0 failed)"
    written = json.loads(report.read_text())
    assert written["passed"] is True
    assert [v["name"] for v in written["scenarios"][0]["verdicts"]] == [
        "outcome-matches",
        "reads-every-page",
        "view-matches-truth",
        "requests-valid",
    ]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and (suite.get("name"), suite.get("tests"), suite.get("failures")) == (
        SCENARIO,
        "4",
        "0",
    )


def test_the_same_client_fails_a_scenario_it_does_not_handle() -> None:
    result = run("--client", client("accepts.py"), "--scenario", "rejected-application")
    assert result.exit_code == 1, result.output
    assert "FAIL outcome-matches" in result.output


def test_a_client_without_results_fails_every_verdict_with_the_reason() -> None:
    result = run("--client", client("silent.py"), "--scenario", SCENARIO)
    assert result.exit_code == 1, result.output
    verdicts = result.output.splitlines()[1:-1]
    reason = "the client wrote no results file (exit status 3; last output: nothing to report)"
    assert verdicts and all(
        line.startswith("  FAIL ") and line.endswith(reason) for line in verdicts
    )


def test_a_client_that_hangs_is_killed_and_times_out() -> None:
    result = run("--client", client("hangs.py"), "--scenario", SCENARIO, "--timeout", "0.5")
    assert result.exit_code == 1, result.output
    verdicts = result.output.splitlines()[1:-1]
    assert verdicts and all(line.endswith("timed out after 0.5 s") for line in verdicts)


def test_a_client_that_cannot_start_is_exit_2() -> None:
    result = run("--client", "no-such-client-command --flag", "--scenario", SCENARIO)
    assert result.exit_code == 2
    assert "cannot start the client ['no-such-client-command', '--flag']" in result.output


def test_a_shell_saying_command_not_found_is_exit_2() -> None:
    result = run("--client", "sh -c 'no-such-client-command'", "--scenario", SCENARIO)
    assert result.exit_code == 2
    assert "exited 127" in result.output


def test_an_unknown_scenario_is_a_usage_error() -> None:
    result = run("--client", client("accepts.py"), "--scenario", "nope")
    assert result.exit_code == 2
    assert "no scenario 'nope'" in result.output


def test_token_without_base_url_is_a_usage_error() -> None:
    assert run("--client", "x", "--token", "ambition-token").exit_code == 2


def test_a_running_sandbox_is_used_with_its_token() -> None:
    with local_sandbox() as root:
        result = run(
            "--client",
            client("accepts.py"),
            "--scenario",
            SCENARIO,
            "--base-url",
            f"{root}/api/v3",
            "--token",
            "ucl-token",
        )
    assert result.exit_code == 0, result.output


def test_scenarios_lists_one_line_each() -> None:
    result = CliRunner().invoke(main, ["scenarios"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(all_scenarios())
    assert any(
        line.startswith("lost-response  ") or line.startswith("lost-response ") for line in lines
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def refused(result: Result, line: str) -> None:
    """Exit 2 with one clear line, before any scenario ran."""
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [f"Error: {line}"]


def test_an_unreachable_base_url_is_exit_2_before_any_scenario() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run("--client", client("accepts.py"), "--base-url", url)
    refused(result, f"nothing accepts connections at {url} (Connection refused)")


def test_wait_gives_up_after_its_seconds() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run("--client", client("accepts.py"), "--base-url", url, "--wait", "0.5")
    refused(result, f"nothing accepts connections at {url} within 0.5 s (Connection refused)")


def test_a_token_the_sandbox_refuses_is_exit_2() -> None:
    with local_sandbox() as root:
        result = run("--client", client("accepts.py"), "--base-url", root, "--token", "nope")
    refused(result, f"the sandbox at {root} refused the token 'nope' (401)")


def test_a_url_that_is_not_an_npq_sandbox_is_exit_2() -> None:
    with serving(NotFound()) as root:
        result = run("--client", client("accepts.py"), "--base-url", root)
    line = (
        f"{root} is not an npq-sandbox: GET /sandbox/clock answered 404 (text/html; charset=utf-8)"
    )
    refused(result, line)


def test_a_url_that_is_no_url_is_exit_2() -> None:
    result = run("--client", client("accepts.py"), "--base-url", "localhost:8000")
    refused(result, "'localhost:8000' is not an http(s) URL such as http://127.0.0.1:8000")


def test_wait_waits_for_a_sandbox_still_starting(tmp_path: Path) -> None:
    port, started = free_port(), []
    db = Database(str(tmp_path / "sandbox.db"))
    seed_database(db)

    def start() -> None:  # a second from now, as a service container would
        started.append(make_server("127.0.0.1", port, create_app(Settings(database=db))))
        started[0].serve_forever()

    later = threading.Timer(1.0, start)
    later.daemon = True  # never keeps the tests waiting, whatever happens below
    later.start()
    url = f"http://127.0.0.1:{port}"
    args = ("--client", client("accepts.py"), "--scenario", SCENARIO, "--base-url", url)
    result = run(*args, "--wait", "30")
    later.cancel()
    if started:
        started[0].shutdown()
        started[0].server_close()
    db.dispose()
    assert result.exit_code == 0, result.output
