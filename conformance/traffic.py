"""Verdicts from traffic alone: what `npq-conformance audit` judges without instructions.

`Audited` is a provider's journaled traffic as the rules see it, with no scenario: the
entries, the sandbox's truth now, each fault's `Retry-After` and the record `History`. The
audit runs `TRAFFIC` on it: the `run` verdicts that need no instructions (`reads-every-page`,
`honours-retry-after`, `no-retry-storm`, `requests-valid`), `incremental-sync` judged across
the whole traffic, and three that only traffic shows:

* `looks-up-after-lost-response`: a declaration whose answer never reached the client is
  looked up (a GET of `/participant-declarations`, filtered or not, or of the declaration)
  before the client declares anything else for that participant and course; re-sending the
  very same POST is a retry, not a second declaration, but once the API refuses the retry as
  already submitted, the client looks the first one up. Traffic that ends without a lookup
  fails: the client never learnt what it made.
* `respects-410`: once the API answered 410 for a participant id (DfE merged it into
  another), no write names that id again.
* `no-accept-after-rejected`: no accept of an application a read had shown the client as
  rejected (a page or a GET of it; a page journaled by size only shows what `History` says).

Rules: docs/rules.md §21.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from npq_conformance import journal as j
from npq_conformance.evidence import Failure, Judged
from npq_conformance.history import History, attributes
from npq_conformance.judging import (
    Findings,
    honours_retry_after,
    no_retry_storm,
    reads_every_page,
    requests_valid,
)
from npq_conformance.scenarios import Run, Scenario
from npq_sandbox import messages

Json = dict[str, Any]
DECLARATIONS = f"{j.API}/participant-declarations"
PARTICIPANT = re.compile(r"^/api/v3/participants/npq/(?!outcomes/?$)([^/]+)(/.*)?$")
ACCEPT = re.compile(r"^/api/v3/npq-applications/([^/]+)/accept/?$")
APPLICATIONS = j.LISTS["applications"]
LEAST_RETRY_AFTER = 1.0  # seconds: no 429 of DfE's throttle, or of a fault, asks for less
# The traffic as a scenario the shared rules accept: one run, nothing asked, nothing expected.
TRAFFIC_ONLY = Scenario(
    "audit", "The provider's traffic, judged without instructions.", (Run((), ()),)
)


class Audited(Judged):
    """A provider's traffic with no scenario: entries, truth now, faults and history."""

    def __init__(
        self, items: list[Json], truth: Json, waits: dict[str, float], offset_seconds: float
    ) -> None:
        super().__init__(TRAFFIC_ONLY, items, {}, truth)
        self.waits = waits
        self.history = History(self.items, truth, offset_seconds)

    def wait_after(self, entry: Json) -> float:
        """The Retry-After of the fault that answered the 429, else the least any 429 asks."""
        fault = entry.get("fault") or {}
        return self.waits.get(str(fault.get("id")), LEAST_RETRY_AFTER)


AuditRule = Callable[[Audited], Findings | None]


def is_declaring(entry: Json) -> bool:
    """Whether the request posts a declaration."""
    return entry["method"] == "POST" and entry["path"].rstrip("/") == DECLARATIONS


def is_lookup(entry: Json) -> bool:
    """Whether the request reads declarations: the list, a filter of it, or one of them."""
    return entry["method"] == "GET" and entry["path"].startswith(DECLARATIONS)


def participant_of(entry: Json) -> tuple[str, str | None] | None:
    """The participant (and course, when given) a request is about, if it is about one."""
    found = attributes(entry)
    if is_declaring(entry):
        pid, course = found.get("participant_id"), found.get("course_identifier")
        return (pid, course if isinstance(course, str) else None) if isinstance(pid, str) else None
    matched = PARTICIPANT.match(entry["path"])
    if matched is None:
        return None
    course = found.get("course_identifier")
    return matched.group(1), course if isinstance(course, str) else None


# ------------------------------------------------------------------ incremental-sync


def syncs_ask_changes(audited: Audited) -> Findings | None:
    """Once a sync has read a whole list (or cohort of it) to the end, every later sync of it
    asks `filter[updated_since]`."""
    groups: dict[tuple[str, str], list[j.ListRead]] = defaultdict(list)
    for read in audited.syncs:
        if read.path in j.RESOURCES:
            groups[(read.path, read.scope)].append(read)
    if not any(len(reads) > 1 for reads in groups.values()):
        return None
    failures = []
    for reads in groups.values():
        whole = next((r for r in reads if audited.finished(r) and not r.asks_changes), None)
        later = reads[reads.index(whole) + 1 :] if whole else []
        failures += [
            Failure(
                f"{read.describe()} read {j.RESOURCES[read.path]} again without "
                f"filter[updated_since], after {whole.describe()} had read it to the end",
                (whole.pages[0], read.pages[0]),
            )
            for read in later
            if whole and not read.asks_changes
        ]
    return failures, "every later sync of a list asked only for changes"


# ------------------------------------------------------------------ lost responses


def unanswered(items: list[Json], index: int) -> bool:
    """Whether the client never got the answer: dropped, or sent again before it came."""
    entry = items[index]
    if j.is_lost(entry):
        return True
    ends = j.moment(entry).timestamp() + float(entry.get("duration_ms") or 0) / 1000
    key = j.identity(entry)
    for later in items[index + 1 :]:  # oldest first: only those sent before the answer came
        if j.moment(later).timestamp() >= ends:
            return False
        if j.identity(later) == key:
            return True
    return False


