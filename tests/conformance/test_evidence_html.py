"""`run --html FILE`: one self-contained page with each scenario, its verdicts and evidence."""

from __future__ import annotations

import shlex
import sys
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from npq_conformance import html
from npq_conformance.cli import main
from npq_conformance.judging import Verdict
from npq_conformance.runner import Outcome

from tests.conformance.journals import scenario
from tests.conformance.test_report import BAD, CRASHED, GOOD, REFUSAL, SYNC

EXAMPLES = Path(__file__).parents[2] / "examples" / "clients"
# Attributes through which a page would fetch or lead to something outside itself.
REFERENCES = {"href", "src", "srcset", "action", "formaction", "data", "poster", "background"}


class Page(HTMLParser):
    """What a browser would see: the tags, their attributes and the text, unescaped."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.chunks: list[str] = []
        self.feed(document)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def external(self) -> list[str]:
        """Every reference that leaves the page (links within it start with #)."""
        found = [v or "" for k, v in self.attributes if k in REFERENCES]
        styles = [c for c in self.chunks if "url(" in c or "@import" in c]
        return [v for v in found if not v.startswith("#")] + styles


def test_the_page_shows_each_scenario_and_verdict_with_every_failure() -> None:
    page = Page(html.page([GOOD, BAD]))
    assert page.tags[:1] == ["html"] and "script" not in page.tags
    assert "2 scenarios: 1 passed, 1 failed" in page.text
    assert "requests-valid" in page.text and "outcome-matches" in page.text
    assert all(failure in page.text for failure in BAD.verdicts[0].failures)


def test_a_failure_shows_the_request_and_the_answer_behind_it_pretty_printed() -> None:
    page = Page(html.page([BAD]))
    assert "POST /api/v3/npq-applications/a/accept \u2192 422" in page.text
    assert '"funded_place": true' in page.text
    assert '"detail": "No"' in page.text
    assert '{\n  "errors": [\n' in page.text  # indented, not on one line


def test_queries_are_decoded_and_everything_is_escaped() -> None:
    hostile = {**SYNC, "response_body": '<script>alert("x")</script>', "status": 500}
    bad = Outcome(scenario(), [Verdict("<b>rule</b>", False, "<i>why</i>", (), (hostile,))])
    page = Page(html.page([bad]))
    assert "script" not in page.tags and "b" not in page.tags and "i" not in page.tags
    assert '<script>alert("x")</script>' in page.text and "<i>why</i>" in page.text
    assert "?filter[updated_since]=2026-11-30T12:00:00+00:00 \u2192 500" in page.text


def test_a_crashed_client_shows_the_end_of_its_stderr() -> None:
    page = Page(html.page([CRASHED]))
    assert "the client wrote no results file" in page.text
    assert "line 6\n" in page.text and "line 25" in page.text and "line 5\n" not in page.text


def test_the_page_refers_to_nothing_outside_itself() -> None:
    page = Page(html.page([GOOD, BAD, CRASHED], {"case": Path("kept/case")}))
    assert page.external() == []
    assert any(k == "href" and v == "#scenario-case" for k, v in page.attributes)
    assert str(REFUSAL["path"]) in page.text


def test_run_writes_the_page_for_a_reference_client(tmp_path: Path) -> None:
    written = tmp_path / "report.html"
    command = shlex.join([sys.executable, str(EXAMPLES / "naive.py")])
    scenarios = ["--scenario", "pending-application-accepted", "--scenario", "rejected-application"]
    result = CliRunner().invoke(
        main, ["run", "--client", command, *scenarios, "--html", str(written)]
    )
    assert result.exit_code == 1, result.output
    page = Page(written.read_text(encoding="utf-8"))
    assert page.external() == []
    assert "pending-application-accepted" in page.text and "rejected-application" in page.text
    assert "outcome-matches" in page.text and "error-surfaced" in page.text
    assert page.text.count("FAIL") >= 4
