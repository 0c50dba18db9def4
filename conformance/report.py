"""Reports of a run: readable text, a JSON document, and JUnit XML for CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from conformance.runner import Outcome


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


def junit(outcomes: list[Outcome]) -> ET.ElementTree:
    """One testsuite per scenario, one testcase per verdict, failures carrying the reason."""
    root = ET.Element("testsuites", name="npq-conformance")
    for outcome in outcomes:
        failures = sum(not v.passed for v in outcome.verdicts)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=outcome.scenario.name,
            tests=str(len(outcome.verdicts)),
            failures=str(failures),
            errors="0",
        )
        for verdict in outcome.verdicts:
            case = ET.SubElement(
                suite, "testcase", classname=outcome.scenario.name, name=verdict.name
            )
            if not verdict.passed:
                ET.SubElement(case, "failure", message=verdict.reason).text = verdict.reason
    return ET.ElementTree(root)


def write_json(outcomes: list[Outcome], path: Path) -> None:
    path.write_text(json.dumps(as_json(outcomes), indent=2) + "\n", encoding="utf-8")


def write_junit(outcomes: list[Outcome], path: Path) -> None:
    junit(outcomes).write(path, encoding="utf-8", xml_declaration=True)
