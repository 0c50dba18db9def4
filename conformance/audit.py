"""`npq-conformance audit`: judge a provider's traffic from the sandbox's journal alone.

No adapter and no instructions: `audit` reads what the provider's token sent (`GET
/sandbox/journal`, every page, from `since` when given), the faults that answered it (for
their `Retry-After`), the provider's clock and its records now, and runs the traffic verdicts
(`npq_conformance.traffic.TRAFFIC`) and the guidance findings (`npq_conformance.guidance`). A
guidance finding is a warning that passes, unless `strict` makes it a failure.

The result is an `Outcome` like a scenario's (named `audit`), so every report of `run` (text,
JSON, HTML, JUnit) renders it; `npq-conformance watch` adds the run of the provider's command.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from npq_conformance import journal as j
from npq_conformance.client import SandboxClient, shown
from npq_conformance.guidance import GUIDANCE
from npq_conformance.judging import Verdict, conclude
from npq_conformance.runner import Outcome, RunRecord, read_truth
from npq_conformance.scenarios import Run, Scenario, ScenarioError
from npq_conformance.traffic import TRAFFIC, Audited
from npq_sandbox import find_provider

Json = dict[str, Any]
NAME = "audit"


@dataclass(frozen=True)
class Traffic:
    """What the audit reads from the sandbox about one provider's token."""

    journal: list[Json]
    truth: Json
    waits: dict[str, float]  # each fault's Retry-After, by fault id
    offset_seconds: float  # the provider's clock now, ahead of real time


def read_traffic(api: SandboxClient, since: str | None = None) -> Traffic:
    """Read the journal (from `since`), the faults, the clock and the records of `api`'s
    provider. Raises ScenarioError when the sandbox refuses a read."""
    journal = api.read_all("/sandbox/journal", {"filter[since]": since} if since else None)
    faults = _data(api, "/sandbox/faults")
    waits = {
        str(f["id"]): float(f["attributes"].get("retry_after") or 1)
        for f in faults
        if isinstance(f, dict) and isinstance(f.get("attributes"), dict)
    }
    clock = _data(api, "/sandbox/clock")
    offset = float((clock.get("attributes") or {}).get("offset_seconds") or 0)
    return Traffic(journal, read_truth(api), waits, offset)


def _data(api: SandboxClient, path: str) -> Any:
    status, answer = api.call("GET", path)
    if status != 200 or not isinstance(answer, dict):
        raise ScenarioError(f"GET {path} answered {status}: {shown(answer)}")
    return answer.get("data")


def judge_traffic(traffic: Traffic, *, strict: bool = False) -> list[Verdict]:
    """The traffic verdicts that apply, then the guidance findings (warnings unless `strict`).

    Traffic with no request at all fails one `traffic` verdict saying so.
    """
    if not traffic.journal:
        why = "none was sent, or the sandbox serves with --no-journal"
        return [
            Verdict(
                "traffic", False, f"the journal holds no request of this token to judge ({why})"
            )
        ]
    audited = Audited(
        j.entries(traffic.journal), traffic.truth, traffic.waits, traffic.offset_seconds
    )
    found = [conclude(audited, n, *f) for n, rule in TRAFFIC.items() if (f := rule(audited))]
    advised = [conclude(audited, n, *f) for n, rule in GUIDANCE.items() if (f := rule(audited))]
    return found + [_advice(v, strict) for v in advised]


def _advice(verdict: Verdict, strict: bool) -> Verdict:
    """A guidance finding: a failure when strict, else a warning that passes."""
    if verdict.passed or strict:
        return verdict
    return replace(verdict, passed=True, warning=True)


def audit(
    root: str,
    token: str,
    *,
    since: str | None = None,
    strict: bool = False,
    runs: tuple[RunRecord, ...] = (),
) -> Outcome:
    """Audit the traffic of `token` at the sandbox `root`; `runs` are the commands behind it."""
    started = time.perf_counter()
    traffic = read_traffic(SandboxClient(root, token), since)
    verdicts = judge_traffic(traffic, strict=strict)
    scenario = Scenario(NAME, _summary(token, since, len(traffic.journal)), (Run((), ()),), token)
    return Outcome(scenario, verdicts, runs, time.perf_counter() - started)


def _summary(token: str, since: str | None, requests: int) -> str:
    try:
        who = find_provider(token).name
    except LookupError:
        who = "the token's provider"
    since_text = f" since {since}" if since else ""
    return f"The {requests} requests {who} sent{since_text}, judged from the journal alone."
