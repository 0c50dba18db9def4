"""Pure functions from domain values to DfE's JSON envelope, attributes in DfE's order."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from typing import Any

from npq_sandbox.domain import funding
from npq_sandbox.domain.records import (
    ApplicationView,
    DeclarationView,
    DeliveryPartnerView,
    Enrolment,
    OutcomeView,
    ParticipantIdChange,
    ParticipantView,
    Statement,
)
from npq_sandbox.domain.reference import COHORTS_BY_ID
from npq_sandbox.domain.states import (
    CLAWBACK_ITEM_STATES,
    DeclarationState,
    OutcomeState,
    StatementState,
    TrainingStatus,
)

Json = dict[str, Any]
# Stored catchments that DfE shows as `teacher_catchment: true`.
_UK_AND_ISLANDS = {
    "england",
    "scotland",
    "wales",
    "northern_ireland",
    "jersey_guernsey_isle_of_man",
}


def timestamp(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC without fractional seconds, as DfE renders every time."""
    if moment is None:
        return None
    # The ISO form's first 19 characters are DfE's, at a fraction of strftime's cost.
    return f"{moment.astimezone(UTC).isoformat()[:19]}Z"


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def resource(type_: str, id_: str, attributes: Json) -> Json:
    return {"id": id_, "type": type_, "attributes": attributes}


def application(view: ApplicationView) -> Json:
    a, person, previously_funded = view.application, view.participant, view.previously_funded
    cohort = COHORTS_BY_ID[a.cohort]
    return resource(
        "npq_application",
        a.id,
        {
            "course_identifier": a.course_identifier,
            "email": person.email,
            "email_validated": True,
            "employer_name": a.employer_name,
            "employment_role": a.employment_role,
            "full_name": person.full_name,
            "funding_choice": a.funding_choice,
            "headteacher_status": a.headteacher_status,
            "ineligible_for_funding_reason": funding.ineligible_for_funding_reason(
                a, previously_funded
            ),
            "participant_id": a.participant_id,
            "private_childcare_provider_urn": a.private_childcare_provider_urn,
            "teacher_reference_number": person.trn if person.trn_verified else None,
            "teacher_reference_number_validated": person.trn_verified,
            "school_urn": a.school_urn,
            "school_ukprn": a.school_ukprn,
            "status": a.status.value,
            "reason_for_rejection": a.reason_for_rejection,
            "works_in_school": a.works_in_school,
            "cohort": str(cohort.start_year),
            "cohort_suffix": cohort.suffix,
            "eligible_for_funding": funding.shown_eligible_for_funding(a, previously_funded),
            "targeted_delivery_funding_eligibility": a.targeted_delivery_funding_eligibility,
            "teacher_catchment": a.teacher_catchment in _UK_AND_ISLANDS,
            "teacher_catchment_country": a.teacher_catchment_country,
            "teacher_catchment_iso_country_code": a.teacher_catchment_iso_country_code,
            "itt_provider": a.itt_provider,
            "lead_mentor": a.lead_mentor,
            "funded_place": a.funded_place,
            "created_at": timestamp(a.created_at),
            "updated_at": timestamp(max(a.updated_at, person.updated_at)),
            "schedule_identifier": a.schedule_identifier,
            "works_as_senco": a.works_as_senco,
            "senco_start_date": day(a.senco_start_date),
        },
    )


def participant(view: ParticipantView) -> Json:
    person = view.participant
    return resource(
        "npq-participant",
        person.id,
        {
            "full_name": person.full_name,
            "previous_names": list(person.previous_names),
            "teacher_reference_number": person.trn if person.trn_verified else None,
            "updated_at": timestamp(view.updated_at),
            "npq_enrolments": [enrolment(e) for e in view.enrolments],
            "participant_id_changes": [id_change(c) for c in view.id_changes],
        },
    )


