"""Statements: a provider's output-fee ones as it sees them, and those its writes move."""

from __future__ import annotations

from datetime import date
from typing import Any

from npq_sandbox.domain.listing import Filters, Page
from npq_sandbox.domain.records import Statement
from npq_sandbox.domain.states import StatementState
from npq_sandbox.store.paging import paged, start_year
from npq_sandbox.store.remembered import remember
from npq_sandbox.store.rows import first, records
from npq_sandbox.store.schema import statements
from sqlalchemy import Connection, Select, bindparam, select


def list_statements(
    conn: Connection, provider_id: str, filters: Filters, page: Page
) -> list[Statement]:
    """Return one page of the provider's output-fee statements, by payment date."""
    query = _visible(provider_id, filters).order_by(statements.c.payment_date, statements.c.id)
    return records(conn, Statement, paged(query, page))


def get_statement(
    conn: Connection, provider_id: str, statement_id: str, filters: Filters
) -> Statement | None:
    """Return one statement; DfE applies the list filters here too, so they can hide it."""
    query = _visible(provider_id, filters).where(statements.c.id == statement_id)
    return first(conn, Statement, query)


def _visible(provider_id: str, filters: Filters) -> Select[Any]:
    query = select(statements).where(
        statements.c.lead_provider_id == provider_id, statements.c.output_fee.is_(True)
    )
    if filters.cohort_years is not None:
        years = [str(y) for y in filters.cohort_years]
        query = query.where(start_year(statements.c.cohort).in_(years))
    if filters.updated_since is not None:
        query = query.where(statements.c.updated_at >= filters.updated_since)
    return query


def next_output_fee_statement(
    conn: Connection, provider_id: str, cohort: str, today: date
) -> Statement | None:
    """Return where DfE attaches a new payment or clawback: the provider's next statement.

    That is the earliest open output-fee statement of the cohort whose deadline is today or
    later (DfE's `LeadProvider#next_output_fee_statement`).
    """
    params = {"provider": provider_id, "cohort": cohort, "today": today}
    return first(conn, Statement, _NEXT_OUTPUT_FEE, params)


# Built once, as a declaration POST runs it (values are bound parameters); statements
# change only on DfE's side, so it is answered from memory while they stand still.
_NEXT_OUTPUT_FEE = remember(
    select(statements)
    .where(
        statements.c.lead_provider_id == bindparam("provider"),
        statements.c.cohort == bindparam("cohort"),
        statements.c.output_fee.is_(True),
        statements.c.state == StatementState.OPEN.value,
        statements.c.deadline_date >= bindparam("today"),
    )
    .order_by(statements.c.deadline_date, statements.c.id)
)


def cohort_statements(conn: Connection, provider_id: str, cohort: str) -> list[Statement]:
    """Return every statement of a provider in a cohort (output-fee or not)."""
    query = select(statements).where(
        statements.c.lead_provider_id == provider_id, statements.c.cohort == cohort
    )
    return records(conn, Statement, query)
