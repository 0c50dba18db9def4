"""The records the API exposes, as plain immutable values.

Rules: docs/rules.md §16.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from npq_sandbox.domain.states import (
    ApplicationStatus,
    DeclarationState,
    OutcomeState,
    RejectionReason,
    StatementState,
    TrainingStatus,
)


@dataclass(frozen=True)
class Participant:
    """A person (DfE's user); `updated_at` is their significant-update time."""

    id: str
    full_name: str
    email: str | None
    trn: str | None
    trn_verified: bool
    previous_names: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ParticipantIdChange:
    """A duplicate participant id merged into another; `created_at` is when it changed.

    `participant_id` is the person the change belongs to (lists it): at first the `to`
    person, later whoever that person is merged into, while `from` and `to` stay as made.
    """

    id: str
    from_participant_id: str
    to_participant_id: str
    participant_id: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Application:
    id: str
    participant_id: str
    lead_provider_id: str
    course_identifier: str
    cohort: str
    status: ApplicationStatus
    eligible_for_funding: bool
    created_at: datetime
    updated_at: datetime
    reason_for_rejection: RejectionReason | None = None
    training_status: TrainingStatus | None = None
    schedule_identifier: str | None = None
    accepted_at: datetime | None = None
    funded_by_policy: bool = False
    funded_place: bool | None = None
    teacher_catchment: str | None = "england"
    teacher_catchment_country: str | None = "United Kingdom of Great Britain and Northern Ireland"
    teacher_catchment_iso_country_code: str | None = "GBR"
    targeted_delivery_funding_eligibility: bool = False
    school_urn: str | None = None
    school_ukprn: str | None = None
    private_childcare_provider_urn: str | None = None
    itt_provider: str | None = None
    employer_name: str | None = None
    employment_role: str | None = None
    headteacher_status: str | None = None
    funding_choice: str | None = None
    works_in_school: bool | None = None
    lead_mentor: bool = False
    works_as_senco: str | None = None
    senco_start_date: date | None = None


@dataclass(frozen=True)
class TrainingStatusChange:
    """One row of an application's training-status history, per lead provider."""

    application_id: str
    lead_provider_id: str
    state: TrainingStatus
    reason: str | None
    created_at: datetime


@dataclass(frozen=True)
class Declaration:
    id: str
    application_id: str
    lead_provider_id: str
    cohort: str
    declaration_type: str
    declaration_date: datetime
    state: DeclarationState
    created_at: datetime
    updated_at: datetime
    delivery_partner_id: str | None = None
    secondary_delivery_partner_id: str | None = None
    state_reason: str | None = None
    superseded_by_id: str | None = None


@dataclass(frozen=True)
class StatementItem:
    statement_id: str
    declaration_id: str
    state: DeclarationState


@dataclass(frozen=True)
class Outcome:
    id: str
    declaration_id: str
    state: OutcomeState
    completion_date: date
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Statement:
    id: str
    lead_provider_id: str
    cohort: str
    month: int
    year: int
    deadline_date: date
    payment_date: date
    output_fee: bool
    state: StatementState
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Contract:
    """A lead provider's contract for a course in a cohort.

    Without one, DfE refuses the provider's declarations and schedule changes for that pair.
    """

    lead_provider_id: str
    cohort: str
    course_identifier: str


@dataclass(frozen=True)
class DeliveryPartner:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Partnership:
    delivery_partner_id: str
    lead_provider_id: str
    cohort: str


@dataclass(frozen=True)
class Enrolment:
    """An accepted application as a participant's enrolment, with its latest status change."""

    application: Application
    email: str | None
    last_change: TrainingStatusChange | None = None


@dataclass(frozen=True)
class ParticipantView:
    """A participant as one lead provider sees them."""

    participant: Participant
    enrolments: tuple[Enrolment, ...]
    id_changes: tuple[ParticipantIdChange, ...]
    updated_at: datetime


@dataclass(frozen=True)
class ApplicationView:
    application: Application
    participant: Participant
    previously_funded: bool


@dataclass(frozen=True)
class DeclarationView:
    declaration: Declaration
    application: Application
    lead_provider_name: str
    delivery_partner_name: str | None
    secondary_delivery_partner_name: str | None
    statement_id: str | None
    clawback_statement_id: str | None
    latest_outcome: OutcomeState | None


@dataclass(frozen=True)
class OutcomeView:
    outcome: Outcome
    participant_id: str
    course_identifier: str


@dataclass(frozen=True)
class DeliveryPartnerView:
    partner: DeliveryPartner
    cohort_years: tuple[int, ...] = field(default_factory=tuple)
