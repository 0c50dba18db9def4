"""The training-status machine and DfE's check order for the four participant actions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from npq_sandbox.domain import messages as m
from npq_sandbox.domain import participants as rules
from npq_sandbox.domain.errors import ValidationFailed
from npq_sandbox.domain.records import Application, Declaration, TrainingStatusChange
from npq_sandbox.domain.reference import seed_contracts
from npq_sandbox.domain.states import ApplicationStatus, DeclarationState, TrainingStatus

from tests.helpers import NOW_AT

SEEDED = seed_contracts()

ACTIVE, DEFERRED, WITHDRAWN = TrainingStatus
Action = rules.Action
HEADSHIP = {"course_identifier": "npq-headship"}
DEFER = {**HEADSHIP, "reason": "bereavement"}
WITHDRAW = {**HEADSHIP, "reason": "other"}


def place(status: TrainingStatus = ACTIVE, **changes: Any) -> Application:
    """An accepted npq-headship place with Ambition, 2025a, on npq-leadership-autumn."""
    application = Application(
        id="app-1",
        participant_id="person-1",
        lead_provider_id="provider-1",
        course_identifier="npq-headship",
        cohort="2025a",
        status=ApplicationStatus.ACCEPTED,
        eligible_for_funding=True,
        created_at=datetime(2025, 5, 1, tzinfo=UTC),
        updated_at=datetime(2025, 5, 1, tzinfo=UTC),
        training_status=status,
        schedule_identifier="npq-leadership-autumn",
        accepted_at=datetime(2025, 5, 2, tzinfo=UTC),
        funded_place=True,
    )
    return replace(application, **changes)


def declared(
    kind: str = "started",
    state: DeclarationState = DeclarationState.ELIGIBLE,
    on: datetime = datetime(2026, 2, 1, 10, tzinfo=UTC),
) -> Declaration:
    return Declaration(
        id=f"declaration-{kind}-{state}",
        application_id="app-1",
        lead_provider_id="provider-1",
        cohort="2025a",
        declaration_type=kind,
        declaration_date=on,
        state=state,
        created_at=on,
        updated_at=on,
    )


def refused(call: Any, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        call(*args, **kwargs)
    return caught.value.errors


def run(action: Action, application: Application | None, declarations: list[Declaration]) -> Any:
    """Perform an action with attributes it accepts, for the transition table's cases."""
    if action is Action.DEFER:
        return rules.defer(application, DEFER, declarations=declarations, now=NOW_AT)
    if action is Action.RESUME:
        return rules.resume(application, HEADSHIP, now=NOW_AT)
    if action is Action.WITHDRAW:
        return rules.withdraw(application, WITHDRAW, declarations=declarations, now=NOW_AT)
    move = {**HEADSHIP, "schedule_identifier": "npq-leadership-spring"}
    return rules.change_schedule(
        application, move, declarations=declarations, contracts=SEEDED, now=NOW_AT
    )


# --- The transition table ---------------------------------------------------------------------

ALLOWED = [
    (Action.DEFER, ACTIVE, DEFERRED),
    (Action.RESUME, DEFERRED, ACTIVE),
    (Action.RESUME, WITHDRAWN, ACTIVE),
    (Action.WITHDRAW, ACTIVE, WITHDRAWN),
    (Action.WITHDRAW, DEFERRED, WITHDRAWN),
    (Action.CHANGE_SCHEDULE, ACTIVE, ACTIVE),
    (Action.CHANGE_SCHEDULE, DEFERRED, DEFERRED),
]
FORBIDDEN = [
    (Action.DEFER, DEFERRED, m.ALREADY_DEFERRED),
    (Action.DEFER, WITHDRAWN, m.ALREADY_WITHDRAWN),
    (Action.RESUME, ACTIVE, m.ALREADY_ACTIVE),
    (Action.WITHDRAW, WITHDRAWN, m.ALREADY_WITHDRAWN),
    (Action.CHANGE_SCHEDULE, WITHDRAWN, m.ALREADY_WITHDRAWN),
]


