"""Run scenarios: arrange the sandbox, run the provider's client, gather what it did, judge.

`run_scenario` does it all. Its parts are public for the pytest plugin, which runs a
provider's own code instead of a command: `Http(root, token)`, then `arrange(http,
scenario.runs[0], saved)`, the provider's code, then `judge(resolve(scenario, saved),
read_journal(http), results, read_truth(http))`.

The client command is split as a shell would split it (`shlex.split`) but run without a
shell, so quoting works and nothing else does: wrap it in `sh -c '...'` for pipes or
redirections. A command that cannot be started raises `ClientCannotStart` (so does a shell's
exit status 127, "command not found").
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from conformance.journal import LISTS
from conformance.scenarios import Run, Scenario, ScenarioError, substitute
from conformance.verdicts import Verdict, judge
from sandbox.domain.reference import LEAD_PROVIDERS

__all__ = [
    "ClientCannotStart",
    "Http",
    "Outcome",
    "Target",
    "arrange",
    "read_journal",
    "read_truth",
    "resolve",
    "run_scenario",
    "starting_values",
]

PER_PAGE = 3000  # the API's maximum: the kit's own reads take as few pages as possible
NOT_FOUND = 127
Json = dict[str, Any]


class ClientCannotStart(Exception):
    """The client command does not exist or cannot be executed."""


@dataclass(frozen=True)
class Target:
    """The sandbox to use: its root URL, and whether the kit started it (reset-all is safe)."""

    root: str
    owned: bool


@dataclass(frozen=True)
class Outcome:
    """One scenario's verdicts."""

    scenario: Scenario
    verdicts: list[Verdict]

    @property
    def passed(self) -> bool:
        return all(v.passed for v in self.verdicts)


def run_scenario(scenario: Scenario, command: str, target: Target, timeout: float) -> Outcome:
    """Reset, then for each run: arrange, clear the journal, run the client; then judge."""
    api = Http(target.root, scenario.provider)
    saved = starting_values(scenario)
    journal: list[Json] = []
    results: Json = {}
    problem = None
    with tempfile.TemporaryDirectory(prefix="npq-scenario-") as tmp:
        try:
            api.call("POST", "/sandbox/reset-all" if target.owned else "/sandbox/reset")
            for index, run in enumerate(scenario.runs):
                arrange(api, run, saved)
                api.call("DELETE", "/sandbox/journal")  # the kit's own requests are not judged
                instructions = substitute(list(run.instructions), saved)
                client = Client(command, target, scenario, Path(tmp) / f"run-{index}", timeout)
                found, problem = client.run(instructions)
                journal += [{**e, "run": index} for e in read_journal(api)]
                results = _merge(results, found)
                if problem:
                    break
            truth = read_truth(api)
            resolved = resolve(scenario, saved)
        except ScenarioError as error:
            return Outcome(scenario, [Verdict("setup", False, str(error))])
    verdicts = judge(resolved, journal, results, truth)
    if problem:
        verdicts = [Verdict(v.name, False, problem) for v in verdicts]
    return Outcome(scenario, verdicts)


def starting_values(scenario: Scenario) -> dict[str, Any]:
    """Values every scenario may use before its setup saves any: `${rival.name}` and
    `${rival.token}` name a lead provider other than the one the scenario runs as."""
    rival = next(p for p in LEAD_PROVIDERS if p.token != scenario.provider)
    return {"rival": {"name": rival.name, "token": rival.token, "id": rival.id}}


def arrange(api: Http, run: Run, saved: dict[str, Any]) -> None:
    """Make a run's setup requests, saving answers in `saved` for `${...}` substitutions.

    Raises ScenarioError when a step gets an answer it does not allow.
    """
    for step in (s for s in run.setup for _ in range(s.repeat)):
        path = substitute(step.path, saved)
        token = substitute(step.token, saved) if step.token else None
        status, answer = api.call(step.method, path, substitute(step.body, saved), token=token)
        wanted = step.status if step.status is not None else "2xx"
        if status != step.status and not (step.status is None and 200 <= status < 300):
            raise ScenarioError(
                f"setup: {step.method} {path} answered {status}, not {wanted}: {answer}"
            )
        if step.save:
            saved[step.save] = answer


def resolve(scenario: Scenario, saved: dict[str, Any]) -> Scenario:
    """The scenario with every `${...}` replaced, as the judge needs it."""
    runs = tuple(
        replace(r, instructions=tuple(substitute(list(r.instructions), saved)))
        for r in scenario.runs
    )
    return replace(
        scenario,
        runs=runs,
        expect=substitute(scenario.expect, saved),
        truth=substitute(scenario.truth, saved),
    )


