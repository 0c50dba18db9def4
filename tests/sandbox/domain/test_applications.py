"""The application status machine and its checks, as pure functions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from npq_sandbox.domain import applications as rules
from npq_sandbox.domain import messages as m
from npq_sandbox.domain.errors import NotFound, ValidationFailed
from npq_sandbox.domain.records import Application, Declaration
from npq_sandbox.domain.scheduling import current_cohort, default_schedule
from npq_sandbox.domain.states import (
    ApplicationStatus,
    DeclarationState,
    RejectionReason,
    TrainingStatus,
)

from tests.helpers import NOW_AT

PENDING, ACCEPTED, REJECTED = (
    ApplicationStatus.PENDING,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.REJECTED,
)


def _application(status: ApplicationStatus = PENDING, **changes: Any) -> Application:
    base = Application(
        id="app-1",
        participant_id="person-1",
        lead_provider_id="provider-1",
        course_identifier="npq-headship",
        cohort="2023a",
        status=status,
        eligible_for_funding=True,
        created_at=datetime(2023, 5, 1, tzinfo=UTC),
        updated_at=datetime(2023, 5, 1, tzinfo=UTC),
    )
    return replace(base, **changes)


def _declaration(state: DeclarationState) -> Declaration:
    return Declaration(
        id="decl-1",
        application_id="app-1",
        lead_provider_id="provider-1",
        cohort="2023a",
        declaration_type="started",
        declaration_date=NOW_AT,
        state=state,
        created_at=NOW_AT,
        updated_at=NOW_AT,
    )


def _messages(error: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple[str, str]]:
    return error.value.errors


# --- accept: pending -> accepted is the only way in --------------------------------------


def test_accept_moves_pending_to_accepted() -> None:
    accepted = rules.accept(_application(), {}, related=[], now=NOW_AT)
    a = accepted.application
    assert (a.status, a.training_status, a.accepted_at, a.updated_at) == (
        ACCEPTED,
        TrainingStatus.ACTIVE,
        NOW_AT,
        NOW_AT,
    )
    assert a.schedule_identifier == "npq-leadership-autumn"
    assert (accepted.history.state, accepted.history.created_at) == (TrainingStatus.ACTIVE, NOW_AT)


@pytest.mark.parametrize(
    ("status", "message"),
    [(ACCEPTED, m.ALREADY_ACCEPTED), (REJECTED, m.CANNOT_CHANGE_REJECTED)],
)
def test_accept_refuses_other_statuses(status: ApplicationStatus, message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.accept(_application(status), {}, related=[], now=NOW_AT)
    assert _messages(refused) == [("application", message)]


def test_accept_rejects_the_same_course_and_cohort_elsewhere() -> None:
    twin = _application(id="app-2", lead_provider_id="provider-2")
    other_course = _application(id="app-3", course_identifier="npq-senco")
    other_cohort = _application(id="app-4", cohort="2022a")
    accepted = rules.accept(
        _application(), {}, related=[twin, other_course, other_cohort], now=NOW_AT
    )
    assert [(a.id, a.status, a.reason_for_rejection) for a in accepted.rejected] == [
        ("app-2", REJECTED, RejectionReason.OTHER_APPLICATION_ACCEPTED)
    ]


@pytest.mark.parametrize(
    ("course", "training", "blocks"),
    [
        ("npq-headship", TrainingStatus.ACTIVE, True),
        ("npq-headship", TrainingStatus.DEFERRED, True),
        ("npq-headship", TrainingStatus.WITHDRAWN, False),
        ("npq-senco", TrainingStatus.ACTIVE, False),
    ],
)
def test_an_accepted_place_blocks_another(
    course: str, training: TrainingStatus, blocks: bool
) -> None:
    held = _application(ACCEPTED, id="app-2", course_identifier=course, training_status=training)
    if blocks:
        with pytest.raises(ValidationFailed) as refused:
            rules.accept(_application(), {}, related=[held], now=NOW_AT)
        assert _messages(refused) == [("application", m.ALREADY_HAD_ACCEPTED)]
    else:
        assert (
            rules.accept(_application(), {}, related=[held], now=NOW_AT).application.status
            is ACCEPTED
        )


def test_ehco_and_aso_are_one_course_when_blocking() -> None:
    ehco = _application(course_identifier="npq-early-headship-coaching-offer")
    aso = _application(ACCEPTED, id="app-2", course_identifier="npq-additional-support-offer")
    with pytest.raises(ValidationFailed):
        rules.accept(ehco, {}, related=[aso], now=NOW_AT)


@pytest.mark.parametrize(
    ("cohort", "funded_place", "expected"),
    [
        ("2025a", True, True),
        ("2025a", False, False),
        ("2023a", True, None),  # full cohorts ignore it
        ("2026a", False, False),
    ],
)
def test_accept_stores_funded_place_by_funding_mode(
    cohort: str, funded_place: bool, expected: bool | None
) -> None:
    application = _application(cohort=cohort, funded_place=False if cohort == "2026a" else None)
    accepted = rules.accept(application, {"funded_place": funded_place}, related=[], now=NOW_AT)
    assert accepted.application.funded_place is expected


def test_accept_reports_funded_place_before_status() -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.accept(_application(REJECTED, cohort="2025a"), {}, related=[], now=NOW_AT)
    assert _messages(refused) == [
        ("funded_place", m.SET_FUNDED_PLACE),
        ("application", m.CANNOT_CHANGE_REJECTED),
    ]


# --- reject: pending or accepted -> rejected ---------------------------------------------


@pytest.mark.parametrize("status", [PENDING, ACCEPTED])
def test_reject_moves_to_rejected(status: ApplicationStatus) -> None:
    rejected = rules.reject(_application(status), declarations=[], now=NOW_AT)
    assert (rejected.status, rejected.reason_for_rejection) == (
        REJECTED,
        RejectionReason.REJECTED_BY_PROVIDER,
    )


def test_reject_refuses_rejected() -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.reject(_application(REJECTED), declarations=[], now=NOW_AT)
    assert _messages(refused) == [("application", m.ALREADY_REJECTED)]


@pytest.mark.parametrize("state", list(DeclarationState))
def test_only_live_declarations_prevent_rejection(state: DeclarationState) -> None:
    live = state in {"submitted", "eligible", "payable", "paid"}
    application = _application(ACCEPTED)
    if live:
        with pytest.raises(ValidationFailed) as refused:
            rules.reject(application, declarations=[_declaration(state)], now=NOW_AT)
        assert _messages(refused) == [("application", m.DECLARATIONS_PREVENT_REJECTION)]
    else:
        assert rules.reject(application, declarations=[_declaration(state)], now=NOW_AT).status is (
            REJECTED
        )


# --- change funded place -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("application", "attributes", "expected"),
    [
        (
            _application(PENDING, cohort="2025a"),
            {"funded_place": True},
            m.ACCEPT_BEFORE_FUNDED_PLACE,
        ),
        (_application(ACCEPTED), {"funded_place": True}, m.FUNDED_PLACE_NOT_NEEDED),
        (
            _application(ACCEPTED, cohort="2025a", eligible_for_funding=False),
            {"funded_place": True},
            m.NOT_ELIGIBLE_CONTACT_US,
        ),
    ],
)
def test_change_funded_place_refusals(
    application: Application, attributes: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.change_funded_place(application, attributes, declarations=[], now=NOW_AT)
    assert _messages(refused) == [("application", expected)]


def test_change_funded_place_sets_the_value() -> None:
    application = _application(ACCEPTED, cohort="2025a", funded_place=True)
    changed = rules.change_funded_place(
        application, {"funded_place": False}, declarations=[], now=NOW_AT
    )
    assert (changed.funded_place, changed.updated_at) == (False, NOW_AT)


# --- default schedules -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cohort", "course", "today", "expected"),
    [
        ("2026a", "npq-headship", date(2026, 11, 30), "npq-leadership-spring"),
        ("2026b", "npq-leading-literacy", date(2026, 1, 5), "npq-specialist-autumn"),
        ("2025a", "npq-headship", date(2026, 4, 30), "npq-leadership-autumn"),
        ("2025a", "npq-headship", date(2025, 6, 6), "npq-leadership-spring"),
        ("2024a", "npq-headship", date(2025, 6, 6), "npq-leadership-autumn"),
        ("2023a", "npq-headship", date(2026, 4, 2), "npq-leadership-spring"),
        ("2023a", "npq-headship", date(2026, 12, 26), "npq-leadership-spring"),
        ("2023a", "npq-headship", date(2026, 12, 25), "npq-leadership-autumn"),
        ("2025a", "npq-early-headship-coaching-offer", date(2025, 11, 30), "npq-ehco-november"),
        ("2025a", "npq-early-headship-coaching-offer", date(2026, 2, 28), "npq-ehco-december"),
        ("2025a", "npq-early-headship-coaching-offer", date(2026, 5, 31), "npq-ehco-march"),
        ("2025a", "npq-early-headship-coaching-offer", date(2026, 9, 30), "npq-ehco-june"),
        ("2025a", "npq-early-headship-coaching-offer", date(2027, 1, 1), "npq-ehco-june"),
        ("2021a", "npq-early-headship-coaching-offer", date(2026, 1, 1), "npq-ehco-june"),
        ("2021a", "npq-additional-support-offer", date(2026, 1, 1), "npq-aso-december"),
    ],
)
def test_default_schedule(cohort: str, course: str, today: date, expected: str) -> None:
    assert default_schedule(cohort, course, today).identifier == expected


def test_default_schedule_missing_from_the_cohort_is_not_found() -> None:
    # 2024a has no spring leadership schedule; DfE's `find_by!` answers 404.
    with pytest.raises(NotFound):
        default_schedule("2024a", "npq-headship", date(2026, 1, 5))


def test_no_current_cohort_before_the_first_registration() -> None:
    assert current_cohort(date(2021, 4, 2)) is None
    assert current_cohort(date(2021, 4, 3)) == "2021a"
