"""Records made to order: each provider's counts of a recipe, planned first, then built.

Planning checks what DfE's rules can make and refuses the rest, naming the recipe's line: a
declaration needs a participant (one each), a deferred or withdrawn participant a declaration
before it, an outcome a `completed` declaration on a course that has outcomes, an ineligible
declaration a paid one by someone with the same TRN in another cohort, and each state a
statement in the right state to land on by SEED_NOW. Building then goes through the same steps
as the named cases (accept, declare, void, defer, withdraw), so states come from DfE's rules.

Rules: docs/rules.md §13.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from npq_sandbox.domain.reference import (
    COHORTS_BY_ID,
    OUTCOME_COURSES,
    Funding,
    has_contract,
    schedules_for,
)
from npq_sandbox.domain.states import StatementState, TrainingStatus
from npq_sandbox.seeding.books import Window
from npq_sandbox.seeding.clock import SEED_NOW, days, midnight, morning
from npq_sandbox.seeding.recipe import Recipe, Where

OPEN, PAYABLE, PAID = StatementState.OPEN, StatementState.PAYABLE, StatementState.PAID
# Each declaration state: the statement state its submission lands on, and how many such
# statements it needs (a clawback lands on a later paid statement than the payment).
LANDS = {
    "submitted": (OPEN, 1),
    "eligible": (OPEN, 1),
    "payable": (PAYABLE, 1),
    "paid": (PAID, 1),
    "voided": (OPEN, 1),
    "awaiting-clawback": (PAID, 1),
    "clawed-back": (PAID, 2),
    "ineligible": (OPEN, 1),
}
# States an outcome's `completed` declaration may be in and still carry a passed or failed one.
_OUTCOME_STATES = ("eligible", "payable", "paid", "submitted")
Windows = Callable[[str, StatementState], list[Window]]


@dataclass(frozen=True)
class Slot:
    """One participant made to order: what is declared for them and what happens next."""

    cohort: str
    course: str
    declaration: str | None = None  # the declaration's state, as the API names it
    result: str | None = None  # "passed" or "failed": a completed declaration carries it
    status: TrainingStatus = TrainingStatus.ACTIVE
    reason: str | None = None
    twin_of: int | None = None  # index of the slot whose paid declaration this duplicates


@dataclass(frozen=True)
class Plan:
    """A provider's records made to order: participants (slots) and other applications."""

    slots: tuple[Slot, ...]
    pending: tuple[tuple[str, str], ...]
    rejected: tuple[tuple[str, str, str], ...]  # cohort, course, reason


def plan(recipe: Recipe, provider_id: str, windows: Windows) -> Plan:
    """Plan the provider's counts, or raise RecipeError naming the line of what cannot be."""
    counts = recipe.counts.get(provider_id, {})
    where: Where = ("counts", _block(recipe, provider_id))
    planner = _Planner(recipe, windows, where)
    slots = planner.slots(counts)
    applications = counts.get("applications", {})
    pending = tuple(planner.spots(applications.get("pending", 0), ("applications", "pending")))
    rejected = tuple(
        (cohort, course, reason)
        for reason, count in applications.get("rejected", {}).items()
        for cohort, course in planner.spots(
            count, ("applications", "rejected", reason), expiring=reason == "registration_expired"
        )
    )
    return Plan(tuple(slots), pending, rejected)


def _block(recipe: Recipe, provider_id: str) -> str:
    from npq_sandbox.domain.reference import LEAD_PROVIDERS

    slug = next(p.slug for p in LEAD_PROVIDERS if p.id == provider_id)
    return slug if slug in recipe.document.get("counts", {}) else "all"


