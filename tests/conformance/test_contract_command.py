"""`npq-conformance contract`: schemathesis against the sandbox, a broken stub, nothing at all."""

from __future__ import annotations

import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from npq_conformance.cli import main
from npq_conformance.contract import CHECKS, ContractOptions, _schema, default_spec
from npq_conformance.launch import serving

from tests.conformance.broken_stub import broken

ROOT = Path(__file__).parents[2]
NPQ_CONFORMANCE = Path(sys.executable).with_name("npq-conformance")
# Few examples and a fixed seed: each run is repeatable and takes seconds, not minutes.
QUICK = ["--token", "ambition-token", "--max-examples", "2", "--seed", "1"]


@pytest.fixture
def sandbox_url(fresh_app: Flask) -> Iterator[str]:
    with serving(fresh_app) as origin:
        yield f"{origin}/api/v3"


@pytest.fixture
def broken_url(fresh_app: Flask) -> Iterator[str]:
    with serving(broken(fresh_app)) as origin:
        yield origin


def _junit(path: Path) -> dict[str, list[str]]:
    """Each testcase's name with the messages of its failures."""
    cases = ET.parse(path).getroot().iter("testcase")
    return {case.get("name", ""): [f.get("message", "") for f in case] for case in cases}


def test_the_sandbox_passes_from_any_directory(sandbox_url: str, tmp_path: Path) -> None:
    junit = tmp_path / "contract.xml"
    completed = subprocess.run(
        [NPQ_CONFORMANCE, "contract", "--base-url", sandbox_url, *QUICK, "--junit-xml", junit],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "23 operations passed, 0 failed" in completed.stdout
    cases = _junit(junit)
    assert len(cases) == 23
    assert not any(cases.values())
    assert all(name.split()[1].startswith("/api/v3/") for name in cases)


def test_a_broken_stub_fails_naming_the_operations(broken_url: str, tmp_path: Path) -> None:
    junit = tmp_path / "contract.xml"
    args = ["contract", "--base-url", broken_url, *QUICK, "--junit-xml", str(junit)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "GET /api/v3/statements: response_schema_conformance:" in result.output
    assert "PUT /api/v3/participant-declarations/{id}/void: not_a_server_error:" in result.output
    assert "  passed  GET /api/v3/delivery-partners (" in result.output
    assert "21 operations passed, 2 failed" in result.output
    failing = {name: messages for name, messages in _junit(junit).items() if messages}
    assert set(failing) == {
        "GET /api/v3/statements",
        "PUT /api/v3/participant-declarations/{id}/void",
    }
    assert (
        "not_a_server_error: Server error"
        in failing["PUT /api/v3/participant-declarations/{id}/void"]
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_url_is_a_usage_error() -> None:
    origin = f"http://127.0.0.1:{_free_port()}"
    result = CliRunner().invoke(main, ["contract", "--base-url", f"{origin}/api/v3", *QUICK])
    assert result.exit_code == 2
    assert f"Error: cannot reach {origin}: ConnectionError" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--base-url", "ftp://example.test", "--token", "t"],
        ["--token", "t"],
        ["--base-url", "http://127.0.0.1:9", "--token", "t", "--spec", "missing.yaml"],
        ["--base-url", "http://127.0.0.1:9", "--token", "t", "--max-examples", "0"],
    ],
    ids=["not-http", "no-base-url", "missing-spec", "no-examples"],
)
def test_bad_options_are_usage_errors(args: list[str]) -> None:
    assert CliRunner().invoke(main, ["contract", *args]).exit_code == 2


def test_the_default_spec_is_the_repository_contract() -> None:
    assert default_spec().read_bytes() == (ROOT / "openapi.yaml").read_bytes()


@pytest.mark.parametrize("include_sandbox", [False, True])
def test_only_the_api_runs_unless_the_control_plane_is_asked_for(include_sandbox: bool) -> None:
    options = ContractOptions("t", include_sandbox=include_sandbox)
    schema = _schema("http://127.0.0.1:9", default_spec(), options)
    paths = [result.ok().path for result in schema.get_all_operations()]
    assert any(path.startswith("/sandbox/") for path in paths) is include_sandbox
    assert len([path for path in paths if path.startswith("/api/v3/")]) == 23


def test_the_four_response_checks_run() -> None:
    assert CHECKS == (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
