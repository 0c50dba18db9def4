"""Guaranteed application cases: pending, rejected in each way, competing and multiple."""

from __future__ import annotations

from npq_sandbox.domain.states import RejectionReason
from npq_sandbox.seeding.casekit import again, newcomer, soon_after
from npq_sandbox.seeding.clock import days
from npq_sandbox.seeding.dataset import Dataset
from npq_sandbox.seeding.journeys import accept, merge_duplicate, reject


def pending_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """Pending applications in a full, a capped and the zero cohort; one person was merged.

    DfE's seeds give pending users a participant_id_change from a random id, so that id
    answers 410 even though its target is not (yet) a participant.
    """
    full = newcomer(ds, provider_id, "npq-leading-primary-mathematics", "2023a")
    capped = newcomer(ds, provider_id, "npq-senior-leadership", "2025a")
    zero = newcomer(ds, provider_id, "npq-leading-literacy", "2026a")
    change = merge_duplicate(
        ds, ds.participants[capped.participant_id], soon_after(ds, capped.created_at)
    )
    return {
        "pending_application": capped.id,
        "pending_application_2023a": full.id,
        "pending_application_2025a": capped.id,
        "pending_application_2026a": zero.id,
        "pending_merged_from_participant_id": change.from_participant_id,
    }


def rejection_cases(ds: Dataset, provider_id: str, other_id: str) -> dict[str, str]:
    """Rejected by the provider, expired by DfE, and lost to another provider's accept."""
    by_provider = newcomer(ds, provider_id, "npq-leading-teaching", "2025a")
    by_provider = reject(
        ds,
        by_provider,
        soon_after(ds, by_provider.created_at),
        RejectionReason.REJECTED_BY_PROVIDER,
    )
    expired = newcomer(ds, provider_id, "npq-executive-leadership", "2024a")
    expired = reject(
        ds,
        expired,
        soon_after(ds, expired.created_at + days(120)),
        RejectionReason.REGISTRATION_EXPIRED,
    )
    return {
        "rejected_by_provider_application": by_provider.id,
        "registration_expired_application": expired.id,
        **_lost_to_other_provider(ds, provider_id, other_id),
    }


def _lost_to_other_provider(ds: Dataset, provider_id: str, other_id: str) -> dict[str, str]:
    """Apply to both providers for one course and cohort; the other's accept rejects ours."""
    ours = newcomer(ds, provider_id, "npq-headship", "2025a")
    theirs = again(ds, ours, other_id, "npq-headship")
    theirs = accept(ds, theirs, soon_after(ds, theirs.created_at), funded_place=True)
    return {
        "rejected_other_accepted_application": ours.id,
        "other_provider_accepted_application": theirs.id,
    }


def multiple_application_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """One person with three applications to the provider: one accepted, two rejected."""
    first = newcomer(ds, provider_id, "npq-senior-leadership", "2024a")
    second = again(ds, first, provider_id, "npq-leading-literacy")
    third = again(ds, first, provider_id, "npq-leading-behaviour-culture", days(2))
    accepted = accept(ds, first, soon_after(ds, third.created_at), funded_place=True)
    reject(
        ds,
        second,
        soon_after(ds, accepted.accepted_at or third.created_at),
        RejectionReason.REJECTED_BY_PROVIDER,
    )
    reject(
        ds,
        third,
        soon_after(ds, third.created_at + days(120)),
        RejectionReason.REGISTRATION_EXPIRED,
    )
    return {
        "multi_application_participant": first.participant_id,
        "multi_application_accepted_application": accepted.id,
        "multi_application_rejected_application": second.id,
    }


def competing_cases(ds: Dataset, provider_id: str, other_id: str) -> dict[str, str]:
    """One person pending with two providers for the same course in the capped 2025a cohort."""
    ours = newcomer(ds, provider_id, "npq-leading-primary-mathematics", "2025a")
    theirs = again(ds, ours, other_id, "npq-leading-primary-mathematics")
    return {
        "competing_pending_application": ours.id,
        "competing_other_provider_application": theirs.id,
    }
