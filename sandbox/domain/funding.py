"""Funding rules that decide what applications and declarations show.

Rules: docs/rules.md §6.
"""

from __future__ import annotations

from collections.abc import Iterable

from npq_sandbox.domain.records import Application
from npq_sandbox.domain.reference import OUTCOME_COURSES, same_course
from npq_sandbox.domain.states import ApplicationStatus


def is_previously_funded(application: Application, others: Iterable[Application]) -> bool:
    """Tell whether the person already holds another funded, accepted place on this course."""
    return any(
        other.id != application.id
        and other.status is ApplicationStatus.ACCEPTED
        and other.eligible_for_funding
        and other.funded_place is not False
        and same_course(other.course_identifier, application.course_identifier)
        for other in others
    )


def shown_eligible_for_funding(application: Application, previously_funded: bool) -> bool:
    """Return the `eligible_for_funding` an application shows."""
    if previously_funded and not application.funded_by_policy:
        return False
    return application.eligible_for_funding


def ineligible_for_funding_reason(application: Application, previously_funded: bool) -> str | None:
    """Return why an application is not fundable, in DfE's words, or None."""
    if previously_funded:
        return "previously-funded"
    if not application.eligible_for_funding:
        return "establishment-ineligible"
    return None


def is_fundable(application: Application, previously_funded: bool) -> bool:
    """Tell whether a declaration on this application is paid for (`eligible`, not `submitted`)."""
    return (
        shown_eligible_for_funding(application, previously_funded)
        and application.funded_place is not False
    )


def has_uplift(
    course_identifier: str,
    targeted_delivery_funding: bool,
    declaration_type: str,
    paid_or_clawed: bool,
) -> bool:
    """Tell whether a declaration carries the targeted-delivery uplift payment."""
    return (
        course_identifier in OUTCOME_COURSES
        and paid_or_clawed
        and declaration_type == "started"
        and targeted_delivery_funding
    )
