"""Run scenarios: arrange the sandbox, run the provider's client, gather what it did, judge.

`run_scenario` does it all, from two parts the pytest plugin also uses to judge a provider's
own code instead of a command: `prepare` (arrange a run of the scenario, clear the journal,
return the client's instructions) and `verdicts` (read the journal and the sandbox's truth,
judge). Between them the client, or the provider's code, does the instructions.

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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from npq_conformance.client import SandboxClient
from npq_conformance.journal import LISTS
from npq_conformance.judging import Verdict, judge
from npq_conformance.scenarios import Run, Scenario, ScenarioError, substitute
from npq_sandbox import LEAD_PROVIDERS

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
        """Whether every verdict passed."""
        return all(v.passed for v in self.verdicts)


@dataclass(frozen=True)
class Prepared:
    """A scenario whose setup ran: the values it saved, and the client's steps.

    `saved` holds each answer the setup saved (shared by the scenario's runs); `instructions`
    are the steps a client is asked to carry out, with the ids filled in, exactly as
    `npq-conformance run` writes them; `ids` maps each saved name to the id of the record it
    made (a list of ids when the answer held several).
    """

    scenario: Scenario
    saved: dict[str, Any] = field(repr=False)
    instructions: list[Json]

    @property
    def ids(self) -> dict[str, Any]:
        """The id (or ids) of the records each saved answer holds, by saved name."""
        return {key: _ids(answer) for key, answer in self.saved.items()}


def run_scenario(scenario: Scenario, command: str, target: Target, timeout: float) -> Outcome:
    """Reset, then for each run: prepare it and run the client; then judge."""
    api = SandboxClient(target.root, scenario.provider)
    saved = starting_values(scenario)
    journal: list[Json] = []
    results: Json = {}
    problem = None
    with tempfile.TemporaryDirectory(prefix="npq-scenario-") as tmp:
        try:
            api.call("POST", "/sandbox/reset-all" if target.owned else "/sandbox/reset")
            for index in range(len(scenario.runs)):
                prepared = prepare(api, scenario, index, saved)
                client = ClientRun(command, target, scenario, Path(tmp) / f"run-{index}", timeout)
                found, problem = client.run(prepared.instructions)
                journal += [{**e, "run": index} for e in read_journal(api)]
                results = _merge(results, found)
                if problem:
                    break
            judged = verdicts(api, prepared, results, journal)
        except ScenarioError as error:
            return Outcome(scenario, [Verdict("setup", False, str(error))])
    if problem:
        judged = [Verdict(v.name, False, problem) for v in judged]
    return Outcome(scenario, judged)


def prepare(
    api: SandboxClient, scenario: Scenario, index: int = 0, saved: dict[str, Any] | None = None
) -> Prepared:
    """Arrange run `index` of a scenario, then clear the journal: only the client is judged.

    `saved` carries the values earlier runs saved (a fresh scenario starts from
    `starting_values`). Raises ScenarioError when a setup step gets an answer it does not allow.
    """
    saved = starting_values(scenario) if saved is None else saved
    run = scenario.runs[index]
    arrange(api, run, saved)
    api.call("DELETE", "/sandbox/journal")  # the kit's own requests are not judged
    return Prepared(scenario, saved, substitute(list(run.instructions), saved))


def verdicts(
    api: SandboxClient, prepared: Prepared, results: Json | None, journal: list[Json] | None = None
) -> list[Verdict]:
    """Judge what happened since `prepare`: the journal (read now unless given), what the
    client reported (`results`, shaped as its results file) and the sandbox's final state."""
    journal = read_journal(api) if journal is None else journal
    truth = read_truth(api)
    return judge(resolve(prepared.scenario, prepared.saved), journal, results, truth)


def starting_values(scenario: Scenario) -> dict[str, Any]:
    """Values every scenario may use before its setup saves any: `${rival.name}` and
    `${rival.token}` name a lead provider other than the one the scenario runs as."""
    rival = next(p for p in LEAD_PROVIDERS if p.token != scenario.provider)
    return {"rival": {"name": rival.name, "token": rival.token, "id": rival.id}}


def arrange(api: SandboxClient, run: Run, saved: dict[str, Any]) -> None:
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


def _ids(answer: Any) -> Any:
    data = answer.get("data") if isinstance(answer, dict) else None
    if isinstance(data, list):
        return [item.get("id") for item in data if isinstance(item, dict)]
    return data.get("id") if isinstance(data, dict) else None


def _merge(earlier: Json, later: Json | None) -> Json:
    """Results of all runs; the view of the last one."""
    if not later:
        return earlier
    reported = [*(earlier.get("results") or []), *(later.get("results") or [])]
    return {"results": reported, "view": later.get("view", earlier.get("view"))}


def read_journal(api: SandboxClient) -> list[Json]:
    """Every journal entry of the caller's provider, oldest first (for `judge`)."""
    return api.read_all("/sandbox/journal")


def read_truth(api: SandboxClient) -> Json:
    """The caller's records, by resource and id, as the API serves them now (for `judge`)."""
    return {
        resource: {r["id"]: r["attributes"] for r in api.read_all(path.removeprefix("/"))}
        for resource, path in LISTS.items()
    }


class ClientRun:
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