def enrolment(e: Enrolment) -> Json:
    a = e.application
    cohort = COHORTS_BY_ID[a.cohort]
    return {
        "email": e.email,
        "course_identifier": a.course_identifier,
        "schedule_identifier": a.schedule_identifier,
        "cohort": str(cohort.start_year),
        "cohort_suffix": cohort.suffix,
        "npq_application_id": a.id,
        "eligible_for_funding": a.eligible_for_funding,
        "training_status": a.training_status,
        "school_urn": a.school_urn,
        "targeted_delivery_funding_eligibility": a.targeted_delivery_funding_eligibility,
        "withdrawal": _status_change(e, TrainingStatus.WITHDRAWN),
        "deferral": _status_change(e, TrainingStatus.DEFERRED),
        "created_at": timestamp(a.accepted_at),
        "funded_place": a.funded_place,
    }


def _status_change(e: Enrolment, state: TrainingStatus) -> Json | None:
    change = e.last_change
    if e.application.training_status is not state or change is None or change.state is not state:
        return None
    return {"reason": change.reason, "date": timestamp(change.created_at)}


def id_change(change: ParticipantIdChange) -> Json:
    return {
        "from_participant_id": change.from_participant_id,
        "to_participant_id": change.to_participant_id,
        "changed_at": timestamp(change.created_at),
    }


def declaration(view: DeclarationView) -> Json:
    d, a = view.declaration, view.application
    return resource(
        "participant-declaration",
        d.id,
        {
            "participant_id": a.participant_id,
            "declaration_type": d.declaration_type,
            "course_identifier": a.course_identifier,
            "declaration_date": timestamp(d.declaration_date),
            "state": d.state.api_name,
            "has_passed": _has_passed(view.latest_outcome),
            "statement_id": view.statement_id,
            "clawback_statement_id": view.clawback_statement_id,
            "uplift_paid": funding.has_uplift(
                a.course_identifier,
                a.targeted_delivery_funding_eligibility,
                d.declaration_type,
                d.state is DeclarationState.PAID or d.state in CLAWBACK_ITEM_STATES,
            ),
            "lead_provider_name": view.lead_provider_name,
            "ineligible_for_funding_reason": _duplicate_reason(d.state, d.state_reason),
            "created_at": timestamp(d.created_at),
            "delivery_partner_id": d.delivery_partner_id,
            "delivery_partner_name": view.delivery_partner_name,
            "secondary_delivery_partner_id": d.secondary_delivery_partner_id,
            "secondary_delivery_partner_name": view.secondary_delivery_partner_name,
            "application_id": a.id,
            "updated_at": timestamp(d.updated_at),
        },
    )


def _has_passed(latest: OutcomeState | None) -> bool | None:
    if latest is OutcomeState.PASSED:
        return True
    if latest is OutcomeState.FAILED:
        return False
    return None


def _duplicate_reason(state: DeclarationState, reason: str | None) -> str | None:
    # Only legacy duplicates carry a stored reason; DfE's create code never writes one.
    if state is DeclarationState.INELIGIBLE and reason == "duplicate":
        return "duplicate_declaration"
    return None


def outcome(view: OutcomeView) -> Json:
    o = view.outcome
    return resource(
        "participant-outcome",
        o.id,
        {
            "state": o.state.value,
            "completion_date": f"{o.completion_date.isoformat()}T00:00:00+00:00",
            "course_identifier": view.course_identifier,
            "participant_id": view.participant_id,
            "created_at": timestamp(o.created_at),
            "updated_at": timestamp(o.updated_at),
        },
    )


def statement(s: Statement) -> Json:
    return resource(
        "statement",
        s.id,
        {
            "month": calendar.month_name[s.month],
            "year": str(s.year),
            "cohort": s.cohort[:4],
            "cut_off_date": day(s.deadline_date),
            "payment_date": day(s.payment_date),
            "paid": s.state is StatementState.PAID,
            "created_at": timestamp(s.created_at),
            "updated_at": timestamp(s.updated_at),
        },
    )


def delivery_partner(view: DeliveryPartnerView) -> Json:
    p = view.partner
    return resource(
        "delivery-partner",
        p.id,
        {
            "name": p.name,
            "cohort": list(view.cohort_years),
            "created_at": timestamp(p.created_at),
            "updated_at": timestamp(p.updated_at),
        },
    )
