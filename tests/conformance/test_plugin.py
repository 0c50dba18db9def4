"""The `npq_sandbox` pytest plugin, tested as a provider uses it: through generated test files."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from npq_conformance.launch import serving

pytest_plugins = ["pytester"]

ACCEPT = """
import requests


def accept(npq_sandbox, provider="ambition"):
    application = npq_sandbox.register_application(
        provider=provider, course_identifier="npq-senior-leadership", cohort="2025"
    )
    return requests.post(
        f"{npq_sandbox.base_url}/npq-applications/{application[0]['id']}/accept",
        headers={"Authorization": f"Bearer {npq_sandbox.token(provider)}"},
        json={"data": {"attributes": {"funded_place": False}}},
    )
"""


def test_a_provider_test_that_accepts_an_application_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        ACCEPT
        + """
def test_accept(npq_sandbox):
    answer = accept(npq_sandbox, provider="Ambition Institute")
    assert answer.status_code == 200
    assert answer.json()["data"]["attributes"]["status"] == "accepted"
    assert npq_sandbox.base_url.endswith("/api/v3")
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_provider_test_asserting_something_false_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        ACCEPT
        + """
def test_accept_is_rejected(npq_sandbox):
    answer = accept(npq_sandbox)
    assert answer.json()["data"]["attributes"]["status"] == "rejected"
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: assert 'accepted' == 'rejected'*"])


def test_one_sandbox_serves_the_session_and_each_test_starts_afresh(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        ACCEPT
        + """
import requests

SEEN = []


def test_first(npq_sandbox, make_npq_sandbox):
    assert npq_sandbox is make_npq_sandbox and npq_sandbox.started
    SEEN.append((npq_sandbox.origin, accept(npq_sandbox).json()["data"]["id"]))


def test_second(npq_sandbox):
    origin, application_id = SEEN[0]
    assert npq_sandbox.origin == origin
    answer = npq_sandbox.request("GET", f"/api/v3/npq-applications/{application_id}")
    assert answer.status_code == 404
"""
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_the_options_configure_the_sandbox(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
def test_config(npq_sandbox_config):
    assert npq_sandbox_config.base_url == "http://127.0.0.1:9/api/v3"
    assert npq_sandbox_config.participants == 3
    assert npq_sandbox_config.seed == 7
"""
    )
    options = ["--npq-base-url", "http://127.0.0.1:9/api/v3", "--npq-participants", "3"]
    pytester.runpytest(*options, "--npq-seed=7").assert_outcomes(passed=1)


