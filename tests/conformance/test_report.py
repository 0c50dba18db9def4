"""The three report formats: text, JSON and JUnit XML."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from npq_conformance import report
from npq_conformance.judging import Verdict
from npq_conformance.runner import Outcome

from tests.conformance.journals import scenario

GOOD = Outcome(scenario(), [Verdict("requests-valid", True, "all 2 requests match openapi.yaml")])
BAD = Outcome(
    scenario(),
    [
        Verdict(
            "outcome-matches",
            False,
            'application a: POST /x answered 422 "No" but the client reported done',
        ),
        Verdict("requests-valid", True, "all 1 requests match openapi.yaml"),
    ],
)


def test_text_lists_each_scenario_then_its_verdicts_then_a_summary() -> None:
    assert report.text([GOOD, BAD]).splitlines() == [
        "case: passed",
        "  PASS requests-valid: all 2 requests match openapi.yaml",
        "case: FAILED",
        '  FAIL outcome-matches: application a: POST /x answered 422 "No" but '
        "the client reported done",
        "  PASS requests-valid: all 1 requests match openapi.yaml",
        "2 scenarios: 1 passed, 1 failed (3 verdicts, 1 failed)",
    ]


def test_json_report(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    report.write_json([BAD], path)
    assert json.loads(path.read_text()) == {
        "passed": False,
        "summary": "1 scenarios: 0 passed, 1 failed (2 verdicts, 1 failed)",
        "scenarios": [
            {
                "name": "case",
                "summary": "A case.",
                "passed": False,
                "verdicts": [
                    {"name": "outcome-matches", "passed": False, "reason": BAD.verdicts[0].reason},
                    {"name": "requests-valid", "passed": True, "reason": BAD.verdicts[1].reason},
                ],
            }
        ],
    }


def test_junit_has_a_suite_per_scenario_and_a_case_per_verdict(tmp_path: Path) -> None:
    path = tmp_path / "j.xml"
    report.write_junit(report.run_suites([GOOD, BAD]), path, "npq-conformance")
    root = ET.parse(path).getroot()
    suites = root.findall("testsuite")
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [("1", "0"), ("2", "1")]
    cases = suites[1].findall("testcase")
    assert [c.get("name") for c in cases] == ["outcome-matches", "requests-valid"]
    failure = cases[0].find("failure")
    assert failure is not None and failure.get("message") == BAD.verdicts[0].reason
    assert cases[1].find("failure") is None
