"""Funding rules that decide what applications and declarations show."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from npq_sandbox.domain import funding
from npq_sandbox.domain.records import Application
from npq_sandbox.domain.states import ApplicationStatus

T0 = datetime(2025, 5, 1, tzinfo=UTC)
BASE = Application(
    id="a1",
    participant_id="p1",
    lead_provider_id="lp",
    course_identifier="npq-headship",
    cohort="2025a",
    status=ApplicationStatus.PENDING,
    eligible_for_funding=True,
    created_at=T0,
    updated_at=T0,
)
FUNDED_EARLIER = replace(BASE, id="a0", status=ApplicationStatus.ACCEPTED, cohort="2024a")


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (FUNDED_EARLIER, True),
        (replace(FUNDED_EARLIER, funded_place=True), True),
        (replace(FUNDED_EARLIER, funded_place=False), False),
        (replace(FUNDED_EARLIER, eligible_for_funding=False), False),
        (replace(FUNDED_EARLIER, status=ApplicationStatus.REJECTED), False),
        (replace(FUNDED_EARLIER, status=ApplicationStatus.PENDING), False),
        (replace(FUNDED_EARLIER, course_identifier="npq-senior-leadership"), False),
        (replace(BASE, status=ApplicationStatus.ACCEPTED), False),  # itself
    ],
)
def test_previously_funded(other: Application, expected: bool) -> None:
    assert funding.is_previously_funded(BASE, [BASE, other]) is expected


def test_aso_and_ehco_fund_each_other() -> None:
    ehco = replace(BASE, course_identifier="npq-early-headship-coaching-offer")
    aso = replace(FUNDED_EARLIER, course_identifier="npq-additional-support-offer")
    assert funding.is_previously_funded(ehco, [aso])


@pytest.mark.parametrize(
    ("application", "previously_funded", "eligible", "reason"),
    [
        (BASE, False, True, None),
        (BASE, True, False, "previously-funded"),
        (replace(BASE, funded_by_policy=True), True, True, "previously-funded"),
        (replace(BASE, eligible_for_funding=False), False, False, "establishment-ineligible"),
        (replace(BASE, eligible_for_funding=False), True, False, "previously-funded"),
    ],
)
def test_shown_eligibility_and_reason(
    application: Application, previously_funded: bool, eligible: bool, reason: str | None
) -> None:
    assert funding.shown_eligible_for_funding(application, previously_funded) is eligible
    assert funding.ineligible_for_funding_reason(application, previously_funded) == reason


@pytest.mark.parametrize(
    ("application", "previously_funded", "expected"),
    [
        (BASE, False, True),
        (replace(BASE, funded_place=True), False, True),
        (replace(BASE, funded_place=False), False, False),
        (replace(BASE, eligible_for_funding=False), False, False),
        (BASE, True, False),
        (replace(BASE, funded_by_policy=True), True, True),
    ],
)
def test_fundable(application: Application, previously_funded: bool, expected: bool) -> None:
    assert funding.is_fundable(application, previously_funded) is expected


@pytest.mark.parametrize(
    ("course", "targeted", "declaration_type", "paid", "expected"),
    [
        ("npq-headship", True, "started", True, True),
        ("npq-headship", False, "started", True, False),
        ("npq-headship", True, "retained-1", True, False),
        ("npq-headship", True, "started", False, False),
        ("npq-early-headship-coaching-offer", True, "started", True, False),
        ("npq-additional-support-offer", True, "started", True, False),
    ],
)
def test_uplift(
    course: str, targeted: bool, declaration_type: str, paid: bool, expected: bool
) -> None:
    assert funding.has_uplift(course, targeted, declaration_type, paid) is expected
