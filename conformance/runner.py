"""Run scenarios: arrange the sandbox, run the provider's client, gather what it did, judge.

`run_scenario` does it all, from two parts the pytest plugin also uses to judge a provider's
own code instead of a command: `prepare` (arrange a run of the scenario, clear the journal,
return the client's instructions) and `verdicts` (read the journal and the sandbox's truth,
judge). Between them the client, or the provider's code, does the instructions.

Each run of the client (`npq_conformance.process`) is kept in the outcome as a `RunRecord`:
its instructions, results, output and journal, for reports to show why a verdict failed.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from npq_conformance.client import SandboxClient, shown
from npq_conformance.journal import LISTS
from npq_conformance.judging import Verdict, judge
from npq_conformance.process import ClientRun
from npq_conformance.scenarios import Run, Scenario, ScenarioError, found_at, substitute
from npq_sandbox import ADMIN_TOKEN, LEAD_PROVIDERS

Json = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """The sandbox to use: its root URL, and whether the kit started it (reset-all is safe)."""

    root: str
    owned: bool


@dataclass(frozen=True)
class RunRecord:
    """One run of the client within a scenario: what it was asked, did, said and sent."""

    number: int  # 1, 2, ... as NPQ_RUN gives it
    instructions: list[Json]
    results: Json | None  # the results file as the client wrote it; None when it wrote none
    problem: str | None  # why there are no usable results (timed out, no file, not JSON)
    stdout: str
    stderr: str
    journal: list[Json]  # the journal entries of this run's requests
    seconds: float


@dataclass(frozen=True)
class Outcome:
    """One scenario's verdicts, with the runs of the client behind them and their duration."""

    scenario: Scenario
    verdicts: list[Verdict]
    runs: tuple[RunRecord, ...] = ()
    seconds: float = 0.0

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
    """Reset, then for each run: prepare it and run the client; then judge the runs made.

    A run whose setup fails ends the scenario: the runs before it are judged all the same,
    and one `setup` verdict says what the setup missed.
    """
    started = time.perf_counter()
    api = SandboxClient(target.root, scenario.provider)
    saved = starting_values(scenario)
    runs: list[RunRecord] = []
    stopped: list[Verdict] = []
    with tempfile.TemporaryDirectory(prefix="npq-scenario-") as tmp:
        try:
            _reset(api, target)
            for index in range(len(scenario.runs)):
                prepared = prepare(api, scenario, index, saved)
                runs.append(_run_client(api, prepared, command, Path(tmp), timeout, index + 1))
                if runs[-1].problem:
                    break
        except ScenarioError as error:
            stopped = [Verdict("setup", False, _unprepared(error, len(runs) + 1))]
    judged = _judge(api, scenario, saved, runs) + stopped
    return Outcome(scenario, judged, tuple(runs), time.perf_counter() - started)


def _reset(api: SandboxClient, target: Target) -> None:
    """Reset every provider of a sandbox the kit started (as its administrator), else one."""
    path, token = ("/reset-all", ADMIN_TOKEN) if target.owned else ("/reset", None)
    api.call("POST", f"/sandbox{path}", token=token)


def _unprepared(error: ScenarioError, number: int) -> str:
    """Why run `number` could not be set up; after run 1, what the runs before did not leave."""
    if number == 1:
        return str(error)
    return f"run {number} could not be set up after run {number - 1} of the client: {error}"


def _judge(
    api: SandboxClient, scenario: Scenario, saved: dict[str, Any], runs: list[RunRecord]
) -> list[Verdict]:
    """The verdicts on the runs made; a client's problem (no results) fails every one."""
    if not runs:
        return []
    try:
        journal = [e for r in runs for e in r.journal]
        found = judge(
            resolve(_cut(scenario, len(runs)), saved), journal, _merged(runs), read_truth(api)
        )
    except ScenarioError as error:
        return [Verdict("setup", False, str(error))]
    problem = runs[-1].problem
    return [Verdict(v.name, False, problem) for v in found] if problem else found


def _cut(scenario: Scenario, count: int) -> Scenario:
    """The scenario's first `count` runs, with what they expect: its end state is not judged
    when its later runs were never made."""
    if count == len(scenario.runs):
        return scenario
    runs = scenario.runs[:count]
    ids = {str(i["id"]) for run in runs for i in run.instructions}
    expect = {id_: wanted for id_, wanted in scenario.expect.items() if id_ in ids}
    return replace(scenario, runs=runs, expect=expect, truth={})


def _run_client(
    api: SandboxClient, prepared: Prepared, command: str, tmp: Path, timeout: float, number: int
) -> RunRecord:
    """Run the client once on a prepared run; read the journal of what it sent."""
    client = ClientRun(command, tmp / f"run-{number}", timeout, number=number)
    report = client.run(
        prepared.instructions,
        scenario=prepared.scenario.name,
        base_url=api.base_url,
        token=prepared.scenario.provider,
    )
    journal = [{**e, "run": number - 1} for e in read_journal(api)]
    return RunRecord(
        number=number,
        instructions=prepared.instructions,
        results=report.results,
        problem=report.problem,
        stdout=report.stdout,
        stderr=report.stderr,
        journal=journal,
        seconds=report.seconds,
    )


def prepare(
    api: SandboxClient, scenario: Scenario, index: int = 0, saved: dict[str, Any] | None = None
) -> Prepared:
    """Arrange run `index` of a scenario, then clear the journal: only the client is judged.

    A later run starts with the provider's clock back at real time. `saved` carries the values
    earlier runs saved (a fresh scenario starts from `starting_values`). Raises ScenarioError
    when a setup step gets an answer it does not allow.
    """
    saved = starting_values(scenario) if saved is None else saved
    run = scenario.runs[index]
    if index:
        # The client has looked by now, and may take its next `filter[updated_since]` from its
        # own clock: from here on (DfE's moves between runs, the client's own writes) every
        # change is stamped at real time, never behind what it saw (see `scenarios`).
        api.call("DELETE", "/sandbox/clock")
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
                f"{step.method} {path} answered {status}, not {wanted}: {shown(answer)}"
            )
        _check_holds(f"{step.method} {path}", answer, substitute(step.holds, saved))
        if step.save:
            saved[step.save] = answer


def _check_holds(request: str, answer: Any, holds: dict[str, Any]) -> None:
    """Raise ScenarioError unless the answer holds each value a step's `holds` names."""
    for path, wanted in holds.items():
        found = found_at(answer, path)
        if wanted not in found:
            shown_found = ", ".join(json.dumps(v) for v in found) or "nothing"
            raise ScenarioError(
                f"{request} answered {shown_found} at {path}, not {json.dumps(wanted)}: "
                f"{shown(answer)}"
            )


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


def _merged(runs: list[RunRecord]) -> Json:
    """The results of all runs, and the view of the last run that reported one."""
    merged: Json = {}
    for found in (r.results for r in runs if r.results):
        reported = [*(merged.get("results") or []), *(found.get("results") or [])]
        merged = {"results": reported, "view": found.get("view", merged.get("view"))}
    return merged


def read_journal(api: SandboxClient) -> list[Json]:
    """Every journal entry of the caller's provider, oldest first (for `judge`)."""
    return api.read_all("/sandbox/journal")


def read_truth(api: SandboxClient) -> Json:
    """The caller's records, by resource and id, as the API serves them now (for `judge`)."""
    return {
        resource: {r["id"]: r["attributes"] for r in api.read_all(path.removeprefix("/"))}
        for resource, path in LISTS.items()
    }