def looks_up_after_lost_response(audited: Audited) -> Findings | None:
    """After a declaration POST whose answer never came, the client looks it up before it
    declares again for that participant and course (the very same POST may be re-sent)."""
    items, failures, judged = audited.items, [], 0
    settled: set[int] = set()
    for index, entry in enumerate(items):
        if not is_declaring(entry) or index in settled or not unanswered(items, index):
            continue
        judged += 1
        found, retries = _after_lost(items, index)
        settled |= retries
        failures += [found] if found else []
    if not judged:
        return None
    return failures, "each declaration whose answer was lost was looked up"


def _after_lost(items: list[Json], index: int) -> tuple[Failure | None, set[int]]:
    """What followed a lost declaration POST: a failure or None, and the retries it covers."""
    first, retries = items[index], set[int]()
    subject = participant_of(first)
    for n in range(index + 1, len(items)):
        later = items[n]
        if is_lookup(later):
            return None, retries
        if not is_declaring(later) or participant_of(later) != subject:
            continue
        if j.identity(later) != j.identity(first):
            return _declared_again(first, later), retries
        retries.add(n)
        if unanswered(items, n) or not j.is_decisive(later):
            continue  # a retry whose answer did not come either: still unknown
        if messages.ALREADY_DECLARED not in j.details(later):
            return None, retries  # answered: the client knows what it made, or that it did not
        if any(is_lookup(e) for e in items[n + 1 :]):
            return None, retries
        return _never_looked_up(first, later), retries
    return _never_looked_up(first), retries


def _declared_again(first: Json, later: Json) -> Failure:
    return Failure(
        f"{j.request(first)} {j.answer(first)}, and {j.request(later)} declared for the same "
        "participant and course before any GET of /participant-declarations looked up what the "
        "first had made",
        (first, later),
    )


def _never_looked_up(first: Json, retry: Json | None = None) -> Failure:
    refused = f"; its retry {j.answer(retry)}" if retry else ""
    return Failure(
        f"{j.request(first)} {j.answer(first)}{refused}, and the declaration was never looked "
        "up (GET /participant-declarations?filter[participant_id]=..., or the declaration)",
        (first, retry) if retry else (first,),
    )


# ------------------------------------------------------------------ 410


def respects_410(audited: Audited) -> Findings | None:
    """No write names a participant id after the API answered 410 for it."""
    gone: dict[str, Json] = {}
    failures = []
    for entry in audited.items:
        about = participant_of(entry)
        if about is None:
            continue
        old = gone.get(about[0])
        if old is not None and entry["method"] != "GET":
            failures.append(
                Failure(
                    f"{j.request(entry)} {j.answer(entry)}: it names participant {about[0]}, "
                    f"after {j.request(old)} {j.answer(old)} (follow participant_id_changes "
                    "to the new id)",
                    (old, entry),
                )
            )
        if int(entry["status"]) == 410 and entry["method"] == "GET":
            gone.setdefault(about[0], entry)
    if not gone:
        return None
    return failures, "no write named a participant id the API had answered 410 for"


# ------------------------------------------------------------------ rejected applications


def no_accept_after_rejected(audited: Audited) -> Findings | None:
    """No accept of an application that a read had shown the client as rejected."""
    accepts = [e for e in audited.items if e["method"] == "POST" and ACCEPT.match(e["path"])]
    if not accepts:
        return None
    # Pages journaled by size only, newest first: what they showed comes from the history.
    unkept = [e for e in reversed(audited.items) if _unkept_applications_page(e)]
    failures = []
    for entry in accepts:
        application_id = ACCEPT.match(entry["path"]).group(1)  # type: ignore[union-attr]
        read = _shown_rejected(audited, application_id, j.moment(entry), unkept)
        if read is not None:
            failures.append(
                Failure(
                    f"{j.request(entry)} {j.answer(entry)}: {j.request(read)} had shown "
                    f"application {application_id} rejected, and nothing leaves rejected",
                    (read, entry),
                )
            )
    return failures, "no application was accepted after a read showed it rejected"


def _unkept_applications_page(entry: Json) -> bool:
    return (
        entry["method"] == "GET"
        and entry["path"].rstrip("/") == APPLICATIONS
        and j.is_page(entry)
        and j.records(entry) is None
    )


def _shown_rejected(
    audited: Audited, application_id: str, before: datetime, unkept: list[Json]
) -> Json | None:
    """A read before `before` that showed the application rejected, if any."""
    shown = audited.history.first_shown_rejected.get(application_id)
    if shown is not None and j.moment(shown) < before:
        return shown
    record = audited.truth.get("applications", {}).get(application_id)
    for page in (p for p in unkept if j.moment(p) < before):
        if (
            record
            and j.selects(_filters(page), record)
            and audited.history.rejected(application_id, j.moment(page))
        ):
            return page
    return None


def _filters(entry: Json) -> Json:
    return {k: v for k, v in j.query(entry).items() if k not in j.PAGE_KEYS}


TRAFFIC: dict[str, AuditRule] = {
    "reads-every-page": reads_every_page,
    "incremental-sync": syncs_ask_changes,
    "honours-retry-after": honours_retry_after,
    "no-retry-storm": no_retry_storm,
    "looks-up-after-lost-response": looks_up_after_lost_response,
    "respects-410": respects_410,
    "no-accept-after-rejected": no_accept_after_rejected,
    "requests-valid": requests_valid,
}