def _merge(earlier: Json, later: Json | None) -> Json:
    """Results of all runs; the view of the last one."""
    if not later:
        return earlier
    reported = [*(earlier.get("results") or []), *(later.get("results") or [])]
    return {"results": reported, "view": later.get("view", earlier.get("view"))}


def read_journal(api: Http) -> list[Json]:
    """Every journal entry of the caller's provider, oldest first (for `judge`)."""
    return api.read_all("/sandbox/journal")


def read_truth(api: Http) -> Json:
    """The caller's records, by resource and id, as the API serves them now (for `judge`)."""
    return {
        resource: {r["id"]: r["attributes"] for r in api.read_all(path.removeprefix("/"))}
        for resource, path in LISTS.items()
    }


class Client:
    """One run of the provider's client, with the protocol's files and environment."""

    def __init__(
        self, command: str, target: Target, scenario: Scenario, folder: Path, timeout: float
    ) -> None:
        self.argv = shlex.split(command)
        self.target, self.scenario, self.folder, self.timeout = target, scenario, folder, timeout
        folder.mkdir(parents=True)

    def run(self, instructions: list[Json]) -> tuple[Json | None, str | None]:
        """Run it; return the results file's content, or None and why it is missing."""
        given, results = self.folder / "instructions.json", self.folder / "results.json"
        given.write_text(
            json.dumps({"scenario": self.scenario.name, "instructions": instructions}, indent=2)
        )
        env = {
            **os.environ,
            "NPQ_API_BASE_URL": f"{self.target.root}/api/v3",
            "NPQ_API_TOKEN": self.scenario.provider,
            "NPQ_SCENARIO": self.scenario.name,
            "NPQ_INSTRUCTIONS": str(given),
            "NPQ_RESULTS": str(results),
        }
        status = self._execute(env)
        if status is None:
            return None, f"timed out after {self.timeout:g} s"
        return _read_results(results, status, self._last_words())

    def _execute(self, env: dict[str, str]) -> int | None:
        try:
            with open(self.folder / "output.txt", "wb") as output:
                process = subprocess.Popen(
                    self.argv,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        except (FileNotFoundError, PermissionError, IndexError) as error:
            raise ClientCannotStart(f"cannot start the client {self.argv!r}: {error}") from None
        try:
            status = process.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the client and anything it started
            process.wait()
            return None
        if status == NOT_FOUND:
            raise ClientCannotStart(f"the client {self.argv!r} exited 127: {self._last_words()}")
        return status

    def _last_words(self) -> str:
        lines = (self.folder / "output.txt").read_text(errors="replace").strip().splitlines()
        return lines[-1] if lines else "no output"


def _read_results(path: Path, status: int, last_words: str) -> tuple[Json | None, str | None]:
    if not path.exists():
        return (
            None,
            f"the client wrote no results file (exit status {status}; last output: {last_words})",
        )
    try:
        found = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        return None, f"the results file is not valid JSON ({error})"
    if not isinstance(found, dict) or not isinstance(found.get("results"), list):
        return None, 'the results file has no "results" list'
    return found, None


class Http:
    """The kit's own requests to the sandbox (stdlib only), as one provider."""

    def __init__(self, root: str, token: str) -> None:
        self.root, self.token = root.rstrip("/"), token

    def call(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        """Send one request; a 5xx, a refused connection or a 404 of the control plane raise."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.root}/{path.lstrip('/')}", data=data, method=method
        )
        request.add_header("Authorization", f"Bearer {token or self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            if error.code >= 500:
                raise ScenarioError(f"{method} {path} answered {error.code}") from None
            return error.code, _json(error.read())
        except (urllib.error.URLError, OSError) as error:
            raise ScenarioError(f"{method} {path}: {error}") from None

    def read_all(self, path: str) -> list[Json]:
        """Every record of a list, page by page until an empty page."""
        records: list[Json] = []
        page = 1
        while True:
            separator = "&" if "?" in path else "?"
            status, answer = self.call(
                "GET", f"{path}{separator}page[page]={page}&page[per_page]={PER_PAGE}"
            )
            if status != 200:
                raise ScenarioError(f"GET {path} answered {status}: {answer}")
            if not answer["data"]:
                return records
            records += answer["data"]
            page += 1


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")
