"""`run --html FILE`: the run on one self-contained page, to read or attach to a CI job.

The page needs nothing else: its style is inline, it has no script and links only within
itself. Each scenario shows its verdicts; each failure shows every reason in full, the
requests and answers behind it (method, path with its query decoded, status, both bodies
pretty-printed), and a crashing client's last lines of stderr. Everything shown is escaped.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npq_conformance.process import tail
from npq_conformance.report import Kept, crashed, failures_of, mark, request_line, summary

if TYPE_CHECKING:
    from npq_conformance.judging import Verdict
    from npq_conformance.runner import Outcome

Json = dict[str, Any]
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em;
  color: #1b1b1b; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
.passed > h2 .mark, .pass > .mark { color: #176b2c; }
.failed > h2 .mark, .fail > .mark { color: #b3261e; }
.warn > .mark { color: #8a5a00; }
ul.verdicts { list-style: none; padding-left: 0; }
ul.verdicts > li { margin: 0.6em 0; padding: 0.4em 0.8em; border-left: 4px solid #176b2c; }
ul.verdicts > li.fail { border-left-color: #b3261e; background: #fdf3f2; }
ul.verdicts > li.warn { border-left-color: #b07800; background: #fdf8ec; }
.mark { font-weight: bold; } .meta, .summary { color: #555; }
pre { background: #f4f4f4; padding: 0.6em; overflow-x: auto; white-space: pre-wrap; }
details { margin: 0.4em 0; } summary { cursor: pointer; font-family: monospace; }
.bodies { display: grid; grid-template-columns: 1fr 1fr; gap: 0.8em; }
"""


def write(outcomes: list[Outcome], path: Path, kept: Kept | None = None) -> None:
    """Write the HTML report of a run (`page`)."""
    path.write_text(page(outcomes, kept), encoding="utf-8")


def page(outcomes: list[Outcome], kept: Kept | None = None) -> str:
    """The whole report as one HTML document."""
    contents = "".join(
        f'<li><a href="#{_anchor(o)}">{_e(o.scenario.name)}</a> {_mark(o.passed)}</li>'
        for o in outcomes
    )
    sections = "".join(_scenario(o, (kept or {}).get(o.scenario.name)) for o in outcomes)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>npq-conformance: {_e(summary(outcomes))}</title>\n<style>{STYLE}</style>\n"
        f'</head>\n<body>\n<h1>npq-conformance</h1>\n<p class="summary">{_e(summary(outcomes))}'
        f"</p>\n<ul>{contents}</ul>\n{sections}</body>\n</html>\n"
    )


def _scenario(outcome: Outcome, kept: Path | None) -> str:
    runs = f"{len(outcome.runs)} run{'s' if len(outcome.runs) != 1 else ''} of the client"
    where = f"; kept in {kept}" if kept else ""
    verdicts = "".join(_verdict(v) for v in outcome.verdicts)
    return (
        f'<section id="{_anchor(outcome)}" class="{"passed" if outcome.passed else "failed"}">\n'
        f"<h2>{_e(outcome.scenario.name)} {_mark(outcome.passed)}</h2>\n"
        f"<p>{_e(outcome.scenario.summary)}</p>\n"
        f'<p class="meta">{outcome.seconds:.1f} s, {runs}{_e(where)}</p>\n'
        f'<ul class="verdicts">{verdicts}</ul>\n{_crashes(outcome)}</section>\n'
    )


def _verdict(verdict: Verdict) -> str:
    head = (
        f'<span class="mark">{mark(verdict)}</span> <strong>{_e(verdict.name)}</strong>: '
        f"{_e(verdict.reason)}"
    )
    if verdict.passed and not verdict.warning:
        return f'<li class="pass">{head}</li>'
    full = failures_of(verdict)
    items = "".join(f"<li>{_e(failure)}</li>" for failure in full if full != (verdict.reason,))
    failures = f'<ol class="failures">{items}</ol>' if items else ""
    exchanges = "".join(_exchange(entry) for entry in verdict.evidence)
    behind = f"<p>The requests and answers behind it:</p>{exchanges}" if exchanges else ""
    kind = "warn" if verdict.warning else "fail"
    return f'<li class="{kind}">{head}{failures}{behind}</li>'


def _exchange(entry: Json) -> str:
    """One request and its answer, open, both bodies pretty-printed."""
    fault = (entry.get("fault") or {}).get("kind")
    note = f" (fault: {fault})" if fault else ""
    line = f"{request_line(entry)} \u2192 {entry.get('status')}{note}"
    return (
        f'<details open class="exchange"><summary>{_e(line)}</summary><div class="bodies">'
        f"<div><h4>Request</h4>{_pre(entry.get('request_body'))}</div>"
        f"<div><h4>Answer {_e(str(entry.get('status')))}</h4>{_pre(entry.get('response_body'))}"
        f'</div></div><p class="meta">at {_e(str(entry.get("time", "")))}</p></details>'
    )


def _crashes(outcome: Outcome) -> str:
    return "".join(
        f"<h3>Run {run.number}: {_e(run.problem or '')}</h3>"
        f"<p>The client's stderr ends:</p><pre>{_e(tail(run.stderr))}</pre>"
        for run in crashed(outcome)
    )


def _pre(body: Any) -> str:
    """A body pretty-printed: JSON indented (text that parses as JSON too), else as is."""
    if body is None:
        return '<p class="meta">no body</p>'
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return f"<pre>{_e(body)}</pre>"
    return f"<pre>{_e(json.dumps(body, indent=2, ensure_ascii=False))}</pre>"


def _mark(passed: bool) -> str:
    return f'<span class="mark">{"PASS" if passed else "FAIL"}</span>'


def _anchor(outcome: Outcome) -> str:
    return _e(f"scenario-{outcome.scenario.name}")


def _e(text: str) -> str:
    return escape(text, quote=True)
