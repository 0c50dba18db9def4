"""The states records move through, as DfE names them.

Rules: docs/rules.md §5.6, §7.5, §8.7, §9.1 and §10.3.
"""

from __future__ import annotations

from enum import StrEnum


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class RejectionReason(StrEnum):
    REGISTRATION_EXPIRED = "registration_expired"
    REJECTED_BY_PROVIDER = "rejected_by_provider"
    OTHER_APPLICATION_ACCEPTED = "other_application_in_this_cohort_accepted"


class TrainingStatus(StrEnum):
    ACTIVE = "active"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"


class DeclarationState(StrEnum):
    """Declaration states as stored; the API shows them dasherized (see `api_name`)."""

    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    PAYABLE = "payable"
    PAID = "paid"
    VOIDED = "voided"
    AWAITING_CLAWBACK = "awaiting_clawback"
    CLAWED_BACK = "clawed_back"

    @property
    def api_name(self) -> str:
        return self.value.replace("_", "-")


# Declarations that will be, or have been, paid: they block duplicates and some changes.
LIVE_DECLARATION_STATES = frozenset(
    {
        DeclarationState.SUBMITTED,
        DeclarationState.ELIGIBLE,
        DeclarationState.PAYABLE,
        DeclarationState.PAID,
    }
)
# Statement items in these states give a declaration its `statement_id` ...
PAYMENT_ITEM_STATES = frozenset(
    {DeclarationState.ELIGIBLE, DeclarationState.PAYABLE, DeclarationState.PAID}
)
# ... and in these its `clawback_statement_id`.
CLAWBACK_ITEM_STATES = frozenset({DeclarationState.AWAITING_CLAWBACK, DeclarationState.CLAWED_BACK})


class OutcomeState(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    VOIDED = "voided"


class StatementState(StrEnum):
    OPEN = "open"
    PAYABLE = "payable"
    PAID = "paid"


DEFERRAL_REASONS = ("bereavement", "long-term-sickness", "parental-leave", "career-break", "other")
WITHDRAWAL_REASONS = (
    "insufficient-capacity-to-undertake-programme",
    "personal-reason-health-or-pregnancy-related",
    "personal-reason-moving-school",
    "personal-reason-other",
    "insufficient-capacity",
    "change-in-developmental-or-personal-priorities",
    "change-in-school-circumstances",
    "change-in-school-leadership",
    "quality-of-programme-structure-not-suitable.",
    "quality-of-programme-content-not-suitable",
    "quality-of-programme-facilitation-not-effective",
    "quality-of-programme-accessibility",
    "quality-of-programme-other",
    "programme-not-appropriate-for-role-and-cpd-needs",
    "started-in-error",
    "expected-commitment-unclear",
    "assessment-requirements-not-met",
    "change-in-career",
    "disengaged-and-unresponsive",
    "non-payment-of-invoice",
    "other",
)
