"""DfE's delivery partner rules for a declaration (its model validations).

Rules: docs/rules.md §4.5 and §8.3.
"""

from __future__ import annotations

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.errors import Problems
from npq_sandbox.domain.records import Application
from npq_sandbox.domain.reference import COHORTS_BY_ID

# Declarations of cohorts from this start year on need a delivery partner (inside England).
PARTNER_REQUIRED_FROM = 2024
PRIMARY, SECONDARY = "delivery_partner_id", "secondary_delivery_partner_id"


def inside_catchment(application: Application) -> bool:
    """Teaching in England; before 2024 also a school whose URN starts with 1."""
    if application.teacher_catchment == "england":
        return True
    early = COHORTS_BY_ID[application.cohort].start_year < PARTNER_REQUIRED_FROM
    return early and (application.school_urn or "").startswith("1")


def check_partners(
    primary: str | None,
    secondary: str | None,
    *,
    application: Application,
    cohort: str,
    partnered: frozenset[str],
    problems: Problems,
    before: tuple[str | None, str | None] | None = None,
) -> None:
    """Check a declaration's partners, in DfE's order; `before` holds a stored one's partners.

    `primary` and `secondary` are ids of partners that exist (or None); `partnered` the ids
    partnered with the caller in the declaration's cohort. Unchanged partners of a stored
    declaration are neither required again nor re-checked against the partnerships.
    """
    inside = inside_catchment(application)
    primary_changed = before is None or primary != before[0]
    secondary_changed = before is None or secondary != before[1]
    required = COHORTS_BY_ID[cohort].start_year >= PARTNER_REQUIRED_FROM
    if primary is None and inside and required and primary_changed:
        problems.add(PRIMARY, m.partner_must_be_present(PRIMARY))
    if primary is not None and not inside:
        problems.add(PRIMARY, m.partner_outside_england(PRIMARY))
    if primary is not None and primary_changed and primary not in partnered:
        problems.add(PRIMARY, m.partner_not_confirmed(PRIMARY))
    if secondary is not None and primary is None:
        problems.add(SECONDARY, m.SECONDARY_WITHOUT_PRIMARY)
    if secondary is not None and primary is not None and not inside:
        problems.add(SECONDARY, m.partner_outside_england(SECONDARY))
    if secondary is not None and secondary_changed and secondary not in partnered:
        problems.add(SECONDARY, m.partner_not_confirmed(SECONDARY))
    if primary is not None and primary == secondary:
        problems.add(SECONDARY, m.SECONDARY_SAME_AS_PRIMARY)
