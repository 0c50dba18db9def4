"""DfE's fixed reference data: lead providers, courses, cohorts, schedules and contracts.

The values follow DfE's own seeds for its sandbox (lead provider ids and development tokens,
the twelve courses, the cohort set of mid-2026 including the one-off ``2025b``, and the
schedules each cohort carries), so that ids and identifiers copied from DfE's guidance work here.

Rules: docs/rules.md §1.1 and §4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


@dataclass(frozen=True)
class LeadProvider:
    id: str
    name: str
    token: str

    @property
    def slug(self) -> str:
        """The provider's name in lower case, words joined by hyphens (`ambition-institute`)."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


LEAD_PROVIDERS: tuple[LeadProvider, ...] = (
    LeadProvider("9e35e998-c63b-4136-89c4-e9e18ddde0ea", "Ambition Institute", "ambition-token"),
    LeadProvider(
        "57ba9e86-559f-4ff4-a6d2-4610c7259b67", "Best Practice Network", "best-practice-token"
    ),
    LeadProvider("79cb41ca-cb6d-405c-b52c-b6f7c752388d", "Church of England", "coe-token"),
    LeadProvider("230e67c0-071a-4a48-9673-9d043d456281", "LLSE", "llse-token"),
    LeadProvider(
        "3ec607f2-7a3a-421f-9f1a-9aca8a634aeb", "National Institute of Teaching", "niot-token"
    ),
    LeadProvider("bc5e4e37-1d64-4149-a06b-ad10d3c55fd0", "School-Led Network", "school-led-token"),
    LeadProvider("a02ae582-f939-462f-90bc-cebf20fa8473", "Teach First", "teach-first-token"),
    LeadProvider("ef687b3d-c1c0-4566-a295-16d6fa5d0fa7", "UCL Institute of Education", "ucl-token"),
)
PROVIDERS_BY_ID = {p.id: p for p in LEAD_PROVIDERS}
PROVIDERS_BY_TOKEN = {p.token: p for p in LEAD_PROVIDERS}


def find_provider(text: str) -> LeadProvider:
    """Find a lead provider by name, slug, id, token or token stem (`ambition`), in any case.

    Raises LookupError naming the known providers.
    """
    wanted = text.strip().lower()
    for provider in LEAD_PROVIDERS:
        names = (provider.name.lower(), provider.slug, provider.id, provider.token)
        if wanted in names or wanted == provider.token.removesuffix("-token"):
            return provider
    known = ", ".join(p.name for p in LEAD_PROVIDERS)
    raise LookupError(f"no lead provider {text!r}; known: {known}")


class CourseGroup(StrEnum):
    LEADERSHIP = "leadership"
    SPECIALIST = "specialist"
    EHCO = "ehco"
    SUPPORT = "support"


COURSES: dict[str, CourseGroup] = {
    "npq-early-years-leadership": CourseGroup.LEADERSHIP,
    "npq-executive-leadership": CourseGroup.LEADERSHIP,
    "npq-headship": CourseGroup.LEADERSHIP,
    "npq-senior-leadership": CourseGroup.LEADERSHIP,
    "npq-senco": CourseGroup.LEADERSHIP,
    "npq-leading-behaviour-culture": CourseGroup.SPECIALIST,
    "npq-leading-literacy": CourseGroup.SPECIALIST,
    "npq-leading-primary-mathematics": CourseGroup.SPECIALIST,
    "npq-leading-teaching": CourseGroup.SPECIALIST,
    "npq-leading-teaching-development": CourseGroup.SPECIALIST,
    "npq-early-headship-coaching-offer": CourseGroup.EHCO,
    "npq-additional-support-offer": CourseGroup.SUPPORT,
}
EHCO = "npq-early-headship-coaching-offer"
ASO = "npq-additional-support-offer"
# Courses with outcomes, `has_passed` and uplift: everything but EHCO and ASO.
OUTCOME_COURSES = frozenset(
    c for c, g in COURSES.items() if g not in (CourseGroup.EHCO, CourseGroup.SUPPORT)
)


def same_course(a: str, b: str) -> bool:
    """Tell whether two course identifiers count as one course (ASO and EHCO are rebrands)."""
    return a == b or {a, b} == {EHCO, ASO}


class Funding(StrEnum):
    FULL = "full"
    CAPPED = "capped"
    ZERO = "zero"


@dataclass(frozen=True)
class Cohort:
    start_year: int
    suffix: str
    funding: Funding
    registration_start_date: date

    @property
    def identifier(self) -> str:
        return f"{self.start_year}{self.suffix}"


def _cohort(year: int, suffix: str, funding: Funding, starts: date | None = None) -> Cohort:
    return Cohort(year, suffix, funding, starts or date(year, 4, 3))


