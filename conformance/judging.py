"""Verdicts on a client's run: judged from the journal, its results file and the final truth.

`judge(scenario, journal, results, truth)` returns one `Verdict` per rule that applies to the
scenario (a rule with nothing to judge, e.g. `honours-retry-after` without a 429, is left out).
Each rule is registered once, under its verdict's stable name, by `@verdict(name)`; its
docstring says what it checks. A rule returns every `Failure` it finds, each in full with the
journal entries that show it; messages render values as JSON and name the step they are about.

`journal` is the entries of `GET /sandbox/journal` (see `npq_conformance.journal`), `results`
the parsed results file, `truth` maps `applications`/`participants`/`declarations` to the
caller's records' attributes by id, as the API serves them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from npq_conformance import journal as j
from npq_conformance import spec
from npq_conformance.evidence import STATE, Failure, Judged, held, reported
from npq_conformance.scenarios import Scenario

NOUN = {"applications": "application", "participants": "participant", "declarations": "declaration"}
LIVE = {"submitted", "eligible", "payable", "paid"}
TOLERANCE = 0.001  # seconds: journal times are microseconds, sleeps are never shorter
Json = dict[str, Any]


# What a rule found: its failures (none when it passes), and the reason it passes.
Findings = tuple[list[Failure], str]
Rule = Callable[[Judged], Findings | None]
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
    A `warning` passed with findings that do not fail it (the audit's guidance findings).
    """

    name: str
    passed: bool
    reason: str
    failures: tuple[str, ...] = ()
    evidence: tuple[Json, ...] = ()
    warning: bool = False  # passed, but with findings to heed (DfE's guidance, not its API)


def judge(
    scenario: Scenario, journal: list[Json], results: Json | None, truth: Json
) -> list[Verdict]:
    """Every verdict that applies to this scenario, in the order of `VERDICTS`."""
    judged = Judged(scenario, j.entries(journal), results or {}, truth)
    found = ((name, rule(judged)) for name, rule in VERDICTS.items())
    return [conclude(judged, name, *f) for name, f in found if f is not None]


def conclude(judged: Judged, name: str, failures: list[Failure], passed_reason: str) -> Verdict:
    """The verdict a rule's findings make: every failure's text, and the entries behind them
    in journal order."""
    if not failures:
        return Verdict(name, True, passed_reason)
    texts = tuple(f.text for f in failures)
    more = f" (and {len(texts) - 1} more)" if len(texts) > 1 else ""
    behind = {id(e) for f in failures for e in f.evidence}
    evidence = tuple(e for e in judged.items if id(e) in behind)
    return Verdict(name, False, texts[0] + more, texts, evidence)


# ------------------------------------------------------------------ the steps


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


def _step_failures(judged: Judged, instruction: Json, expected: Json) -> list[Failure]:
    result, story = judged.results.get(str(instruction["id"])), judged.step(instruction)
    if result is None:
        return [story.but(" but the client reported no result")]
    wanted = expected.get("outcome", "done")
    if result.get("outcome") != wanted:
        said = reported(result, "outcome")
        return [story.but(f" but the client reported {said}, not {j.shown(wanted)}")]
    given = result.get("record")
    record: Json = given if isinstance(given, dict) else {}
    failures = [
        story.but(f" but the client reported {reported(record, key)}, not {j.shown(value)}")
        for key, value in (expected.get("record") or {}).items()
        if record.get(key) != value
    ]
    if expected.get("unique"):
        failures += _unique_failures(judged, instruction, record, story)
    return failures


def _unique_failures(
    judged: Judged, instruction: Json, record: Json, story: Failure
) -> list[Failure]:
    keys = ("participant_id", "course_identifier", "declaration_type")
    live = [
        id_
        for id_, attributes in judged.truth.get("declarations", {}).items()
        if all(attributes.get(k) == instruction.get(k) for k in keys)
        and attributes.get("state") in LIVE
    ]
    if len(live) != 1:
        return [story.but(f"; the sandbox holds {len(live)} live declarations for it, not 1")]
    if record.get("id") != live[0]:
        said = reported(record, "id")
        return [story.but(f" but the client reported {said}, not {j.shown(live[0])}")]
    return []