def test_every_action_and_status_is_either_allowed_or_refused() -> None:
    allowed = {(action, before) for action, before, _ in ALLOWED}
    forbidden = {(action, before) for action, before, _ in FORBIDDEN}
    assert allowed | forbidden == {(a, s) for a in Action for s in TrainingStatus}
    assert not allowed & forbidden
    assert allowed == {(a, s) for a, table in rules.TRANSITIONS.items() for s in table}
    assert forbidden == set(rules.REFUSALS)


@pytest.mark.parametrize(("action", "before", "after"), ALLOWED)
def test_allowed_transition(action: Action, before: TrainingStatus, after: TrainingStatus) -> None:
    # In 2023a the move to npq-leadership-spring stays in the cohort, declarations or not.
    result = run(action, place(before, cohort="2023a"), [declared()])
    changed = result if action is Action.CHANGE_SCHEDULE else result.application
    assert changed.training_status is after
    assert changed.updated_at == NOW_AT


@pytest.mark.parametrize(("action", "before", "message"), FORBIDDEN)
def test_forbidden_transition(action: Action, before: TrainingStatus, message: str) -> None:
    assert refused(run, action, place(before), [declared()]) == [("participant_id", message)]


@pytest.mark.parametrize(
    ("action", "reason", "state"),
    [
        (Action.DEFER, "bereavement", DEFERRED),
        (Action.WITHDRAW, "other", WITHDRAWN),
    ],
)
def test_history_row_records_state_reason_provider_and_time(
    action: Action, reason: str, state: TrainingStatus
) -> None:
    change = run(action, place(ACTIVE), [declared()])
    assert change.history == TrainingStatusChange("app-1", "provider-1", state, reason, NOW_AT)


def test_resume_history_row_has_no_reason() -> None:
    change = rules.resume(place(DEFERRED), HEADSHIP, now=NOW_AT)
    assert change.history == TrainingStatusChange("app-1", "provider-1", ACTIVE, None, NOW_AT)


# --- Shared rules, and their order ------------------------------------------------------------


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("course", [None, "", "npq-foo", 7])
def test_unknown_course_hides_the_missing_application(action: Action, course: Any) -> None:
    attributes = {"course_identifier": course, "reason": "other", "schedule_identifier": "x"}
    problems = refused(_with_attributes, action, None, attributes)
    assert problems[0] == ("course_identifier", m.COURSE_NOT_RECOGNISED)
    assert ("participant_id", m.NO_ACCEPTED_APPLICATION_FOR_COURSE) not in problems


def _with_attributes(action: Action, application: Application | None, given: Any) -> Any:
    if action is Action.DEFER:
        return rules.defer(application, given, declarations=[], now=NOW_AT)
    if action is Action.RESUME:
        return rules.resume(application, given, now=NOW_AT)
    if action is Action.WITHDRAW:
        return rules.withdraw(application, given, declarations=[], now=NOW_AT)
    return rules.change_schedule(application, given, declarations=[], contracts=SEEDED, now=NOW_AT)


def test_defer_reason_is_checked_after_the_course_and_together_with_it() -> None:
    given = {"course_identifier": "npq-foo", "reason": "holiday"}
    assert refused(_with_attributes, Action.DEFER, None, given) == [
        ("course_identifier", m.COURSE_NOT_RECOGNISED),
        ("reason", m.INVALID_REASON),
    ]


def test_defer_missing_application_and_bad_reason_are_reported_together() -> None:
    assert refused(_with_attributes, Action.DEFER, None, {**HEADSHIP, "reason": "x"}) == [
        ("participant_id", m.NO_ACCEPTED_APPLICATION_FOR_COURSE),
        ("reason", m.INVALID_REASON),
    ]


def test_defer_reports_every_failing_rule() -> None:
    given = {**HEADSHIP, "reason": "holiday"}
    problems = refused(rules.defer, place(DEFERRED), given, declarations=[], now=NOW_AT)
    assert problems == [
        ("reason", m.INVALID_REASON),
        ("participant_id", m.ALREADY_DEFERRED),
        ("participant_id", m.DEFER_WITHOUT_DECLARATIONS),
    ]


@pytest.mark.parametrize("state", list(DeclarationState))
def test_defer_accepts_a_declaration_in_any_state(state: DeclarationState) -> None:
    change = rules.defer(place(), DEFER, declarations=[declared("retained-1", state)], now=NOW_AT)
    assert change.application.training_status is DEFERRED


