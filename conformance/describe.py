"""`npq-conformance scenarios show NAME`: a scenario as a reader needs it, run by run.

Placeholders (`${app.data.0.id}`) are shown as written: they name values the kit's setup
saves, and are replaced before the client sees its instructions.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from npq_conformance.scenarios import Run, Scenario, Step


def describe(scenario: Scenario) -> str:
    """The scenario's summary, each run's setup and instructions, then what must come out."""
    lines = [
        scenario.name,
        f"  {scenario.summary}",
        f"  Runs as {scenario.provider}; a refused request may be sent again at most "
        f"{scenario.retry_limit} times.",
    ]
    for number, run in enumerate(scenario.runs, start=1):
        lines += ["", *_run(number, run)]
    lines += ["", "Expected, per instruction id:", *_block(scenario.expect or "nothing")]
    lines += ["", "The sandbox must end with (the client's view must agree):"]
    lines += _block(scenario.truth or "nothing")
    return "\n".join(lines)


def _run(number: int, run: Run) -> list[str]:
    setup = [line for step in run.setup for line in _step(step)] or ["    nothing"]
    return [
        f"Run {number}",
        "  The kit's setup, in order:",
        *setup,
        f"  The client's instructions (NPQ_INSTRUCTIONS, NPQ_RUN={number}):",
        *_block(list(run.instructions), indent=4),
    ]


def _step(step: Step) -> list[str]:
    options = [
        f"as {step.token}" if step.token else "",
        f"{step.repeat} times" if step.repeat > 1 else "",
        f"must answer {step.status}" if step.status is not None else "",
        f"saved as {step.save}" if step.save else "",
    ]
    notes = ", ".join(option for option in options if option)
    lines = [f"    {step.method} {step.path}" + (f"  ({notes})" if notes else "")]
    if step.body is not None:
        lines.append(f"      {json.dumps(step.body, ensure_ascii=False)}")
    return lines


def _block(value: Any, indent: int = 2) -> list[str]:
    """A value as YAML, the catalogue's own notation, indented."""
    text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=1 << 16)
    return [" " * indent + line for line in text.removesuffix("...\n").rstrip().splitlines()]