def _truth_failures(judged: Judged) -> list[Failure]:
    return [
        Failure(
            f"{NOUN[resource]} {id_}: {held(judged.state(resource, id_), NOUN[resource])}, "
            f"the scenario expects {j.shown(expected)}",
            judged.shown(id_),
        )
        for resource, records in judged.scenario.truth.items()
        for id_, expected in records.items()
        if judged.state(resource, id_) != expected
    ]


@verdict("error-surfaced")
def error_surfaced(judged: Judged) -> Findings | None:
    """A step reported refused carries every `errors[].detail` of the refusal verbatim: in
    one text, in any order and with any separator, or as a list of texts."""
    checked, failures = 0, []
    for instruction in judged.scenario.instructions:
        result = judged.results.get(str(instruction["id"]))
        sent = judged.requests.get(str(instruction["id"]), [])
        if not result or result.get("outcome") != "refused" or not sent:
            continue
        if j.is_refusal(sent[-1]):
            checked += 1
            failures += _unsurfaced(judged.step(instruction), result, j.details(sent[-1]))
    if not checked:
        return None
    return failures, "every refusal carried the API's own text"


def _unsurfaced(story: Failure, result: Json, details: list[str]) -> list[Failure]:
    error = result.get("error")
    if error is None:
        return [story.but(" but the client reported no error")]
    texts = error if isinstance(error, list) else [error]
    if not all(isinstance(t, str) for t in texts):
        return [
            story.but(f" but the client reported the error {j.shown(error)}, which is not text")
        ]
    missing = [d for d in details if not any(d in t for t in texts)]
    if not missing:
        return []
    lacking = ", ".join(j.shown(d) for d in missing)
    return [
        story.but(f" but the client reported the error {j.shown(error)}, which lacks {lacking}")
    ]


# ------------------------------------------------------------------ the traffic


@verdict("no-retry-storm")
def no_retry_storm(judged: Judged) -> Findings | None:
    """No request refused with a 4xx was repeated more than `retry_limit` times."""
    refused = [e for e in judged.items if j.is_refusal(e)]
    if not refused:
        return None
    limit, failures, seen = judged.scenario.retry_limit, [], set()
    keys = [j.identity(entry) for entry in judged.items]
    sent: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
    for index, key in enumerate(keys):  # in one pass: an audit's journal may be long
        sent[key].append(index)
    for index, entry in enumerate(judged.items):
        key = keys[index]
        if not j.is_refusal(entry) or key in seen:
            continue
        seen.add(key)
        repeats = [judged.items[n] for n in sent[key] if n > index]
        if len(repeats) > limit:
            failures.append(
                Failure(
                    f"{judged.about(entry)}{j.request(entry)} {j.answer(entry)} and was sent "
                    f"{len(repeats)} more times (at most {limit})",
                    (entry, *repeats),
                )
            )
    return failures, f"no refused request was repeated more than {limit} times"


@verdict("honours-retry-after")
def honours_retry_after(judged: Judged) -> Findings | None:
    """After a 429 the next request came no sooner than `Retry-After`."""
    throttled = [i for i, e in enumerate(judged.items) if int(e["status"]) == 429]
    if not throttled:
        return None
    failures, waits = [], set()
    for index in throttled:
        entry = judged.items[index]
        wait = judged.wait_after(entry)
        waits.add(wait)
        following = [e for e in judged.items[index + 1 :] if e["run"] == entry["run"]]
        if not following:
            continue
        gap = (j.moment(following[0]) - j.moment(entry)).total_seconds()
        if gap + TOLERANCE < wait:
            failures.append(
                Failure(
                    f"{judged.about(entry)}{j.request(entry)} answered 429 with Retry-After: "
                    f"{wait:g} but the next request ({j.request(following[0])}) came "
                    f"{gap:.3f} s later",
                    (entry, following[0]),
                )
            )
    asked = "as long as each Retry-After asked" if len(waits) > 1 else f"{max(waits):g} s"
    return failures, f"waited at least {asked} after each 429"


@verdict("reads-every-page")
def reads_every_page(judged: Judged) -> Findings | None:
    """Every sync read its list to the end: a page with fewer records than `page[per_page]`
    asks for (an empty page too). Lookups (see `npq_conformance.journal`) are not judged."""
    if not judged.syncs:
        return None
    failures = [_unfinished(judged, r) for r in judged.syncs if not judged.finished(r)]
    return failures, f"every sync read on to a page that was not full ({len(judged.syncs)} in all)"


