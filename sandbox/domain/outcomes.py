"""Recording a participant's result on their `completed` declaration (DfE's outcomes).

Rules: docs/rules.md §9.2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.declaration_dates import (
    completion_date,
    has_completion_date_format,
    is_blank,
    ruby_string,
)
from npq_sandbox.domain.errors import Problems
from npq_sandbox.domain.records import Declaration, Outcome
from npq_sandbox.domain.reference import OUTCOME_COURSES
from npq_sandbox.domain.states import DeclarationState, OutcomeState

RESULTS = ("passed", "failed")
# Completed declarations in these states can carry a result.
OUTCOME_DECLARATION_STATES = frozenset(
    {
        DeclarationState.SUBMITTED,
        DeclarationState.ELIGIBLE,
        DeclarationState.PAYABLE,
        DeclarationState.PAID,
        DeclarationState.INELIGIBLE,
    }
)


def record(
    given: Mapping[str, Any],
    declarations: Sequence[Declaration],
    latest: Outcome | None,
    *,
    outcome_id: str,
    now: datetime,
) -> Outcome:
    """Record a result (`passed` or `failed`), or return the latest one when it already says so.

    `declarations` are the participant's completed declarations for the course that can carry
    a result, newest first; `latest` is the newest outcome of the first of them.
    """
    when = _validate(given, declarations, now)
    state = OutcomeState(str(given["state"]))
    if latest is not None and latest.state is OutcomeState.PASSED and state is OutcomeState.PASSED:
        return latest  # a pass stands, whatever date is sent again
    if latest is not None and (latest.state, latest.completion_date) == (state, when):
        return latest
    return Outcome(outcome_id, declarations[0].id, state, when, now, now)


def _validate(given: Mapping[str, Any], declarations: Sequence[Declaration], now: datetime) -> Any:
    problems = Problems()
    course, state, raw = (given.get(k) for k in ("course_identifier", "state", "completion_date"))
    if ruby_string(course) not in OUTCOME_COURSES:
        problems.add("course_identifier", m.COURSE_NOT_RECOGNISED)
    if is_blank(course):
        problems.add("course_identifier", m.ENTER_COURSE_IDENTIFIER)
    if ruby_string(state) not in RESULTS:
        problems.add("state", m.OUTCOME_STATE_NOT_ALLOWED)
    if is_blank(state):
        problems.add("state", m.OUTCOME_STATE_MISSING)
    date_ok = _check_date_format(raw, problems)
    if not declarations:
        problems.add("base", m.NO_COMPLETED_DECLARATION)
    when = completion_date(raw) if date_ok else None  # may raise DfE's 400 "invalid date"
    if when is not None and when > now.date():
        problems.add("completion_date", m.COMPLETION_DATE_IN_FUTURE)
    problems.raise_any()
    return when


def _check_date_format(raw: Any, problems: Problems) -> bool:
    ok = True
    if is_blank(raw):
        problems.add("completion_date", m.COMPLETION_DATE_MISSING)
        ok = False
    if not has_completion_date_format(raw):
        problems.add("completion_date", m.COMPLETION_DATE_FORMAT)
        ok = False
    return ok


def can_carry_result(declaration: Declaration, course_identifier: str) -> bool:
    """Tell whether a declaration counts as the participant's `completed` one for a course."""
    return (
        declaration.declaration_type == "completed"
        and course_identifier in OUTCOME_COURSES
        and declaration.state in OUTCOME_DECLARATION_STATES
    )
