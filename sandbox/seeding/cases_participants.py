"""Guaranteed participant cases: every course and funding mode, deferred, withdrawn, merged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from npq_sandbox.domain.states import StatementState, TrainingStatus
from npq_sandbox.seeding.casekit import (
    declare_within,
    early_part,
    enrolled,
    soon_after,
    whole,
    window,
)
from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.seeding.journeys import change_training_status, merge_duplicate
from npq_sandbox.seeding.people import ITT_PROVIDERS, SCOTLAND, another_country

# course, cohort, funded place on accept (ignored outside capped cohorts), variety shown.
# ASO exists only in 2021 and EHCO is given a 2022 cohort; SENCO has contracts from 2024.
COVERAGE: tuple[tuple[str, str, bool, str | None], ...] = (
    ("npq-headship", "2025a", True, None),
    ("npq-senco", "2025a", False, None),
    ("npq-senior-leadership", "2026a", False, None),
    ("npq-executive-leadership", "2023a", False, "scotland"),
    ("npq-early-years-leadership", "2024a", True, "childcare"),
    ("npq-leading-behaviour-culture", "2022a", False, "abroad"),
    ("npq-leading-literacy", "2024a", True, "no_email"),
    ("npq-leading-primary-mathematics", "2023a", False, "unverified_trn"),
    ("npq-leading-teaching", "2025b", True, "targeted"),
    ("npq-leading-teaching-development", "2026b", True, "lead_mentor"),
    ("npq-early-headship-coaching-offer", "2022a", False, None),
    ("npq-additional-support-offer", "2021a", False, None),
)
_PERSON_EXTRAS: dict[str, dict[str, Any]] = {
    "no_email": {"email": None},
    "unverified_trn": {"trn_verified": False},
}
_APPLICATION_EXTRAS: dict[str, Callable[[Dataset], dict[str, Any]]] = {
    "scotland": lambda ds: SCOTLAND,
    "abroad": another_country,
    "childcare": lambda ds: {
        "private_childcare_provider_urn": "EY" + ds.digits(6),
        "school_urn": None,
        "school_ukprn": None,
        "works_in_school": False,
    },
    "targeted": lambda ds: {"targeted_delivery_funding_eligibility": True},
    "lead_mentor": lambda ds: {"lead_mentor": True, "itt_provider": ds.pick(ITT_PROVIDERS)},
}
# Case name of the application (or, for person extras, the participant) showing each variety.
_NAMES = {
    "scotland": "application_outside_england",
    "abroad": "application_another_country",
    "childcare": "application_private_childcare",
    "no_email": "participant_without_email",
    "unverified_trn": "participant_unverified_trn",
    "targeted": "application_targeted_delivery",
    "lead_mentor": "application_lead_mentor",
}


def coverage_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """Active participants on all twelve courses, in full, capped and zero cohorts."""
    accepted = [_covering(ds, provider_id, *row) for row in COVERAGE]
    cases = {_NAMES[extra]: ident for extra, ident in accepted if extra is not None}
    headship, senco, zero, full = (ident for _, ident in accepted[:4])
    person = ds.applications[headship].participant_id
    return {
        **cases,
        "active_participant": person,
        "accepted_application": headship,
        "accepted_capped_funded_application": headship,
        "accepted_capped_unfunded_application": senco,
        "accepted_zero_application": zero,
        "accepted_full_application": full,
    }


def _covering(
    ds: Dataset, provider_id: str, course: str, cohort: str, funded_place: bool, extra: str | None
) -> tuple[str | None, str]:
    """Enrol one person; return the variety shown and the id that shows it."""
    person = _PERSON_EXTRAS.get(extra or "", {})
    fields = _APPLICATION_EXTRAS[extra](ds) if extra in _APPLICATION_EXTRAS else {}
    application = enrolled(
        ds, provider_id, course, cohort, funded_place=funded_place, person=person, **fields
    )
    return extra, application.participant_id if person else application.id


def training_status_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """A participant deferred after an eligible start, and one withdrawn after starting."""
    deferred = enrolled(ds, provider_id, "npq-senior-leadership", "2025a")
    open_window = window(ds, provider_id, "2025a", StatementState.OPEN)
    started = declare_within(ds, deferred, "started", early_part(open_window))
    change_training_status(
        ds, deferred, TrainingStatus.DEFERRED, "parental-leave", soon_after(ds, started.created_at)
    )
    withdrawn = enrolled(ds, provider_id, "npq-leading-literacy", "2024a")
    payable = window(ds, provider_id, "2024a", StatementState.PAYABLE)
    begun = declare_within(ds, withdrawn, "started", whole(payable))
    change_training_status(
        ds,
        withdrawn,
        TrainingStatus.WITHDRAWN,
        "personal-reason-moving-school",
        soon_after(ds, begun.created_at),
    )
    return {
        "deferred_participant": deferred.participant_id,
        "deferred_application": deferred.id,
        "deferred_started_declaration": started.id,
        "withdrawn_participant": withdrawn.participant_id,
        "withdrawn_application": withdrawn.id,
        "withdrawn_started_declaration": begun.id,
    }


def merged_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """An accepted participant into whom a duplicate user (a random old id) was merged."""
    application = enrolled(ds, provider_id, "npq-leading-teaching", "2024a")
    person = ds.participants[application.participant_id]
    accepted_at = application.accepted_at or person.created_at
    change = merge_duplicate(ds, person, soon_after(ds, accepted_at))
    return {
        "merged_from_participant_id": change.from_participant_id,
        "merged_participant": person.id,
        "merged_application": application.id,
    }