class _Planner:
    def __init__(self, recipe: Recipe, windows: Windows, where: Where) -> None:
        self.recipe, self.windows, self.where = recipe, windows, where

    def refuse(self, where: Where, message: str) -> Exception:
        return self.recipe.refuse((*self.where, *where), message)

    def slots(self, counts: dict[str, dict[str, object]]) -> list[Slot]:
        """Pair outcomes, duplicates and statuses with declarations, one participant each."""
        left = {s: int(str(n)) for s, n in counts.get("declarations", {}).items()}
        with_results = self._results(counts.get("outcomes", {}), left)
        pairs = self._pairs(left.pop("ineligible", 0), left)
        plain = [s for s in LANDS if s != "ineligible" for _ in range(left.get(s, 0))]
        declared = with_results + pairs + [(s, None) for s in plain]
        people = counts.get("participants", {})
        statuses = self._statuses(people, len(declared) - len(with_results))
        total = len(statuses) + int(str(people.get("active", 0)))
        if len(declared) > total:
            raise self.refuse(
                ("declarations",),
                f"each declaration is on a participant of its own: {len(declared)} need as "
                f"many participants, and participants asks for {total}",
            )
        return self._placed(declared, statuses, total)

    def _results(self, outcomes: dict[str, object], left: dict[str, int]) -> list[tuple[str, str]]:
        """Completed declarations carrying the outcomes: voided ones follow a passed/failed."""
        results = ["passed"] * int(str(outcomes.get("passed", 0)))
        results += ["failed"] * int(str(outcomes.get("failed", 0)))
        voided = int(str(outcomes.get("voided", 0)))
        if voided > len(results):
            raise self.refuse(
                ("outcomes", "voided"),
                f"a voided outcome follows a passed or failed one on the same declaration: "
                f"ask for at least {voided} passed or failed outcomes",
            )
        if voided > left.get("voided", 0):
            raise self.refuse(
                ("outcomes", "voided"),
                f"an outcome is voided by voiding its completed declaration: ask for at least "
                f"{voided} voided declarations",
            )
        left["voided"] = left.get("voided", 0) - voided
        placed = [("voided", result) for result in results[:voided]]
        for result in results[voided:]:
            state = next((s for s in _OUTCOME_STATES if left.get(s, 0)), None)
            if state is None:
                raise self.refuse(
                    ("outcomes", result),
                    "each passed or failed outcome is carried by a completed declaration that "
                    "is not voided: ask for more eligible, payable, paid or submitted ones",
                )
            left[state] -= 1
            placed.append((state, result))
        return placed

    def _pairs(self, count: int, left: dict[str, int]) -> list[tuple[str, str | None]]:
        """An ineligible declaration duplicates a paid one: take one paid per duplicate."""
        if count > left.get("paid", 0):
            raise self.refuse(
                ("declarations", "ineligible"),
                "an ineligible declaration duplicates a paid one by someone with the same TRN "
                f"in another cohort: ask for at least {count} paid declarations without outcomes",
            )
        left["paid"] = left.get("paid", 0) - count
        return [pair for _ in range(count) for pair in (("paid", None), ("ineligible", "twin"))]

    def _statuses(
        self, people: dict[str, object], started: int
    ) -> list[tuple[TrainingStatus, str]]:
        """Deferred and withdrawn participants, each needing a started declaration first."""
        statuses = [
            (status, reason)
            for status in (TrainingStatus.DEFERRED, TrainingStatus.WITHDRAWN)
            for reason, n in dict(people.get(status.value, {})).items()  # type: ignore[call-overload]
            for _ in range(int(n))
        ]
        if len(statuses) > started:
            status = statuses[started][0].value
            raise self.refuse(
                ("participants", status),
                f"DfE defers or withdraws only a participant with a started declaration: "
                f"{len(statuses)} deferred or withdrawn need as many declarations without "
                f"outcomes, and declarations asks for {started}",
            )
        return statuses

    def _placed(
        self,
        declared: list[tuple[str, str | None]],
        statuses: list[tuple[TrainingStatus, str]],
        total: int,
    ) -> list[Slot]:
        """Give each declaration a cohort and course; statuses go to started declarations."""
        results = sum(1 for _, r in declared if r not in (None, "twin"))
        slots: list[Slot] = []
        for index in range(total):
            state, result = declared[index] if index < len(declared) else (None, None)
            status, reason = (
                statuses[index - results]
                if results <= index < results + len(statuses)
                else (TrainingStatus.ACTIVE, None)
            )
            slots.append(self._slot(index, state, result, status, reason, slots))
        return slots

    def _slot(
        self,
        index: int,
        state: str | None,
        result: str | None,
        status: TrainingStatus,
        reason: str | None,
        earlier: list[Slot],
    ) -> Slot:
        twin_of = index - 1 if result == "twin" else None
        where: Where = ("declarations", state) if state else ("participants", status.value)
        cohort, course = self._spot(
            index, state, result, earlier[twin_of] if twin_of is not None else None, where
        )
        return Slot(
            cohort,
            course,
            state,
            None if result == "twin" else result,
            status,
            reason,
            twin_of,
        )

    def _spot(
        self, index: int, state: str | None, result: str | None, original: Slot | None, where: Where
    ) -> tuple[str, str]:
        """The first cohort and course (turning with `index`) where the state can be reached."""
        combos = self.combos(outcome=result in ("passed", "failed"))
        for cohort, course in (
            combos[index % len(combos) :] + combos[: index % len(combos)] if combos else []
        ):
            if original is not None and (cohort == original.cohort or course != original.course):
                continue
            if state is None or self.reachable(cohort, course, state):
                return cohort, course
        raise self.refuse(where, self._why(state, result, original))

    def _why(self, state: str | None, result: str | None, original: Slot | None) -> str:
        cohorts = ", ".join(self.recipe.cohorts)
        if original is not None:
            return (
                f"an ineligible declaration needs its paid original's course ({original.course}) "
                f"in another of the cohorts {cohorts}, with an open statement"
            )
        if result in ("passed", "failed"):
            return f"no course with outcomes, in cohorts {cohorts}, reaches a {state} declaration"
        landing, needed = LANDS.get(state or "", (OPEN, 1))
        return (
            f"no {state} declaration can be made in cohorts {cohorts}: it needs {needed} "
            f"{landing.value} output-fee statement(s) by {SEED_NOW.date()} after the "
            "participant's start, and a cohort whose funding pays for it"
        )

    def combos(self, outcome: bool = False) -> list[tuple[str, str]]:
        """Recipe's (cohort, course) pairs DfE holds contracts and schedules for."""
        return [
            (cohort, course)
            for cohort in self.recipe.cohorts
            for course in self.recipe.courses
            if has_contract(cohort, course)
            and schedules_for(cohort, course)
            and (not outcome or course in OUTCOME_COURSES)
            and _registered_by(cohort, days(70))
        ]

    def reachable(self, cohort: str, course: str, state: str) -> bool:
        """Tell whether a declaration made in (cohort, course) lands in `state` by SEED_NOW."""
        funding = COHORTS_BY_ID[cohort].funding
        if funding is Funding.ZERO and state != "submitted":
            return False
        landing, needed = LANDS[state]
        found = self.windows(cohort, landing)
        if len(found) < needed or (state == "awaiting-clawback" and not self.windows(cohort, OPEN)):
            return False
        start = max(
            [midnight(s.applies_from) for s in schedules_for(cohort, course)]
            + [morning(COHORTS_BY_ID[cohort].registration_start_date) + days(67)]
        )
        return found[-needed].start >= start

    def spots(self, count: int, where: Where, expiring: bool = False) -> Iterator[tuple[str, str]]:
        """Cohorts and courses for applications, turning; refuse if none is registered by now."""
        lead = days(180) if expiring else days(70)
        combos = [(c, k) for c, k in self.combos() if _registered_by(c, lead)]
        if count and not combos:
            raise self.refuse(
                where,
                f"no cohort among {', '.join(self.recipe.cohorts)} opened "
                f"registration long enough before {SEED_NOW.date()}",
            )
        for index in range(count):
            yield combos[index % len(combos)]