@pytest.mark.parametrize("state", list(DeclarationState))
def test_withdraw_accepts_a_started_declaration_in_any_state(state: DeclarationState) -> None:
    change = rules.withdraw(
        place(), WITHDRAW, declarations=[declared("started", state)], now=NOW_AT
    )
    assert change.application.training_status is WITHDRAWN


@pytest.mark.parametrize(
    ("application", "given", "expected"),
    [
        # The started-declaration rule runs only while nothing else failed.
        (place(WITHDRAWN), WITHDRAW, [("participant_id", m.ALREADY_WITHDRAWN)]),
        (place(), {**HEADSHIP, "reason": "bored"}, [("reason", m.INVALID_REASON)]),
        (None, WITHDRAW, [("participant_id", m.NO_ACCEPTED_APPLICATION_FOR_COURSE)]),
        (place(), WITHDRAW, [("participant_id", m.WITHDRAW_WITHOUT_STARTED)]),
    ],
)
def test_withdraw_rule_order(
    application: Application | None, given: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    retained = [declared("retained-1")]
    assert (
        refused(rules.withdraw, application, given, declarations=retained, now=NOW_AT) == expected
    )


# --- Change schedule --------------------------------------------------------------------------


def move(application: Application | None, declarations: list[Declaration], **given: Any) -> Any:
    return rules.change_schedule(
        application,
        {**HEADSHIP, **given},
        declarations=declarations,
        contracts=SEEDED,
        now=NOW_AT,
    )


@pytest.mark.parametrize(
    ("cohort", "expected"),
    [
        ("2024", "2024a"),
        (2024, "2024a"),
        (2024.7, "2024a"),
        (" 2024", "2024a"),
        ("2024abc", "2024a"),
        ("+0002024.9", "2024a"),
        ("2025", "2025b"),  # b shadows a
        (None, "2025b"),  # the current schedule's year
        (False, "2025b"),
    ],
)
def test_target_cohort(cohort: Any, expected: str) -> None:
    moved = move(place(), [], schedule_identifier="npq-leadership-autumn", cohort=cohort)
    assert moved.cohort == expected


@pytest.mark.parametrize(
    "cohort",
    ["", "abc", True, "١٢", float("inf"), float("nan"), -2024, "9" * 5000, 10**40, 1e300],
)
def test_cohort_that_finds_no_schedule(cohort: Any) -> None:
    problems = refused(
        move, place(), [], schedule_identifier="npq-leadership-autumn", cohort=cohort
    )
    assert problems == [("schedule_identifier", m.SCHEDULE_MUST_BE_PRESENT)]


def test_without_a_current_schedule_the_current_cohort_year_is_used() -> None:
    # 30 November 2026: the current cohort is 2026b.
    moved = move(place(schedule_identifier=None), [], schedule_identifier="npq-leadership-autumn")
    assert moved.cohort == "2026b"


def test_declaration_on_the_first_day_of_the_new_schedule_is_invalidated() -> None:
    # <= midnight of applies_from, unlike declaration creation's <.
    on_start = declared(on=datetime(2026, 1, 1, tzinfo=UTC))
    problems = refused(move, place(), [on_start], schedule_identifier="npq-leadership-spring")
    assert problems == [("schedule_identifier", m.SCHEDULE_CHANGE_INVALIDATES)]


def test_declaration_just_after_the_new_start_is_kept_but_blocks_the_cohort_move() -> None:
    after = declared(on=datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC))
    problems = refused(move, place(), [after], schedule_identifier="npq-leadership-spring")
    assert problems == [("cohort", m.COHORT_CHANGE_WITH_DECLARATIONS)]


def test_unknown_schedule_and_withdrawn_are_reported_together() -> None:
    problems = refused(move, place(WITHDRAWN), [], schedule_identifier="nope")
    assert problems == [
        ("schedule_identifier", m.SCHEDULE_MUST_BE_PRESENT),
        ("participant_id", m.ALREADY_WITHDRAWN),
    ]


def test_course_group_rule_waits_for_other_errors() -> None:
    problems = refused(move, place(WITHDRAWN), [], schedule_identifier="npq-specialist-autumn")
    assert problems == [("participant_id", m.ALREADY_WITHDRAWN)]