def _unfinished(judged: Judged, read: j.ListRead) -> Failure:
    last = read.pages[-1]
    number = j.page_number(last)
    if not j.is_page(last):
        why = f"stopped after page {number} {j.answer(last)}, without asking for it again"
    else:
        why = (
            f"stopped after page {number}, which was full ({j.page_size(last)} records, as "
            f"page[per_page] asks), without reading page {number + 1}: only a page with fewer "
            "records than page[per_page] ends a list"
        )
    return Failure(f"{judged.about_sync(read)}{read.describe()} {why}", (last,))


@verdict("incremental-sync")
def incremental_sync(judged: Judged) -> Findings | None:
    """From the second sync of a resource in a run, each read asks `filter[updated_since]`.

    Syncs read by cohort are judged cohort by cohort; lookups are not judged.
    """
    wanted = judged.sync_steps()
    if not any(len(steps) > 1 for steps in wanted.values()):
        return None
    failures = []
    for (run, resource), steps in sorted(wanted.items()):
        mine = [r for r in judged.syncs if r.run == run and r.path == j.LISTS[resource]]
        failures += _sync_failures(judged, resource, steps, mine)
    return failures, "later syncs asked only for changes"


def _sync_failures(
    judged: Judged, resource: str, steps: list[str], reads: list[j.ListRead]
) -> list[Failure]:
    scopes: dict[str, list[j.ListRead]] = defaultdict(list)
    for read in reads:
        scopes[read.scope].append(read)
    most = max((len(found) for found in scopes.values()), default=0)
    if len(steps) > 1 and most < 2:
        times = "never" if not most else "once"
        return [
            Failure(
                f"steps {', '.join(steps)} synced {resource} but GET {j.LISTS[resource]} "
                f"was read {times}",
                tuple(r.pages[0] for r in reads),
            )
        ]
    return [
        Failure(
            f"{judged.about_sync(read)}{read.describe()}, a later sync of {resource}, did not "
            "ask filter[updated_since]",
            (read.pages[0],),
        )
        for found in scopes.values()
        for read in found[1:]
        if not read.asks_changes
    ]


# ------------------------------------------------------------------ the view


@verdict("view-matches-truth")
def view_matches_truth(judged: Judged) -> Findings | None:
    """Every record in the client's view has the state the sandbox holds; a participant's
    may be given per course (`{"<course_identifier>": "<training_status>"}`), each judged."""
    failures = []
    synced = judged.synced_last()
    for resource in STATE:
        given = judged.view.get(resource)
        view: Json = given if isinstance(given, dict) else {}
        named = set(judged.scenario.truth.get(resource, {}))
        if resource in synced:  # a synced list is known whole, every page of it
            named |= set(judged.truth.get(resource, {}))
        for id_ in sorted(named | set(view)):
            found = _disagreements(judged, resource, id_, view)
            failures += [Failure(text, judged.shown(id_)) for text in found]
    return failures, "the client's view agrees with the sandbox"


def _disagreements(judged: Judged, resource: str, id_: str, view: Json) -> list[str]:
    """Where the view and the sandbox disagree about one record, or each of its enrolments."""
    if resource == "participants" and isinstance(view.get(id_), dict):
        given, courses = view[id_], judged.enrolments(id_)
        found = (
            _disagreement(f"participant {id_}, course {c}", given, c, courses.get(c), "enrolment")
            for c in sorted(set(courses) | set(given))
        )
        return [text for text in found if text]
    noun = NOUN[resource]
    text = _disagreement(f"{noun} {id_}", view, id_, judged.state(resource, id_), noun)
    return [text] if text else []


def _disagreement(label: str, view: Json, key: str, actual: Any, noun: str) -> str | None:
    if key not in view:
        return f"{label}: missing from the client's view ({held(actual, noun)})"
    if view[key] != actual:
        return f"{label}: the client's view says {j.shown(view[key])}, {held(actual, noun)}"
    return None


# ------------------------------------------------------------------ the requests


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
            failures.append(
                Failure(f"{judged.about(entry)}{j.request(entry)}: {'; '.join(found)}", (entry,))
            )
    return failures, f"all {len(judged.items)} requests match openapi.yaml"
