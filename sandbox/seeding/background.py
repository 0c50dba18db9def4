"""The background population: many ordinary people spread round-robin over the providers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from npq_sandbox.domain.records import Application, Declaration, Participant
from npq_sandbox.domain.reference import (
    COHORTS_BY_ID,
    COURSES,
    SCHEDULES_BY_KEY,
    has_contract,
    same_course,
    schedules_for,
)
from npq_sandbox.domain.states import (
    DEFERRAL_REASONS,
    WITHDRAWAL_REASONS,
    DeclarationState,
    RejectionReason,
    TrainingStatus,
)
from npq_sandbox.seeding.clock import DAY, HOUR, SEED_NOW, days, midnight, morning, not_after_now
from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.seeding.declaring import declare, void
from npq_sandbox.seeding.journeys import accept, apply, change_training_status, reject
from npq_sandbox.seeding.people import new_person
from npq_sandbox.seeding.recipe import Recipe

CHUNK = 250
# Weighted towards 2024a and 2025a, whose contracts run at SEED_NOW, so that most declarations
# land on statements in every state.
COHORT_WEIGHTS = {
    "2021a": 1,
    "2022a": 1,
    "2023a": 2,
    "2024a": 3,
    "2025a": 3,
    "2025b": 1,
    "2026a": 1,
    "2026b": 1,
}
# Only combinations DfE holds contracts and schedules for, so every record is reachable.
COMBINATIONS = [
    (cohort, course)
    for cohort in COHORT_WEIGHTS
    for course in COURSES
    if has_contract(cohort, course) and schedules_for(cohort, course)
]
_WEIGHTS = [COHORT_WEIGHTS[cohort] for cohort, _ in COMBINATIONS]
# Nothing is declared so close to SEED_NOW that its submission would fall after it.
_LAST_DECLARATION = SEED_NOW - days(2)
Choices = tuple[list[tuple[str, str]], list[int]]
_VOIDABLE = frozenset({DeclarationState.SUBMITTED, DeclarationState.ELIGIBLE})


def add_background(
    ds: Dataset,
    recipe: Recipe,
    progress: Callable[[int], None],
    write: Callable[[Dataset], None] = lambda _ds: None,
) -> None:
    """Add the recipe's background people, each with one application (a tenth with two).

    People go round-robin to the recipe's providers, in its cohorts and courses. After every
    `CHUNK` people, `write` may store and forget them: no person's records are revised once
    the next person is added.
    """
    count, ids = recipe.background, recipe.providers
    choices = combinations(recipe)
    for index in range(count):
        _add_person(ds, ids[index % len(ids)], choices)
        if (index + 1) % CHUNK == 0:
            write(ds)
            progress(CHUNK)
    if count % CHUNK:
        progress(count % CHUNK)


def combinations(recipe: Recipe) -> Choices:
    """The (cohort, course) pairs of the recipe's cohorts and courses, with their weights."""
    found = [
        (pair, weight)
        for pair, weight in zip(COMBINATIONS, _WEIGHTS, strict=True)
        if pair[0] in recipe.cohorts and pair[1] in recipe.courses
    ]
    return [pair for pair, _ in found], [weight for _, weight in found]


def _add_person(ds: Dataset, provider_id: str, choices: Choices) -> None:
    combinations = _combinations(ds, 2 if ds.chance(0.1) else 1, choices)
    registered = [_registration_time(ds, cohort) for cohort, _ in combinations]
    person = new_person(ds, ds.moment(min(registered) - days(30), min(registered)))
    for (cohort, course), created_at in zip(combinations, registered, strict=True):
        _add_application(ds, person, provider_id, cohort, course, created_at)


def _combinations(ds: Dataset, count: int, choices: Choices) -> list[tuple[str, str]]:
    """Draw (cohort, course) pairs on different courses (ASO and EHCO count as one)."""
    chosen: list[tuple[str, str]] = []
    pairs, weights = choices
    while len(chosen) < count:
        cohort, course = ds.rng.choices(pairs, weights)[0]
        if not any(same_course(course, taken) for _, taken in chosen):
            chosen.append((cohort, course))
        elif all(same_course(c, t) for _, c in pairs for _, t in chosen):
            break  # every course is one already taken: no second application

    return chosen


def _registration_time(ds: Dataset, cohort: str) -> datetime:
    opens = morning(COHORTS_BY_ID[cohort].registration_start_date)
    return ds.moment(opens, min(opens + days(180), SEED_NOW - days(30)))


def _add_application(
    ds: Dataset,
    person: Participant,
    provider_id: str,
    cohort: str,
    course: str,
    created_at: datetime,
) -> None:
    application = apply(ds, person, provider_id, course, cohort, created_at)
    roll = ds.rng.random()
    if roll < 0.65:
        _enrol(ds, application)
    elif roll < 0.85:
        return
    else:
        reason = ds.pick(
            (RejectionReason.REJECTED_BY_PROVIDER, RejectionReason.REGISTRATION_EXPIRED)
        )
        reject(ds, application, _soon_after(ds, created_at, days(90)), reason)


def _soon_after(ds: Dataset, start: datetime, within: timedelta) -> datetime:
    """Return a time from an hour after `start` up to `within` later (never after SEED_NOW)."""
    return ds.moment(start + HOUR, max(start + HOUR, not_after_now(start + within)))


def _enrol(ds: Dataset, application: Application) -> None:
    """Accept; declare some milestones; then perhaps defer or withdraw after the last one."""
    accepted = accept(ds, application, _soon_after(ds, application.created_at, days(45)))
    roll = ds.rng.random()
    fate = (
        TrainingStatus.ACTIVE
        if roll < 0.8
        else TrainingStatus.DEFERRED
        if roll < 0.9
        else TrainingStatus.WITHDRAWN
    )
    made = _declare_some(ds, accepted, at_least=0 if fate is TrainingStatus.ACTIVE else 1)
    if fate is not TrainingStatus.ACTIVE and made:
        reasons = DEFERRAL_REASONS if fate is TrainingStatus.DEFERRED else WITHDRAWAL_REASONS
        after = max(d.created_at for d in made)
        at = _soon_after(ds, after, days(60))
        change_training_status(ds, accepted, fate, ds.pick(reasons), at)


def _declare_some(ds: Dataset, application: Application, at_least: int) -> list[Declaration]:
    """Declare the schedule's types in order, each some months after the last, until now."""
    schedule = SCHEDULES_BY_KEY[(application.cohort, str(application.schedule_identifier))]
    types = schedule.allowed_declaration_types
    start = max(midnight(schedule.applies_from), (application.accepted_at or SEED_NOW) + HOUR)
    when = ds.moment(start, start + days(60))
    made: list[Declaration] = []
    for declaration_type in types[: ds.rng.randint(at_least, len(types))]:
        declaration = _declare_one(ds, application, declaration_type, when)
        if declaration is None:
            break
        made.append(declaration)
        when = ds.moment(when + days(90), when + days(220))
    return made


def _declare_one(
    ds: Dataset, application: Application, declaration_type: str, when: datetime
) -> Declaration | None:
    if when > _LAST_DECLARATION:
        return None
    created_at = ds.moment(when, min(when + days(14), SEED_NOW - DAY))
    declaration = declare(
        ds,
        application,
        declaration_type,
        declared_at=when,
        created_at=created_at,
        has_passed=ds.chance(0.8),
    )
    if declaration is not None and declaration.state in _VOIDABLE and ds.chance(0.04):
        return void(ds, declaration, _soon_after(ds, created_at, days(30)))
    return declaration
