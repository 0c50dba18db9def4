"""Which schedule an application follows: DfE's default on accept, and lookups by identifier.

Rules: docs/rules.md §4.3 and §7.7.
"""

from __future__ import annotations

from datetime import date, timedelta

from npq_sandbox.domain.errors import NotFound
from npq_sandbox.domain.reference import (
    COHORTS,
    COHORTS_BY_ID,
    COURSES,
    SCHEDULES,
    SCHEDULES_BY_KEY,
    CourseGroup,
    Schedule,
)


def default_schedule(cohort: str, course_identifier: str, today: date) -> Schedule:
    """Return the schedule DfE picks on accept when the provider names none.

    DfE looks the computed identifier up with `find_by!`, so an identifier the cohort lacks
    (e.g. a 2024 leadership accept on a "spring" date) answers 404, as here.
    """
    group = COURSES[course_identifier]
    if group in (CourseGroup.LEADERSHIP, CourseGroup.SPECIALIST):
        identifier = f"npq-{group.value}-{_core_season(cohort, today)}"
    elif group is CourseGroup.EHCO:
        identifier = _ehco_identifier(cohort, today)
    else:
        identifier = "npq-aso-december"
    found = SCHEDULES_BY_KEY.get((cohort, identifier))
    if found is None:
        raise NotFound()
    return found


def _core_season(cohort: str, today: date) -> str:
    """Leadership and specialist courses: DfE's date rules, the first match wins."""
    year = COHORTS_BY_ID[cohort].start_year
    if cohort == "2026a":
        return "spring"
    if cohort == "2026b":
        return "autumn"
    if year == 2025 and date(2025, 8, 1) <= today <= date(2026, 4, 30):
        return "autumn"
    if year in (2024, 2025) and date(2024, 6, 28) <= today <= date(2025, 6, 6):
        return "spring" if year == 2025 else "autumn"
    if today < date(today.year, 4, 3) or today >= date(today.year, 12, 26):
        return "spring"
    return "autumn"


def _ehco_identifier(cohort: str, today: date) -> str:
    year = COHORTS_BY_ID[cohort].start_year
    if year < 2022 or cohort == "2026a":
        # DfE takes any EHCO schedule of such a cohort: the first one it finds.
        first = next(
            s for s in SCHEDULES if s.cohort == cohort and s.course_group is CourseGroup.EHCO
        )
        return first.identifier
    day = timedelta(days=1)
    windows = (  # inclusive date ranges
        (date(year, 9, 1), date(year, 11, 30), "npq-ehco-november"),
        (date(year, 12, 1), date(year + 1, 3, 1) - day, "npq-ehco-december"),
        (date(year + 1, 3, 1), date(year + 1, 5, 31), "npq-ehco-march"),
        (date(year + 1, 6, 1), date(year + 1, 9, 30), "npq-ehco-june"),
    )
    for start, end, identifier in windows:
        if start <= today <= end:
            return identifier
    return "npq-ehco-june"


def schedule_in_cohort(cohort: str, identifier: str) -> Schedule | None:
    return SCHEDULES_BY_KEY.get((cohort, identifier))


def fits_course(schedule: Schedule, course_identifier: str) -> bool:
    """Tell whether a schedule's course group contains the course."""
    return COURSES.get(course_identifier) is schedule.course_group


def schedule_in_year(year: int, identifier: str) -> Schedule | None:
    """Find a schedule by identifier among a start year's cohorts, newest suffix first.

    So a `b` cohort shadows the `a` cohort of the same year, as in DfE's change-schedule.
    """
    cohorts = sorted((c for c in COHORTS if c.start_year == year), key=lambda c: c.suffix)
    for cohort in reversed(cohorts):
        found = SCHEDULES_BY_KEY.get((cohort.identifier, identifier))
        if found is not None:
            return found
    return None


def current_cohort(today: date) -> str | None:
    """Return DfE's `Cohort.current`: the latest cohort whose registration has started.

    None before the first cohort's registration opened.
    """
    started = [c for c in COHORTS if c.registration_start_date <= today]
    if not started:
        return None
    return max(started, key=lambda c: (c.start_year, c.suffix)).identifier
