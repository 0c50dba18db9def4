"""Reports: readable text and a JSON document of a run, and JUnit XML for CI of any report.

Every report shows the same evidence: each failure of each verdict in full (the console's
"and N more" is backed by the JSON report's `failures`), the requests and answers behind
them (`evidence`), and the last lines of a crashing client's stderr. `npq_conformance.html`
renders the same on one page, `npq_conformance.keep` keeps each run's files.

`write_junit` is the one JUnit writer: `npq-conformance run` gives it one suite per scenario
(`run_suites`), `npq-conformance contract` one suite of operations (`contract.junit_suite`).
A scenario's suite takes the scenario's whole time (setup, the client's runs, judging) and
its client's output; its verdicts are judged together, so each case gets an equal share.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

from npq_conformance.audit import NAME as AUDIT
from npq_conformance.process import tail

if TYPE_CHECKING:
    from npq_conformance.judging import Verdict
    from npq_conformance.runner import Outcome, RunRecord

Json = dict[str, Any]
# Where each scenario's runs were kept (`--keep`), by scenario name.
Kept = Mapping[str, Path]
# Characters XML 1.0 cannot hold, even escaped (a client's output may contain them).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Case:
    """One JUnit testcase: its failures as (message, text) pairs, or a run-wide error."""

    classname: str
    name: str
    failures: tuple[tuple[str, str], ...] = ()
    error: str | None = None
    seconds: float | None = None  # None when unknown: no time attribute
    output: str = ""  # the case's own system-out: a warning's findings


@dataclass(frozen=True)
class Suite:
    """One JUnit testsuite, with its time and output when known."""

    name: str
    cases: tuple[Case, ...]
    seconds: float | None = None
    stdout: str = ""
    stderr: str = ""


def failures_of(verdict: Verdict) -> tuple[str, ...]:
    """Every failure of a verdict in full: its `failures`, else its reason; none if it passed
    (a warning's findings are listed as failures are)."""
    if verdict.passed and not verdict.warning:
        return ()
    return verdict.failures or (verdict.reason,)


def crashed(outcome: Outcome) -> list[RunRecord]:
    """The runs of the client that left no usable results and said something on stderr."""
    return [run for run in outcome.runs if run.problem and run.stderr.strip()]


def request_line(entry: Json) -> str:
    """`METHOD /path?query`, the query decoded, for a journal entry."""
    raw = unquote(entry.get("query_string") or "")
    return f"{entry.get('method')} {entry.get('path')}{'?' + raw if raw else ''}"


def exchange_line(entry: Json) -> str:
    """`METHOD /path?query answered 422: {...}`: a request and its answer on one line."""
    answer = entry.get("response_body")
    shown = "" if answer is None else f": {json.dumps(answer, ensure_ascii=False)}"
    fault = (entry.get("fault") or {}).get("kind")
    return f"{request_line(entry)} answered {entry.get('status')}{shown}" + (
        f" (fault: {fault})" if fault else ""
    )


def text(outcomes: list[Outcome], kept: Kept | None = None) -> str:
    """Scenario by scenario, each verdict PASS/FAIL with its reason, then a summary line."""
    lines = []
    for outcome in outcomes:
        lines.append(f"{outcome.scenario.name}: {'passed' if outcome.passed else 'FAILED'}")
        for verdict in outcome.verdicts:
            lines.append(f"  {mark(verdict)} {verdict.name}: {verdict.reason}")
        lines += _tails(outcome)
        if kept and outcome.scenario.name in kept:
            lines.append(f"  kept in {kept[outcome.scenario.name]}")
    lines.append(summary(outcomes))
    return "\n".join(lines)


def _tails(outcome: Outcome) -> list[str]:
    lines = []
    for run in crashed(outcome):
        lines.append(f"  run {run.number}: the client's stderr ends:")
        lines += [f"    | {line}" for line in tail(run.stderr).splitlines()]
    return lines


def mark(verdict: Verdict) -> str:
    """`PASS`, `FAIL`, or `WARN` for a warning (it passed, with findings to heed)."""
    if not verdict.passed:
        return "FAIL"
    return "WARN" if verdict.warning else "PASS"


def summary(outcomes: list[Outcome]) -> str:
    """`3 scenarios: 2 passed, 1 failed (17 verdicts, 1 failed)`, `, 1 warning` when any; an
    audit's alone is `Audit passed (9 verdicts, 0 failed)`."""
    failed = sum(not o.passed for o in outcomes)
    verdicts = [v for o in outcomes for v in o.verdicts]
    bad = sum(not v.passed for v in verdicts)
    warned = sum(v.warning for v in verdicts)
    warnings = f", {counted(warned, 'warning')}" if warned else ""
    tally = f"({counted(len(verdicts), 'verdict')}, {bad} failed{warnings})"
    if [o.scenario.name for o in outcomes] == [AUDIT]:
        return f"Audit {'failed' if failed else 'passed'} {tally}"
    scenarios = counted(len(outcomes), "scenario")
    return f"{scenarios}: {len(outcomes) - failed} passed, {failed} failed {tally}"


def counted(number: int, noun: str) -> str:
    """`1 verdict`, `2 verdicts`: a number and its noun, plural unless one."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def as_json(outcomes: list[Outcome], kept: Kept | None = None) -> Json:
    """The machine-readable report written by `--report`: every failure, with its evidence."""
    return {
        "passed": all(o.passed for o in outcomes),
        "summary": summary(outcomes),
        "scenarios": [_scenario_json(o, (kept or {}).get(o.scenario.name)) for o in outcomes],
    }


def _scenario_json(outcome: Outcome, kept: Path | None) -> Json:
    return {
        "name": outcome.scenario.name,
        "summary": outcome.scenario.summary,
        "passed": outcome.passed,
        "seconds": round(outcome.seconds, 3),
        "kept": None if kept is None else str(kept),
        "verdicts": [_verdict_json(v) for v in outcome.verdicts],
        "runs": [_run_json(run) for run in outcome.runs],
    }


def _verdict_json(verdict: Verdict) -> Json:
    return {
        "name": verdict.name,
        "passed": verdict.passed,
        "warning": verdict.warning,
        "reason": verdict.reason,
        "failures": list(failures_of(verdict)),
        "evidence": list(verdict.evidence),
    }


def _run_json(run: RunRecord) -> Json:
    return {
        "number": run.number,
        "seconds": round(run.seconds, 3),
        "problem": run.problem,
        "stderr_tail": tail(run.stderr),
    }


def run_suites(outcomes: list[Outcome]) -> list[Suite]:
    """One suite per scenario, one case per verdict, a failure carrying the verdict's reason."""
    return [_suite(outcome) for outcome in outcomes]


def _suite(outcome: Outcome) -> Suite:
    name, share = outcome.scenario.name, outcome.seconds / max(len(outcome.verdicts), 1)
    cases = tuple(
        Case(name, v.name, _failures(outcome, v), seconds=share, output=_warned(v))
        for v in outcome.verdicts
    )
    stdout, stderr = _output(outcome, "stdout"), _output(outcome, "stderr")
    return Suite(name, cases, outcome.seconds, stdout, stderr)


def _failures(outcome: Outcome, verdict: Verdict) -> tuple[tuple[str, str], ...]:
    return () if verdict.passed else ((verdict.reason, _failure_text(outcome, verdict)),)


def _warned(verdict: Verdict) -> str:
    """A warning's findings, for its passing testcase's system-out (JUnit has no warnings)."""
    if not verdict.warning:
        return ""
    lines = "\n".join(failures_of(verdict))
    return f"WARNING {verdict.name}:\n{lines}\n\nRequests behind it:\n" + "\n".join(
        map(exchange_line, verdict.evidence)
    )


def _failure_text(outcome: Outcome, verdict: Verdict) -> str:
    """Every failure, the requests and answers behind them, and any crash's stderr."""
    parts = ["\n".join(failures_of(verdict))]
    if verdict.evidence:
        parts.append("Requests behind it:\n" + "\n".join(map(exchange_line, verdict.evidence)))
    parts += [
        f"Run {r.number}: the client's stderr ends:\n{tail(r.stderr)}" for r in crashed(outcome)
    ]
    return "\n\n".join(parts)


def _output(outcome: Outcome, stream: str) -> str:
    """The client's stdout or stderr over its runs, each run headed when there are several."""
    texts = [getattr(run, stream) for run in outcome.runs]
    if len(texts) < 2 or not any(texts):
        return "".join(texts)
    return "".join(f"--- run {n} ---\n{t}" for n, t in enumerate(texts, start=1))


def write_json(outcomes: list[Outcome], path: Path, kept: Kept | None = None) -> None:
    """Write the JSON report of a run (`as_json`)."""
    document = json.dumps(as_json(outcomes, kept), indent=2, ensure_ascii=False)
    path.write_text(document + "\n", encoding="utf-8")


def write_junit(suites: list[Suite], path: Path, name: str) -> None:
    """Write a JUnit XML file: a testsuites element called `name` holding `suites`."""
    root = ET.Element("testsuites", {"name": name, **_time(_total(suites))})
    for suite in suites:
        _suite_element(root, suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _suite_element(root: ET.Element, suite: Suite) -> None:
    counts = {
        "tests": len(suite.cases),
        "failures": sum(bool(case.failures) for case in suite.cases),
        "errors": sum(case.error is not None for case in suite.cases),
    }
    attributes = {"name": suite.name, **{k: str(n) for k, n in counts.items()}}
    element = ET.SubElement(root, "testsuite", {**attributes, **_time(suite.seconds)})
    for case in suite.cases:
        _case(element, case)
    _output_elements(element, suite)


def _total(suites: list[Suite]) -> float | None:
    times = [suite.seconds for suite in suites]
    return None if None in times else sum(t or 0.0 for t in times)


def _time(seconds: float | None) -> dict[str, str]:
    return {} if seconds is None else {"time": f"{seconds:.3f}"}


def _case(suite: ET.Element, case: Case) -> None:
    attributes = {"classname": case.classname, "name": case.name, **_time(case.seconds)}
    element = ET.SubElement(suite, "testcase", attributes)
    for message, body in case.failures:
        ET.SubElement(element, "failure", message=_xml(message)).text = _xml(body)
    if case.error is not None:
        ET.SubElement(element, "error", message=_xml(case.error))
    if case.output:
        ET.SubElement(element, "system-out").text = _xml(case.output)


def _output_elements(element: ET.Element, suite: Suite) -> None:
    for tag, output in (("system-out", suite.stdout), ("system-err", suite.stderr)):
        if output:
            ET.SubElement(element, tag).text = _xml(output)


def _xml(value: str) -> str:
    """The text with what XML cannot hold (control characters a client printed) replaced."""
    return NOT_XML.sub("\ufffd", value)
