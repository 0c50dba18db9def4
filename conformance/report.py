"""Reports: readable text and a JSON document of a run, and JUnit XML for CI of any report.

`write_junit` is the one JUnit writer: `npq-conformance run` gives it one suite per scenario
(`run_suites`), `npq-conformance contract` one suite of operations (`contract.junit_suite`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    from npq_conformance.runner import Outcome


@dataclass(frozen=True)
class Case:
    """One JUnit testcase: its failures as (message, text) pairs, or a run-wide error."""

    classname: str
    name: str
    failures: tuple[tuple[str, str], ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class Suite:
    """One JUnit testsuite."""

    name: str
    cases: tuple[Case, ...]


def text(outcomes: list[Outcome]) -> str:
    """Scenario by scenario, each verdict PASS/FAIL with its reason, then a summary line."""
    lines = []
    for outcome in outcomes:
        mark = "passed" if outcome.passed else "FAILED"
        lines.append(f"{outcome.scenario.name}: {mark}")
        for verdict in outcome.verdicts:
            lines.append(
                f"  {'PASS' if verdict.passed else 'FAIL'} {verdict.name}: {verdict.reason}"
            )
    lines.append(summary(outcomes))
    return "\n".join(lines)


def summary(outcomes: list[Outcome]) -> str:
    """`3 scenarios: 2 passed, 1 failed (17 verdicts, 1 failed)`."""
    failed = sum(not o.passed for o in outcomes)
    verdicts = [v for o in outcomes for v in o.verdicts]
    bad = sum(not v.passed for v in verdicts)
    return (
        f"{len(outcomes)} scenarios: {len(outcomes) - failed} passed, {failed} failed "
        f"({len(verdicts)} verdicts, {bad} failed)"
    )


def as_json(outcomes: list[Outcome]) -> dict[str, Any]:
    """The machine-readable report written by `--report`."""
    return {
        "passed": all(o.passed for o in outcomes),
        "summary": summary(outcomes),
        "scenarios": [
            {
                "name": o.scenario.name,
                "summary": o.scenario.summary,
                "passed": o.passed,
                "verdicts": [
                    {"name": v.name, "passed": v.passed, "reason": v.reason} for v in o.verdicts
                ],
            }
            for o in outcomes
        ],
    }


def run_suites(outcomes: list[Outcome]) -> list[Suite]:
    """One suite per scenario, one case per verdict, a failure carrying the verdict's reason."""
    return [
        Suite(
            outcome.scenario.name,
            tuple(
                Case(outcome.scenario.name, v.name, () if v.passed else ((v.reason, v.reason),))
                for v in outcome.verdicts
            ),
        )
        for outcome in outcomes
    ]


def write_json(outcomes: list[Outcome], path: Path) -> None:
    """Write the JSON report of a run (`as_json`)."""
    path.write_text(json.dumps(as_json(outcomes), indent=2) + "\n", encoding="utf-8")


def write_junit(suites: list[Suite], path: Path, name: str) -> None:
    """Write a JUnit XML file: a testsuites element called `name` holding `suites`."""
    root = ET.Element("testsuites", name=name)
    for suite in suites:
        element = ET.SubElement(
            root,
            "testsuite",
            name=suite.name,
            tests=str(len(suite.cases)),
            failures=str(sum(bool(case.failures) for case in suite.cases)),
            errors=str(sum(case.error is not None for case in suite.cases)),
        )
        for case in suite.cases:
            _case(element, case)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _case(suite: ET.Element, case: Case) -> None:
    element = ET.SubElement(suite, "testcase", classname=case.classname, name=case.name)
    for message, text in case.failures:
        ET.SubElement(element, "failure", message=message).text = text
    if case.error is not None:
        ET.SubElement(element, "error", message=case.error)