def test_the_options_have_defaults(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
def test_config(npq_sandbox_config):
    assert (npq_sandbox_config.base_url, npq_sandbox_config.participants) == (None, 10)
    assert npq_sandbox_config.seed == 1
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.fixture
def running(fresh_app: Flask) -> Iterator[str]:
    with serving(fresh_app) as origin:
        yield f"{origin}/api/v3"


def test_a_running_sandbox_is_used_and_reset(pytester: pytest.Pytester, running: str) -> None:
    pytester.makepyfile(
        ACCEPT
        + """
def test_accept(npq_sandbox):
    assert not npq_sandbox.started
    assert accept(npq_sandbox).status_code == 200
"""
    )
    pytester.runpytest(f"--npq-base-url={running}").assert_outcomes(passed=1)


def test_tokens_are_found_by_name_slug_or_id(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest


def test_tokens(make_npq_sandbox):
    assert make_npq_sandbox.token("Ambition Institute") == "ambition-token"
    assert make_npq_sandbox.token("best-practice") == "best-practice-token"
    assert make_npq_sandbox.token("9e35e998-c63b-4136-89c4-e9e18ddde0ea") == "ambition-token"
    with pytest.raises(LookupError, match="no lead provider 'nobody'"):
        make_npq_sandbox.token("nobody")
"""
    )
    pytester.runpytest("--npq-base-url=http://127.0.0.1:9").assert_outcomes(passed=1)


def test_a_refused_control_call_raises(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest
from npq_conformance import SandboxRefused


def test_refused(npq_sandbox):
    with pytest.raises(SandboxRefused, match="PUT /sandbox/statements/nope/mark-paid answered 404"):
        npq_sandbox.mark_statement_paid("nope")
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_loading_the_plugin_does_no_work() -> None:
    """Installed, the plugin is loaded by every pytest run: it must not import the sandbox."""
    probe = (
        "import sys, conformance.plugin; print(sorted({'sandbox', 'requests'} & set(sys.modules)))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_a_suite_without_npq_fixtures_starts_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import sys


def test_plain():
    assert "conformance.live" not in sys.modules and "sandbox.seeding" not in sys.modules
"""
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_faults_and_the_journal_are_at_hand(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import requests


def test_retry_after_a_503(npq_sandbox):
    fault = npq_sandbox.add_fault(method="GET", path="/api/v3/statements", status=503)
    assert fault["attributes"]["remaining"] == 1
    headers = {"Authorization": f"Bearer {npq_sandbox.token('ambition')}"}
    url = f"{npq_sandbox.base_url}/statements"
    assert [requests.get(url, headers=headers).status_code for _ in range(2)] == [503, 200]
    entries = npq_sandbox.journal(method="GET", path="/api/v3/statements")
    assert [entry["status"] for entry in entries] == [503, 200]
    assert npq_sandbox.journal(provider="best-practice") == []


def test_the_journal_starts_empty(npq_sandbox):
    assert npq_sandbox.journal() == []
"""
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_the_readme_example_runs(pytester: pytest.Pytester) -> None:
    """The README's example, with a ten-line client standing in for the provider's own."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("### The pytest plugin") :]
    example = section.split("```python\n", 1)[1].split("\n```", 1)[0]
    pytester.makepyfile(my_client=MY_CLIENT, test_example=example)
    pytester.runpytest().assert_outcomes(passed=1)


MY_CLIENT = """
import requests


class NpqClient:
    def __init__(self, base_url, token):
        self.base_url, self.headers = base_url, {"Authorization": f"Bearer {token}"}

    def accept(self, application_id, funded_place):
        body = {"data": {"attributes": {"funded_place": funded_place}}}
        url = f"{self.base_url}/npq-applications/{application_id}/accept"
        answer = requests.post(url, headers=self.headers, json=body)
        return answer.json()["data"]["attributes"]["status"]
"""


# A provider's own code playing the client of `pending-application-accepted`, in a provider's
# suite: load the scenario, do the steps, write what a client would report, judge.
SCENARIO_TEST = """
import requests


def test_my_client_accepts(npq_sandbox):
    loaded = npq_sandbox.load_scenario("pending-application-accepted")
    app_id = loaded.ids["app"][0]
    headers = {{"Authorization": f"Bearer {{npq_sandbox.token('ambition')}}"}}
    url = f"{{npq_sandbox.base_url}}/npq-applications"
    listed = requests.get(f"{{url}}?page[page]=1", headers=headers).json()["data"]
    assert requests.get(f"{{url}}?page[page]=2", headers=headers).json() == {{"data": []}}
    view = {{a["id"]: a["attributes"]["status"] for a in listed}}
    accept = {{"data": {{"attributes": {{"funded_place": True}}}}}}
    answer = requests.post(f"{{url}}/{{app_id}}/accept", json=accept, headers=headers)
    view[app_id] = answer.json()["data"]["attributes"]["status"]
    record = {{"id": app_id, "status": {reported!r}}}
    results = {{
        "results": [{{"id": "accept", "outcome": "done", "record": record}}],
        "view": {{"applications": view}},
    }}
    verdicts = npq_sandbox.judge(loaded, results)
    assert verdicts and all(v.passed for v in verdicts), [str(v) for v in verdicts]
"""


def test_a_provider_client_judged_by_the_kit_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SCENARIO_TEST.format(reported="accepted"))
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_a_provider_client_reporting_the_wrong_state_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SCENARIO_TEST.format(reported="pending"))
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*outcome-matches*"])


def test_load_scenario_returns_the_ids_it_made(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
def test_ids(npq_sandbox):
    loaded = npq_sandbox.load_scenario("pending-application-accepted")
    [app_id] = loaded.ids["app"]
    assert loaded.instructions[1]["application_id"] == app_id
    assert npq_sandbox.journal() == []
"""
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_a_project_with_its_own_sandbox_and_conformance_packages_can_use_the_plugin(
    pytester: pytest.Pytester,
) -> None:
    """The kit installs `npq_sandbox` and `npq_conformance`; a provider's names stay theirs."""
    for name in ("sandbox", "conformance"):
        package = pytester.mkpydir(name)
        (package / "__init__.py").write_text(f'OWNER = "the provider\'s {name}"\n')
        (package / "domain.py").write_text("RULES = 'the provider'\n")
    pytester.makepyfile(
        ACCEPT
        + """
import conformance
import sandbox
import sandbox.domain


def test_accept(npq_sandbox):
    assert sandbox.OWNER == "the provider's sandbox"
    assert conformance.OWNER == "the provider's conformance"
    assert accept(npq_sandbox).status_code == 200
"""
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)