COHORTS: tuple[Cohort, ...] = (
    _cohort(2021, "a", Funding.FULL),
    _cohort(2022, "a", Funding.FULL),
    _cohort(2023, "a", Funding.FULL),
    _cohort(2024, "a", Funding.CAPPED),
    _cohort(2025, "a", Funding.CAPPED),
    # DfE's sandbox carries this extra autumn cohort (its one-off 2026 test-data task).
    _cohort(2025, "b", Funding.CAPPED, date(2025, 9, 1)),
    _cohort(2026, "a", Funding.ZERO),
    _cohort(2026, "b", Funding.CAPPED),
)
COHORTS_BY_ID = {c.identifier: c for c in COHORTS}


DECLARATION_TYPES = ("started", "retained-1", "retained-2", "completed")
_NO_RETAINED_2 = ("started", "retained-1", "completed")


@dataclass(frozen=True)
class Schedule:
    identifier: str
    cohort: str
    course_group: CourseGroup
    applies_from: date
    allowed_declaration_types: tuple[str, ...]


# identifier -> (course group, month the schedule applies from, offset in years from start year)
_SCHEDULE_SHAPES: dict[str, tuple[CourseGroup, int, int]] = {
    "npq-leadership-autumn": (CourseGroup.LEADERSHIP, 10, 0),
    "npq-leadership-spring": (CourseGroup.LEADERSHIP, 1, 1),
    "npq-specialist-autumn": (CourseGroup.SPECIALIST, 10, 0),
    "npq-specialist-spring": (CourseGroup.SPECIALIST, 1, 1),
    "npq-ehco-november": (CourseGroup.EHCO, 11, 0),
    "npq-ehco-december": (CourseGroup.EHCO, 12, 0),
    "npq-ehco-march": (CourseGroup.EHCO, 3, 1),
    "npq-ehco-june": (CourseGroup.EHCO, 6, 1),
    "npq-aso-november": (CourseGroup.SUPPORT, 11, 0),
    "npq-aso-december": (CourseGroup.SUPPORT, 12, 0),
    "npq-aso-march": (CourseGroup.SUPPORT, 3, 1),
    "npq-aso-june": (CourseGroup.SUPPORT, 6, 1),
}
SCHEDULE_IDENTIFIERS = tuple(_SCHEDULE_SHAPES)

_CORE = (
    "npq-leadership-spring",
    "npq-leadership-autumn",
    "npq-specialist-spring",
    "npq-specialist-autumn",
)
_EHCO_ALL = ("npq-ehco-june", "npq-ehco-march", "npq-ehco-november", "npq-ehco-december")
_SCHEDULES_BY_YEAR: dict[int, tuple[str, ...]] = {
    2021: (
        *_CORE,
        "npq-aso-december",
        "npq-aso-june",
        "npq-aso-march",
        "npq-aso-november",
        "npq-ehco-june",
    ),
    2022: (*_CORE, *_EHCO_ALL),
    2023: (*_CORE, *_EHCO_ALL),
    2024: (
        "npq-leadership-autumn",
        "npq-specialist-autumn",
        "npq-ehco-june",
        "npq-ehco-november",
        "npq-ehco-december",
    ),
}


def _schedule(identifier: str, cohort: Cohort) -> Schedule:
    group, month, offset = _SCHEDULE_SHAPES[identifier]
    types = _NO_RETAINED_2 if group is CourseGroup.SPECIALIST else DECLARATION_TYPES
    applies_from = date(cohort.start_year + offset, month, 1)
    return Schedule(identifier, cohort.identifier, group, applies_from, types)


SCHEDULES: tuple[Schedule, ...] = tuple(
    _schedule(identifier, cohort)
    for cohort in COHORTS
    for identifier in _SCHEDULES_BY_YEAR.get(cohort.start_year, (*_CORE, *_EHCO_ALL))
)
SCHEDULES_BY_KEY = {(s.cohort, s.identifier): s for s in SCHEDULES}


def schedules_for(cohort: str, course_identifier: str) -> list[Schedule]:
    """Return the schedules of a cohort that a course can follow."""
    group = COURSES[course_identifier]
    return [s for s in SCHEDULES if s.cohort == cohort and s.course_group is group]


def has_contract(cohort: str, course_identifier: str) -> bool:
    """Tell whether the seed gives providers a contract for a course in a cohort.

    DfE's seeds give every provider a contract for every course and cohort except primary
    mathematics before 2023 and SENCO before 2024.
    """
    year = COHORTS_BY_ID[cohort].start_year
    if course_identifier == "npq-leading-primary-mathematics":
        return year >= 2023
    if course_identifier == "npq-senco":
        return year >= 2024
    return True


def seed_contracts() -> frozenset[tuple[str, str]]:
    """Return the (cohort, course) pairs every provider holds a contract for in the seed."""
    return frozenset(
        (cohort.identifier, course)
        for cohort in COHORTS
        for course in COURSES
        if has_contract(cohort.identifier, course)
    )