def _registered_by(cohort: str, lead: object) -> bool:
    opened: datetime = morning(COHORTS_BY_ID[cohort].registration_start_date)
    return bool(opened + lead <= SEED_NOW)  # type: ignore[operator]


def check_recipe(recipe: Recipe) -> None:
    """Refuse, naming the line, a recipe DfE's rules cannot make (before any row is touched)."""
    from npq_sandbox.seeding.dataset import Dataset
    from npq_sandbox.seeding.recipe import TWO_PROVIDER_FAMILIES
    from npq_sandbox.seeding.statements import add_statements

    listed = list(recipe.document.get("cases", []))
    for family in listed:
        if family in TWO_PROVIDER_FAMILIES and len(recipe.providers) < 2:
            raise recipe.refuse(
                ("cases", listed.index(family)),
                f"{family} cases involve a second provider: name at least two providers",
            )
    if recipe.background and not _Planner(recipe, lambda _c, _s: [], ()).combos():
        raise recipe.refuse(
            ("background_participants",),
            "no course of the recipe has a contract and a schedule in its cohorts",
        )
    ds = Dataset.start(0)
    add_statements(ds, recipe.providers[:1])
    first = recipe.providers[0]
    for provider_id in recipe.providers:
        plan(
            recipe,
            provider_id,
            lambda cohort, state: ds.statement_book.windows(first, cohort, state),
        )
