"""Verdicts on a client's run: judged from the journal, its results file and the final truth.

`judge(scenario, journal, results, truth)` returns one `Verdict` per rule that applies to the
scenario (a rule with nothing to judge, e.g. `honours-retry-after` without a 429, is left out).
Each rule is registered once, under its verdict's stable name, by `@verdict(name)`; its
docstring says what it checks.

`journal` is the entries of `GET /sandbox/journal` (see `conformance.journal`), `results` the
parsed results file, `truth` maps `applications`/`participants`/`declarations` to the caller's
records' attributes by id, as the API serves them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from npq_conformance import journal as j
from npq_conformance import spec
from npq_conformance.scenarios import Scenario

STATE = {"applications": "status", "participants": "training_status", "declarations": "state"}
NOUN = {"applications": "application", "participants": "participant", "declarations": "declaration"}
LIVE = {"submitted", "eligible", "payable", "paid"}
TOLERANCE = 0.001  # seconds: journal times are microseconds, sleeps are never shorter
Json = dict[str, Any]
# What a rule found: the reasons it fails (none when it passes), and the reason it passes.
Findings = tuple[list[str], str]
Rule = Callable[["Judged"], Findings | None]
# Every verdict's rule, by the verdict's stable name, in the order reports list them.
VERDICTS: dict[str, Rule] = {}


def verdict(name: str) -> Callable[[Rule], Rule]:
    """Register a rule as the verdict `name`; `judge` runs the rules in the order registered.

    A rule returns its `Findings`, or None when the scenario gives it nothing to judge.
    """

    def register(rule: Rule) -> Rule:
        VERDICTS[name] = rule
        return rule

    return register


@dataclass(frozen=True)
class Verdict:
    """One rule's judgement: its stable name, pass/fail, and a one-line reason.

    `failures` holds every failure in full (`reason` may shorten them to the first and a
    count); `evidence` holds the journal entries (requests and their answers) behind them.
    """

    name: str
    passed: bool
    reason: str
    failures: tuple[str, ...] = ()
    evidence: tuple[Json, ...] = ()


def judge(
    scenario: Scenario, journal: list[Json], results: Json | None, truth: Json
) -> list[Verdict]:
    """Every verdict that applies to this scenario, in the order of `VERDICTS`."""
    judged = Judged(scenario, j.entries(journal), results or {}, truth)
    found = ((name, rule(judged)) for name, rule in VERDICTS.items())
    return [_verdict(name, *findings) for name, findings in found if findings is not None]


class Judged:
    """What the rules look at, with the lookups they share."""

    def __init__(self, scenario: Scenario, items: list[Json], results: Json, truth: Json) -> None:
        self.scenario, self.items, self.truth = scenario, items, truth
        reported = results.get("results") if isinstance(results, dict) else None
        self.results = {str(r.get("id")): r for r in reported or [] if isinstance(r, dict)}
        view = results.get("view") if isinstance(results, dict) else None
        self.view: Json = view if isinstance(view, dict) else {}
        self.requests = j.attribute(scenario.instructions, items)

    def state(self, resource: str, id_: str) -> str | None:
        """The state the sandbox holds for one record (None if it has no such record)."""
        record = self.truth.get(resource, {}).get(id_)
        if record is None:
            return None
        if resource != "participants":
            return record.get(STATE[resource])
        return _training_status(record, self._course_of(id_))

    def _course_of(self, participant_id: str) -> str | None:
        for instruction in self.scenario.instructions:
            if instruction.get("participant_id") == participant_id:
                return instruction.get("course_identifier")
        return None


def _training_status(record: Json, course: str | None) -> str | None:
    enrolments = record.get("npq_enrolments") or []
    chosen = [e for e in enrolments if e.get("course_identifier") == course] or enrolments
    return chosen[0].get("training_status") if chosen else None


# ------------------------------------------------------------------ the rules


def _verdict(name: str, failures: list[str], passed_reason: str) -> Verdict:
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        return Verdict(name, False, failures[0] + more)
    return Verdict(name, True, passed_reason)


def _subject(instruction: Json) -> str:
    for key, noun in (("declaration_id", "declaration"), ("application_id", "application")):
        if key in instruction:
            return f"{noun} {instruction[key]}"
    if instruction.get("action") == "submit_declaration":
        return f"declaration for participant {instruction.get('participant_id')}"
    if "participant_id" in instruction:
        return f"participant {instruction['participant_id']}"
    return f"step {instruction.get('id')}"


def _step_story(judged: Judged, instruction: Json) -> str:
    """`declaration X: POST /api/... answered 422 "..."`: the step's last request and answer."""
    sent = judged.requests.get(str(instruction["id"]), [])
    if not sent:
        return f"{_subject(instruction)} (step {instruction['id']}): no request was sent"
    return f"{_subject(instruction)}: {j.request(sent[-1])} {j.answer(sent[-1])}"


