"""`npq-conformance audit`: judge a provider's traffic from the sandbox's journal alone.

No adapter and no instructions: `audit` reads what the provider's token sent (`GET
/sandbox/journal`, every page, from `since` when given), the faults that answered it (for
their `Retry-After`), the provider's clock and its records now, and runs the traffic verdicts
(`npq_conformance.traffic.TRAFFIC`) and the guidance findings (`npq_conformance.guidance`). A
guidance finding is a warning that passes, unless `strict` makes it a failure.

The result is an `Outcome` like a scenario's (named `audit`), so every report of `run` (text,
JSON, HTML, JUnit) renders it; `npq-conformance watch` adds the run of the provider's command.

A journal of 100,000 requests takes some seconds to read and to judge: both walk their items
through a `Progress` the caller gives (the command line's shows a bar on stderr), `quietly`
by default.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from npq_conformance import journal as j
from npq_conformance.client import SandboxClient, shown
from npq_conformance.guidance import GUIDANCE
from npq_conformance.judging import Verdict, conclude
from npq_conformance.runner import Outcome, RunRecord, read_truth
from npq_conformance.scenarios import Run, Scenario, ScenarioError
from npq_conformance.traffic import TRAFFIC, Audited, AuditRule
from npq_sandbox import find_provider

Json = dict[str, Any]
NAME = "audit"
T = TypeVar("T")


class Progress(Protocol):
    """Walks `items` under `label`, showing each with `show` (None: nothing to show)."""

    def __call__(
        self, label: str, items: Iterable[T], show: Callable[[T | None], str | None]
    ) -> AbstractContextManager[Iterable[T]]: ...


@contextmanager
def quietly(
    label: str, items: Iterable[T], show: Callable[[T | None], str | None]
) -> Iterator[Iterable[T]]:
    """Progress that shows nothing."""
    yield items


@dataclass(frozen=True)
class Traffic:
    """What the audit reads from the sandbox about one provider's token."""

    journal: list[Json]
    truth: Json
    waits: dict[str, float]  # each fault's Retry-After, by fault id
    offset_seconds: float  # the provider's clock now, ahead of real time


def read_traffic(
    api: SandboxClient, since: str | None = None, progress: Progress = quietly
) -> Traffic:
    """Read the journal (from `since`), the faults, the clock and the records of `api`'s
    provider. Raises ScenarioError when the sandbox refuses a read."""
    journal: list[Json] = []
    pages = api.pages("/sandbox/journal", {"filter[since]": since} if since else None)
    with progress("Reading the journal", pages, lambda _: f"{len(journal)} requests") as read:
        for page in read:
            journal += page
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


def judge_traffic(
    traffic: Traffic, *, strict: bool = False, progress: Progress = quietly
) -> list[Verdict]:
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
    rules = [(n, rule, False) for n, rule in TRAFFIC.items()]
    rules += [(n, rule, True) for n, rule in GUIDANCE.items()]
    with progress("Judging the traffic", rules, _rule_name) as judging:
        found = [(n, f, advice) for n, rule, advice in judging if (f := rule(audited))]
        verdicts = [(conclude(audited, n, *f), advice) for n, f, advice in found]
    return [_advice(v, strict) if advice else v for v, advice in verdicts]


def _rule_name(rule: tuple[str, AuditRule, bool] | None) -> str | None:
    return rule[0] if rule else None


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
    progress: Progress = quietly,
) -> Outcome:
    """Audit the traffic of `token` at the sandbox `root`; `runs` are the commands behind it."""
    started = time.perf_counter()
    traffic = read_traffic(SandboxClient(root, token), since, progress)
    verdicts = judge_traffic(traffic, strict=strict, progress=progress)
    scenario = Scenario(NAME, _summary(token, since, len(traffic.journal)), (Run((), ()),), token)
    return Outcome(scenario, verdicts, runs, time.perf_counter() - started)


def _summary(token: str, since: str | None, requests: int) -> str:
    try:
        who = find_provider(token).name
    except LookupError:
        who = "the token's provider"
    since_text = f" since {since}" if since else ""
    return f"The {requests} requests {who} sent{since_text}, judged from the journal alone."