def test_contract_rule_runs_only_while_nothing_failed_yet() -> None:
    # Seeds hold no SENCO contract before 2024.
    given = {"course_identifier": "npq-senco", "schedule_identifier": "npq-leadership-autumn"}
    given["cohort"] = "2022"
    application = place(course_identifier="npq-senco", cohort="2023a")
    assert refused(
        rules.change_schedule, application, given, declarations=[], contracts=SEEDED, now=NOW_AT
    ) == [("cohort", m.NO_CONTRACT_FOR_COHORT_CHANGE)]
    # It comes before the withdrawn rule, so both are reported ...
    withdrawn = replace(application, training_status=WITHDRAWN)
    assert refused(
        rules.change_schedule, withdrawn, given, declarations=[], contracts=SEEDED, now=NOW_AT
    ) == [
        ("cohort", m.NO_CONTRACT_FOR_COHORT_CHANGE),
        ("participant_id", m.ALREADY_WITHDRAWN),
    ]
    # ... but after the shared rules, which hide it.
    assert refused(
        rules.change_schedule, None, given, declarations=[], contracts=SEEDED, now=NOW_AT
    ) == [("participant_id", m.NO_ACCEPTED_APPLICATION_FOR_COURSE)]


def test_cohort_rule_with_declarations_waits_for_other_errors() -> None:
    early = declared(on=datetime(2025, 11, 1, tzinfo=UTC))
    problems = refused(move, place(), [early], schedule_identifier="npq-leadership-spring")
    assert problems == [("schedule_identifier", m.SCHEDULE_CHANGE_INVALIDATES)]


def test_same_schedule_and_invalidated_declaration_are_reported_together() -> None:
    late_type = declared("retained-2", on=datetime(2026, 2, 1, tzinfo=UTC))
    specialist = place(
        course_identifier="npq-leading-teaching",
        cohort="2024a",
        schedule_identifier="npq-specialist-autumn",
    )
    given = {
        "course_identifier": "npq-leading-teaching",
        "schedule_identifier": "npq-specialist-autumn",
    }
    problems = refused(
        rules.change_schedule,
        specialist,
        given,
        declarations=[late_type],
        contracts=SEEDED,
        now=NOW_AT,
    )
    assert problems == [
        ("schedule_identifier", m.SCHEDULE_CHANGE_INVALIDATES),
        ("schedule_identifier", m.ALREADY_ON_SCHEDULE),
    ]


@pytest.mark.parametrize(
    ("before", "cohort", "expected"),
    [
        ("2024a", 2023, [("cohort", m.COHORT_CAPPED_TO_FULL)]),
        ("2026a", 2025, [("cohort", m.COHORT_UNFUNDED_TO_FUNDED)]),
        ("2026a", 2023, [("cohort", m.COHORT_UNFUNDED_TO_FUNDED)]),
    ],
)
def test_funding_rules(before: str, cohort: int, expected: list[tuple[str, str]]) -> None:
    application = place(cohort=before)
    given = {"schedule_identifier": "npq-leadership-autumn", "cohort": cohort}
    assert refused(move, application, [], **given) == expected


@pytest.mark.parametrize(
    ("before", "funded_place", "eligible", "cohort", "after", "expected"),
    [
        ("2023a", None, True, 2024, "2024a", True),  # full -> capped: copies eligibility
        ("2023a", None, False, 2024, "2024a", False),
        ("2024a", False, True, 2025, "2025b", False),  # capped -> capped: kept
        ("2024a", True, True, 2026, "2026b", True),
        ("2023a", None, True, 2022, "2022a", None),  # full -> full: kept
    ],
)
def test_funded_place_after_a_move(
    before: str,
    funded_place: bool | None,
    eligible: bool,
    cohort: int,
    after: str,
    expected: bool | None,
) -> None:
    application = place(cohort=before, funded_place=funded_place, eligible_for_funding=eligible)
    moved = move(application, [], schedule_identifier="npq-leadership-autumn", cohort=cohort)
    assert (moved.cohort, moved.funded_place, moved.training_status) == (after, expected, ACTIVE)
