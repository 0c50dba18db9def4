from __future__ import annotations

import pytest
from npq_sandbox.domain.reference import (
    COHORTS,
    COURSES,
    LEAD_PROVIDERS,
    SCHEDULES_BY_KEY,
    has_contract,
    same_course,
    schedules_for,
)


def test_eight_providers_with_unique_ids_and_tokens() -> None:
    assert len(LEAD_PROVIDERS) == 8
    assert len({p.id for p in LEAD_PROVIDERS}) == len({p.token for p in LEAD_PROVIDERS}) == 8


def test_twelve_courses() -> None:
    assert len(COURSES) == 12


def test_cohort_set_and_funding_modes() -> None:
    modes = {c.identifier: c.funding.value for c in COHORTS}
    assert modes == {
        "2021a": "full",
        "2022a": "full",
        "2023a": "full",
        "2024a": "capped",
        "2025a": "capped",
        "2025b": "capped",
        "2026a": "zero",
        "2026b": "capped",
    }


def test_specialist_schedules_have_no_retained_2() -> None:
    schedule = SCHEDULES_BY_KEY[("2025a", "npq-specialist-autumn")]
    assert schedule.allowed_declaration_types == ("started", "retained-1", "completed")
    assert str(schedule.applies_from) == "2025-10-01"


def test_spring_schedule_applies_from_next_january() -> None:
    assert str(SCHEDULES_BY_KEY[("2025a", "npq-leadership-spring")].applies_from) == "2026-01-01"


def test_aso_only_in_2021() -> None:
    assert [s.cohort for s in schedules_for("2021a", "npq-additional-support-offer")] == [
        "2021a"
    ] * 4
    assert schedules_for("2025a", "npq-additional-support-offer") == []


def test_2024_has_no_spring_schedules() -> None:
    identifiers = {s.identifier for s in schedules_for("2024a", "npq-headship")}
    assert identifiers == {"npq-leadership-autumn"}


@pytest.mark.parametrize(
    ("cohort", "course", "expected"),
    [
        ("2022a", "npq-leading-primary-mathematics", False),
        ("2023a", "npq-leading-primary-mathematics", True),
        ("2023a", "npq-senco", False),
        ("2024a", "npq-senco", True),
        ("2021a", "npq-headship", True),
    ],
)
def test_contracts(cohort: str, course: str, expected: bool) -> None:
    assert has_contract(cohort, course) is expected


def test_aso_and_ehco_are_one_course() -> None:
    assert same_course("npq-additional-support-offer", "npq-early-headship-coaching-offer")
    assert not same_course("npq-headship", "npq-senior-leadership")
