"""The three report formats: text, JSON and JUnit XML, each with the evidence behind a failure."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from npq_conformance import report
from npq_conformance.judging import Verdict
from npq_conformance.runner import Outcome, RunRecord

from tests.conformance.journals import scenario

REFUSAL = {
    "time": "2026-11-30T12:00:00.000000Z",
    "method": "POST",
    "path": "/api/v3/npq-applications/a/accept",
    "query": {},
    "query_string": "",
    "request_body": {"data": {"attributes": {"funded_place": True}}},
    "status": 422,
    "response_body": {"errors": [{"title": "status", "detail": "No"}]},
    "fault": None,
}
SYNC = {
    **REFUSAL,
    "method": "GET",
    "path": "/api/v3/npq-applications",
    "query_string": "filter%5Bupdated_since%5D=2026-11-30T12%3A00%3A00%2B00%3A00",
    "request_body": None,
    "status": 200,
    "response_body": {"data": []},
}
FIRST = 'application a: POST /x answered 422 "No" but the client reported done'
SECOND = 'application b: POST /y answered 422 "No" but the client reported done'


def run_record(number: int = 1, **changes: Any) -> RunRecord:
    values: dict[str, Any] = {
        "number": number,
        "instructions": [{"id": "accept", "action": "accept_application"}],
        "results": {"results": []},
        "problem": None,
        "stdout": f"out {number}\n",
        "stderr": "",
        "journal": [REFUSAL],
        "seconds": 0.5,
    }
    return RunRecord(**{**values, **changes})


GOOD = Outcome(
    scenario(),
    [Verdict("requests-valid", True, "all 2 requests match openapi.yaml")],
    (run_record(),),
    1.0,
)
BAD = Outcome(
    scenario(),
    [
        Verdict("outcome-matches", False, f"{FIRST} (and 1 more)", (FIRST, SECOND), (REFUSAL,)),
        Verdict("requests-valid", True, "all 1 requests match openapi.yaml"),
    ],
    (run_record(1), run_record(2, stdout="", stderr="warning\n")),
    3.0,
)
STDERR = "".join(f"line {n}\n" for n in range(1, 26))
CRASHED = Outcome(
    scenario(),
    [Verdict("outcome-matches", False, "the client wrote no results file (exit status 1)")],
    (run_record(results=None, problem="the client wrote no results file", stderr=STDERR),),
    2.0,
)


def test_text_lists_each_scenario_then_its_verdicts_then_a_summary() -> None:
    assert report.text([GOOD, BAD]).splitlines() == [
        "case: passed",
        "  PASS requests-valid: all 2 requests match openapi.yaml",
        "case: FAILED",
        f"  FAIL outcome-matches: {FIRST} (and 1 more)",
        "  PASS requests-valid: all 1 requests match openapi.yaml",
        "2 scenarios: 1 passed, 1 failed (3 verdicts, 1 failed)",
    ]


def test_one_of_each_reads_in_the_singular() -> None:
    one = Outcome(scenario(), [Verdict("requests-valid", False, "no")], (run_record(),), 1.0)
    assert report.summary([one]) == "1 scenario: 0 passed, 1 failed (1 verdict, 1 failed)"


def test_an_audit_is_summed_up_as_one_audit_not_one_scenario() -> None:
    warned = Verdict("guidance-x", True, "heed this", warning=True)
    audited = Outcome(replace(scenario(), name="audit"), [*GOOD.verdicts, warned], (), 1.0)
    assert report.summary([audited]) == "Audit passed (2 verdicts, 0 failed, 1 warning)"
    failed = replace(audited, verdicts=BAD.verdicts)
    assert report.text([failed]).splitlines()[-1] == "Audit failed (2 verdicts, 1 failed)"


def test_text_points_at_what_was_kept() -> None:
    lines = report.text([GOOD], {"case": Path("kept/case")}).splitlines()
    assert lines[2] == f"  kept in {Path('kept/case')}"


def test_text_shows_the_last_20_lines_of_a_crashed_clients_stderr() -> None:
    lines = report.text([CRASHED]).splitlines()
    start = lines.index("  run 1: the client's stderr ends:")
    assert lines[start + 1 : -1] == [f"    | line {n}" for n in range(6, 26)]


def test_json_report_lists_every_failure_with_its_evidence(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    report.write_json([BAD], path, {"case": Path("kept/case")})
    assert json.loads(path.read_text()) == {
        "passed": False,
        "summary": "1 scenario: 0 passed, 1 failed (2 verdicts, 1 failed)",
        "scenarios": [
            {
                "name": "case",
                "summary": "A case.",
                "passed": False,
                "seconds": 3.0,
                "kept": str(Path("kept/case")),
                "verdicts": [
                    {
                        "name": "outcome-matches",
                        "passed": False,
                        "warning": False,
                        "reason": BAD.verdicts[0].reason,
                        "failures": [FIRST, SECOND],
                        "evidence": [REFUSAL],
                    },
                    {
                        "name": "requests-valid",
                        "passed": True,
                        "warning": False,
                        "reason": BAD.verdicts[1].reason,
                        "failures": [],
                        "evidence": [],
                    },
                ],
                "runs": [
                    {"number": 1, "seconds": 0.5, "problem": None, "stderr_tail": ""},
                    {"number": 2, "seconds": 0.5, "problem": None, "stderr_tail": "warning"},
                ],
            }
        ],
    }


def test_json_report_gives_a_failed_verdict_without_a_list_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    report.write_json([CRASHED], path)
    written = json.loads(path.read_text())["scenarios"][0]
    assert written["verdicts"][0]["failures"] == [CRASHED.verdicts[0].reason]
    assert written["kept"] is None
    assert written["runs"][0]["stderr_tail"].splitlines() == [f"line {n}" for n in range(6, 26)]


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


def test_junit_times_are_the_scenarios_shared_among_its_verdicts(tmp_path: Path) -> None:
    path = tmp_path / "j.xml"
    report.write_junit(report.run_suites([GOOD, BAD]), path, "npq-conformance")
    root = ET.parse(path).getroot()
    assert root.get("time") == "4.000"
    suites = root.findall("testsuite")
    assert [s.get("time") for s in suites] == ["1.000", "3.000"]
    assert [c.get("time") for c in suites[1].findall("testcase")] == ["1.500", "1.500"]


def test_junit_failure_text_holds_every_failure_and_the_requests_behind_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "j.xml"
    report.write_junit(report.run_suites([BAD]), path, "npq-conformance")
    failure = ET.parse(path).getroot().find("testsuite/testcase/failure")
    assert failure is not None and failure.text is not None
    assert failure.text.splitlines()[:2] == [FIRST, SECOND]
    assert (
        'POST /api/v3/npq-applications/a/accept answered 422: {"errors": [{"title": "status", '
        '"detail": "No"}]}'
    ) in failure.text


def test_junit_suite_carries_the_clients_output_run_by_run(tmp_path: Path) -> None:
    path = tmp_path / "j.xml"
    report.write_junit(report.run_suites([GOOD, BAD]), path, "npq-conformance")
    good, bad = ET.parse(path).getroot().findall("testsuite")
    assert good.findtext("system-out") == "out 1\n" and good.find("system-err") is None
    assert bad.findtext("system-out") == "--- run 1 ---\nout 1\n--- run 2 ---\n"
    assert bad.findtext("system-err") == "--- run 1 ---\n--- run 2 ---\nwarning\n"


def test_junit_failure_of_a_crashed_client_ends_with_its_stderr_tail(tmp_path: Path) -> None:
    path = tmp_path / "j.xml"
    report.write_junit(report.run_suites([CRASHED]), path, "npq-conformance")
    failure = ET.parse(path).getroot().find("testsuite/testcase/failure")
    assert failure is not None and failure.text is not None
    assert failure.text.splitlines()[-21:] == [
        "Run 1: the client's stderr ends:",
        *(f"line {n}" for n in range(6, 26)),
    ]


def test_junit_replaces_what_xml_cannot_hold(tmp_path: Path) -> None:
    noisy = Outcome(scenario(), GOOD.verdicts, (run_record(stdout="bell \x07 here"),), 1.0)
    path = tmp_path / "j.xml"
    report.write_junit(report.run_suites([noisy]), path, "npq-conformance")
    assert ET.parse(path).getroot().findtext("testsuite/system-out") == "bell \ufffd here"


def test_junit_of_a_suite_without_a_time_has_no_time_attribute(tmp_path: Path) -> None:
    path = tmp_path / "j.xml"
    suite = report.Suite("contract", (report.Case("contract", "GET /x"),))
    report.write_junit([suite], path, "npq-conformance")
    root = ET.parse(path).getroot()
    assert [e.get("time") for e in root.iter()] == [None, None, None]


def test_a_request_line_decodes_its_query() -> None:
    assert report.request_line(SYNC) == (
        "GET /api/v3/npq-applications?filter[updated_since]=2026-11-30T12:00:00+00:00"
    )
