"""Monthly statements per provider and cohort, in the states DfE's processing gives them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime

from npq_sandbox.domain.records import Statement
from npq_sandbox.domain.reference import COHORTS, LEAD_PROVIDERS, Cohort
from npq_sandbox.domain.states import StatementState
from npq_sandbox.seeding.books import StatementBook, paid_at, payable_at
from npq_sandbox.seeding.clock import TODAY, add_months, days
from npq_sandbox.seeding.dataset import Dataset, revise

# DfE's richer sandbox generator covers three years, so 2024 contracts are still open in late
# 2026 while 2021-2023 have ended.
MONTHS_PER_COHORT = 36
OUTPUT_FEE_MONTHS = frozenset({3, 6, 9, 12})
# DfE's process_statements marks only statements of 2023 onwards paid; older ones stay payable.
FIRST_PAID_YEAR = 2023


@dataclass(frozen=True)
class _Draft:
    month: date
    deadline: date
    payment: date
    output_fee: bool


def add_statements(ds: Dataset, providers: Collection[str]) -> None:
    """Write the providers' statements for every cohort and index them for attachment."""
    for provider in (p for p in LEAD_PROVIDERS if p.id in providers):
        for cohort in COHORTS:
            ds.statements.extend(_cohort_statements(ds, provider.id, cohort))
    ds.statement_book = StatementBook(ds.statements)


def _cohort_statements(ds: Dataset, provider_id: str, cohort: Cohort) -> list[Statement]:
    drafts = [
        _draft(add_months(date(cohort.start_year, 2, 1), n), n == MONTHS_PER_COHORT - 1)
        for n in range(MONTHS_PER_COHORT)
    ]
    latest = _latest_past_output_fee(drafts)
    created = datetime(cohort.start_year, 1, 1, 9, tzinfo=UTC)
    return [_statement(ds, provider_id, cohort, d, _state(d, latest), created) for d in drafts]


def _draft(month: date, last: bool) -> _Draft:
    deadline = month - days(6)
    output_fee = last or month.month in OUTPUT_FEE_MONTHS
    return _Draft(month, deadline, add_months(deadline, 1), output_fee)


def _latest_past_output_fee(drafts: list[_Draft]) -> date | None:
    past = [d.deadline for d in drafts if d.output_fee and d.deadline < TODAY]
    return max(past, default=None)


def _state(draft: _Draft, latest: date | None) -> StatementState:
    """Apply DfE's process_statements as of SEED_NOW to one statement."""
    if latest is None or draft.deadline > latest:
        return StatementState.OPEN
    if draft.deadline == latest or draft.month.year < FIRST_PAID_YEAR:
        return StatementState.PAYABLE
    return StatementState.PAID


def _statement(
    ds: Dataset,
    provider_id: str,
    cohort: Cohort,
    draft: _Draft,
    state: StatementState,
    created: datetime,
) -> Statement:
    statement = Statement(
        id=ds.new_id(),
        lead_provider_id=provider_id,
        cohort=cohort.identifier,
        month=draft.month.month,
        year=draft.month.year,
        deadline_date=draft.deadline,
        payment_date=draft.payment,
        output_fee=draft.output_fee,
        state=state,
        created_at=created,
        updated_at=created,
    )
    if state is StatementState.PAYABLE:
        return _touched(statement, payable_at(draft.deadline))
    return _touched(statement, paid_at(statement)) if state is StatementState.PAID else statement


def _touched(statement: Statement, at: datetime) -> Statement:
    return revise(statement, updated_at=at)
