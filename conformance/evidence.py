"""What the verdicts look at (`Judged`), and what they find wrong (`Failure`), with evidence.

`Judged` holds one client's run as the rules see it: the journal entries, the requests each
step sent, its results and view, and the sandbox's truth. A `Failure` is one thing a rule found
wrong, its full text and the journal entries (requests and their answers) that show it.
Messages render values as JSON and absent values in words, and name the step they are about.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from npq_conformance import journal as j
from npq_conformance.scenarios import Scenario

Json = dict[str, Any]


@dataclass(frozen=True)
class Failure:
    """One thing a rule found wrong, in full, and the journal entries that show it."""

    text: str
    evidence: tuple[Json, ...] = ()

    def but(self, ending: str) -> Failure:
        """The same story, ending with what the client got wrong."""
        return Failure(f"{self.text}{ending}", self.evidence)


class Judged:
    """What the rules look at, with the lookups they share."""

    def __init__(self, scenario: Scenario, items: list[Json], results: Json, truth: Json) -> None:
        self.scenario, self.items, self.truth = scenario, items, truth
        reported = results.get("results") if isinstance(results, dict) else None
        self.results = {str(r.get("id")): r for r in reported or [] if isinstance(r, dict)}
        view = results.get("view") if isinstance(results, dict) else None
        self.view: Json = view if isinstance(view, dict) else {}
        self.requests = j.attribute(scenario.instructions, items)
        self.steps = {id(e): step for step, sent in self.requests.items() for e in sent}
        self.syncs = [r for r in j.list_reads(items) if r.is_sync]
        self._served = self._sync_steps_served()

    def state(self, resource: str, id_: str) -> str | None:
        """The state the sandbox holds for one record (None if it has no such record); a
        participant's is that of the enrolment the scenario acts on, else its first."""
        record = self.truth.get(resource, {}).get(id_)
        if record is None:
            return None
        if resource != "participants":
            return record.get(STATE[resource])
        statuses = self.enrolments(id_)
        course = self._course_of(id_)
        return statuses.get(course) if course in statuses else next(iter(statuses.values()), None)

    def enrolments(self, participant_id: str) -> dict[str, Any]:
        """The training status the sandbox holds for each of a participant's courses."""
        record = self.truth.get("participants", {}).get(participant_id) or {}
        found = [e for e in record.get("npq_enrolments") or [] if isinstance(e, dict)]
        return {str(e.get("course_identifier")): e.get("training_status") for e in found}

    def _course_of(self, participant_id: str) -> str | None:
        for instruction in self.scenario.instructions:
            if instruction.get("participant_id") == participant_id:
                return instruction.get("course_identifier")
        return None

    def wait_after(self, entry: Json) -> float:
        """The seconds a 429 asked the client to wait: the Retry-After the scenario's 429
        faults send (the sandbox's default is 1 s)."""
        faults = (
            ((step.body or {}).get("data") or {}).get("attributes", {})
            for run in self.scenario.runs
            for step in run.setup
            if step.path.rstrip("/") == "/sandbox/faults"
        )
        waits = [float(f.get("retry_after", 1)) for f in faults if f.get("status") == 429]
        return max(waits, default=1.0)

    def sync_steps(self) -> dict[tuple[int, str], list[str]]:
        """The ids of the steps syncing each resource, by run (from 0) and resource."""
        found: dict[tuple[int, str], list[str]] = defaultdict(list)
        for index, run in enumerate(self.scenario.runs):
            for instruction in run.instructions:
                for resource in _synced(instruction):
                    found[(index, resource)].append(str(instruction.get("id")))
        return found

    def synced_last(self) -> set[str]:
        """The resources the last run of the client synced (its view reflects that run)."""
        return {r for i in self.scenario.runs[-1].instructions for r in _synced(i)}

    def finished(self, read: j.ListRead) -> bool:
        """Whether the client saw the list end: a page holding fewer records than it asked
        for (an empty page too); DfE's pages are offsets, so nothing follows a short page."""
        return any(self.is_short(e) for e in read.pages)

    def is_short(self, entry: Json) -> bool:
        """Whether a page the client saw held fewer records than `page[per_page]`.

        A page journaled by size only is counted from the truth: lists only grow and a
        record's `updated_at` only moves on, so the truth holds at least what the page did.
        """
        shown, size = j.records(entry), j.page_size(entry)
        if shown is not None or not j.is_page(entry):
            return shown is not None and len(shown) < size
        listed = self._listed(entry)
        return listed is not None and len(listed) - (j.page_number(entry) - 1) * size < size

    def _listed(self, entry: Json) -> list[Json] | None:
        """Every record of the truth the read would list, when the truth holds its list."""
        resource = j.RESOURCES.get(entry["path"].rstrip("/"))
        if resource is None:
            return None
        filters = j.query(entry)
        return [r for r in self.truth.get(resource, {}).values() if j.selects(filters, r)]

    def _sync_steps_served(self) -> dict[int, str]:
        """The step each sync read served: a run's n-th read of a list (or of one cohort of
        it) is that run's n-th sync step of the list."""
        steps, seen, served = self.sync_steps(), Counter[tuple[int, str, str]](), {}
        for read in self.syncs:
            ids = steps.get((read.run, j.RESOURCES.get(read.path, "")), [])
            key = (read.run, read.path, read.scope)
            if ids:
                served[id(read)] = ids[min(seen[key], len(ids) - 1)]
            seen[key] += 1
        return served

    def about_sync(self, read: j.ListRead) -> str:
        """`step sync: ` when the read served a sync step, else nothing."""
        step = self._served.get(id(read))
        return f"step {step}: " if step is not None else ""

    def about(self, entry: Json) -> str:
        """`step accept: ` when the request was sent for a step, else nothing."""
        step = self.steps.get(id(entry))
        return f"step {step}: " if step is not None else ""

    def step(self, instruction: Json) -> Failure:
        """`step accept (application X): POST /api/... answered 422 "..."`, and its requests."""
        subject = _subject(instruction)
        named = f"step {instruction['id']}" + (f" ({subject})" if subject else "")
        sent = self.requests.get(str(instruction["id"]), [])
        if not sent:
            return Failure(f"{named}: no request was sent")
        return Failure(f"{named}: {j.request(sent[-1])} {j.answer(sent[-1])}", tuple(sent))

    def shown(self, record_id: str) -> tuple[Json, ...]:
        """The evidence about a record: every write naming it and the last read showing it."""
        found = j.showing(self.items, record_id)
        reads = [e for e in found if e["method"] == "GET"]
        return tuple(e for e in found if e["method"] != "GET" or e is reads[-1])


STATE = {"applications": "status", "participants": "training_status", "declarations": "state"}


def _synced(instruction: Json) -> list[str]:
    """The resources a step syncs (none unless it is a sync)."""
    if instruction.get("action") != "sync":
        return []
    return list(instruction.get("resources") or j.LISTS)


def _subject(instruction: Json) -> str | None:
    for key, noun in (("declaration_id", "declaration"), ("application_id", "application")):
        if key in instruction:
            return f"{noun} {instruction[key]}"
    if instruction.get("action") == "submit_declaration":
        return f"declaration for participant {instruction.get('participant_id')}"
    if "participant_id" in instruction:
        return f"participant {instruction['participant_id']}"
    return None


def held(state: str | None, noun: str) -> str:
    """`the sandbox holds "accepted"`, or `the sandbox holds no such application`."""
    return f"the sandbox holds {j.shown(state)}" if state else f"the sandbox holds no such {noun}"


def reported(record: Json, key: str) -> str:
    """`status "pending"` as the client reported it, or `no status`."""
    return f"{key} {j.shown(record[key])}" if key in record else f"no {key}"