@verdict("outcome-matches")
def outcome_matches(judged: Judged) -> Findings | None:
    """Each expected step reports the outcome (and record) the scenario expects, and the
    sandbox ends holding the scenario's truth."""
    if not judged.scenario.expect and not judged.scenario.truth:
        return None
    failures = []
    for instruction in judged.scenario.instructions:
        expected = judged.scenario.expect.get(str(instruction["id"]))
        if expected is not None:
            failures += _step_failures(judged, instruction, expected)
    failures += _truth_failures(judged)
    return failures, "every step ended as the API decided"


def _step_failures(judged: Judged, instruction: Json, expected: Json) -> list[str]:
    result = judged.results.get(str(instruction["id"]))
    if result is None:
        return [f"{_step_story(judged, instruction)} but the client reported no result"]
    outcome = result.get("outcome")
    if outcome != expected.get("outcome", "done"):
        return [f"{_step_story(judged, instruction)} but the client reported {outcome}"]
    given = result.get("record")
    record: Json = given if isinstance(given, dict) else {}
    failures = [
        f"{_step_story(judged, instruction)} but the client reported {key} {record.get(key)!r}, "
        f"not {value!r}"
        for key, value in (expected.get("record") or {}).items()
        if record.get(key) != value
    ]
    if expected.get("unique"):
        failures += _unique_failures(judged, instruction, record)
    return failures


def _unique_failures(judged: Judged, instruction: Json, record: Json) -> list[str]:
    keys = ("participant_id", "course_identifier", "declaration_type")
    live = [
        id_
        for id_, attributes in judged.truth.get("declarations", {}).items()
        if all(attributes.get(k) == instruction.get(k) for k in keys)
        and attributes.get("state") in LIVE
    ]
    story = _step_story(judged, instruction)
    if len(live) != 1:
        return [f"{story}; the sandbox holds {len(live)} live declarations for it, not 1"]
    if record.get("id") != live[0]:
        return [f"{story} but the client reported id {record.get('id')!r}, not {live[0]}"]
    return []


def _truth_failures(judged: Judged) -> list[str]:
    return [
        f"{NOUN[resource]} {id_}: the sandbox holds {judged.state(resource, id_)!r}, "
        f"the scenario expects {expected!r}"
        for resource, records in judged.scenario.truth.items()
        for id_, expected in records.items()
        if judged.state(resource, id_) != expected
    ]


@verdict("error-surfaced")
def error_surfaced(judged: Judged) -> Findings | None:
    """A step reported refused carries the API's own `detail` text."""
    checked, failures = 0, []
    for instruction in judged.scenario.instructions:
        result = judged.results.get(str(instruction["id"]))
        sent = judged.requests.get(str(instruction["id"]), [])
        if (
            not result
            or result.get("outcome") != "refused"
            or not sent
            or not j.is_refusal(sent[-1])
        ):
            continue
        checked += 1
        said = j.details(sent[-1])
        if result.get("error") not in (*said, "\n".join(said)):
            failures.append(
                f"{_step_story(judged, instruction)} but the client reported the error "
                f"{result.get('error')!r}"
            )
    if not checked:
        return None
    return failures, "every refusal carried the API's own text"


@verdict("no-retry-storm")
def no_retry_storm(judged: Judged) -> Findings | None:
    """No request refused with a 4xx was repeated more than `retry_limit` times."""
    refused = [e for e in judged.items if j.is_refusal(e)]
    if not refused:
        return None
    limit, failures, seen = judged.scenario.retry_limit, [], set()
    for index, entry in enumerate(judged.items):
        key = j.identity(entry)
        if not j.is_refusal(entry) or key in seen:
            continue
        seen.add(key)
        repeats = sum(1 for later in judged.items[index + 1 :] if j.identity(later) == key)
        if repeats > limit:
            failures.append(
                f"{j.request(entry)} {j.answer(entry)} and was sent {repeats} more times "
                f"(at most {limit})"
            )
    return failures, f"no refused request was repeated more than {limit} times"


@verdict("honours-retry-after")
def honours_retry_after(judged: Judged) -> Findings | None:
    """After a 429 the next request came no sooner than `Retry-After`."""
    throttled = [i for i, e in enumerate(judged.items) if int(e["status"]) == 429]
    if not throttled:
        return None
    wait, failures = _retry_after(judged.scenario), []
    for index in throttled:
        entry = judged.items[index]
        following = [e for e in judged.items[index + 1 :] if e["run"] == entry["run"]]
        if not following:
            continue
        gap = (j.moment(following[0]) - j.moment(entry)).total_seconds()
        if gap + TOLERANCE < wait:
            failures.append(
                f"{j.request(entry)} answered 429 with Retry-After: {wait} but the next "
                f"request ({j.request(following[0])}) came {gap:.3f} s later"
            )
    return failures, f"waited at least {wait} s after each 429"


def _retry_after(scenario: Scenario) -> float:
    """The Retry-After the scenario's 429 faults send (the sandbox's default is 1 s)."""
    waits = [
        float(((step.body or {}).get("data") or {}).get("attributes", {}).get("retry_after", 1))
        for run in scenario.runs
        for step in run.setup
        if step.path.rstrip("/") == "/sandbox/faults"
        and ((step.body or {}).get("data") or {}).get("attributes", {}).get("status") == 429
    ]
    return max(waits, default=1.0)


@verdict("reads-every-page")
def reads_every_page(judged: Judged) -> Findings | None:
    """Every list read went on until an empty page (DfE sends no page count)."""
    reads = j.list_reads(judged.items)
    if not reads:
        return None
    failures = [
        f"{read.describe()} stopped before an empty page" for read in reads if not read.finished
    ]
    return failures, f"all {len(reads)} list reads went on to an empty page"


@verdict("incremental-sync")
def incremental_sync(judged: Judged) -> Findings | None:
    """From the second sync of a resource in a run, the read asks `filter[updated_since]`."""
    wanted = _sync_counts(judged.scenario)
    if not any(n > 1 for n in wanted.values()):
        return None
    reads = [r for r in j.list_reads(judged.items) if r.is_sync]
    failures = []
    for (run, resource), count in sorted(wanted.items()):
        path = j.LISTS[resource]
        mine = [r for r in reads if r.run == run and r.path == path]
        if count > 1 and len(mine) < 2:
            failures.append(
                f"{resource} were synced {count} times but GET {path} was read {len(mine)} times"
            )
        failures += [
            f"{r.describe()}: a later sync of {resource} without filter[updated_since]"
            for r in mine[1:]
            if "filter[updated_since]" not in r.filters
        ]
    return failures, "later syncs asked only for changes"


def _sync_counts(scenario: Scenario) -> Counter[tuple[int, str]]:
    counts: Counter[tuple[int, str]] = Counter()
    for run_index, run in enumerate(scenario.runs):
        for instruction in run.instructions:
            if instruction.get("action") == "sync":
                for resource in instruction.get("resources") or j.LISTS:
                    counts[(run_index, resource)] += 1
    return counts


@verdict("view-matches-truth")
def view_matches_truth(judged: Judged) -> Findings | None:
    """Every record in the client's view has the state the sandbox holds."""
    failures = []
    synced = _synced_last(judged.scenario)
    for resource in STATE:
        given = judged.view.get(resource)
        held: Json = given if isinstance(given, dict) else {}
        named = set(judged.scenario.truth.get(resource, {}))
        if resource in synced:  # a synced list is known whole, every page of it
            named |= set(judged.truth.get(resource, {}))
        for id_ in sorted(named | set(held)):
            actual = judged.state(resource, id_)
            if id_ not in held:
                failures.append(
                    f"{NOUN[resource]} {id_}: missing from the client's view "
                    f"(the sandbox holds {actual!r})"
                )
            elif held[id_] != actual:
                failures.append(
                    f"{NOUN[resource]} {id_}: the client's view says {held[id_]!r}, "
                    f"the sandbox holds {actual!r}"
                )
    return failures, "the client's view agrees with the sandbox"


def _synced_last(scenario: Scenario) -> set[str]:
    """The resources the last run of the client synced (its view reflects that run)."""
    return {
        resource
        for instruction in scenario.runs[-1].instructions
        if instruction.get("action") == "sync"
        for resource in instruction.get("resources") or j.LISTS
    }


@verdict("requests-valid")
def requests_valid(judged: Judged) -> Findings | None:
    """Every request matches an operation of openapi.yaml."""
    if not judged.items:
        return None
    failures = []
    for entry in judged.items:
        found = spec.problems(
            entry["method"], entry["path"], j.query(entry), entry.get("request_body")
        )
        if found:
            failures.append(f"{j.request(entry)}: {'; '.join(found)}")
    return failures, f"all {len(judged.items)} requests match openapi.yaml"
