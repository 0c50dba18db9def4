"""Outcomes: those recorded on declarations the provider made, and the latest of each."""

from __future__ import annotations

from typing import Any

from npq_sandbox.domain.listing import Filters, Page
from npq_sandbox.domain.records import Outcome, OutcomeView
from npq_sandbox.store.paging import paged
from npq_sandbox.store.rows import first, from_row
from npq_sandbox.store.schema import applications, declarations, outcomes
from sqlalchemy import ColumnElement, Connection, Select, literal_column, select

# The order outcomes were recorded in. Times are kept to the second and DfE's are finer, so two
# outcomes of one second are told apart by insertion order (SQLite's rowid), as DfE's times
# would tell them apart: the newest is the one recorded last (docs/rules.md §9.2).
RECORDED: tuple[ColumnElement[Any], ...] = (
    outcomes.c.created_at,
    literal_column("outcomes.rowid"),
)


def list_outcomes(
    conn: Connection,
    provider_id: str,
    filters: Filters,
    page: Page,
    participant_id: str | None = None,
) -> list[OutcomeView]:
    """Return one page of outcomes, optionally of one participant only."""
    query = (
        select(
            outcomes,
            applications.c.participant_id.label("person"),
            applications.c.course_identifier.label("course"),
        )
        .join(declarations, declarations.c.id == outcomes.c.declaration_id)
        .join(applications, applications.c.id == declarations.c.application_id)
        .where(declarations.c.lead_provider_id == provider_id)
    )
    if participant_id is not None:
        query = query.where(applications.c.participant_id == participant_id)
    if filters.created_since is not None:
        query = query.where(outcomes.c.created_at >= filters.created_since)
    query = paged(query.order_by(outcomes.c.created_at, outcomes.c.id), page)
    return [
        OutcomeView(from_row(Outcome, row), row["person"], row["course"])
        for row in conn.execute(query).mappings()
    ]


def latest_outcome_on(conn: Connection, declaration_id: str) -> Outcome | None:
    """The newest outcome recorded on the declaration."""
    return _newest(conn, select(outcomes).where(outcomes.c.declaration_id == declaration_id))


def latest_outcome_of(
    conn: Connection, provider_id: str, person_id: str, course: str
) -> Outcome | None:
    """The person's newest outcome on declarations the provider made for the course."""
    on_theirs = (
        select(outcomes)
        .join(declarations, declarations.c.id == outcomes.c.declaration_id)
        .join(applications, applications.c.id == declarations.c.application_id)
        .where(
            applications.c.participant_id == person_id,
            applications.c.course_identifier == course,
            declarations.c.lead_provider_id == provider_id,
        )
    )
    return _newest(conn, on_theirs)


def _newest(conn: Connection, query: Select[Any]) -> Outcome | None:
    newest_first = (column.desc() for column in RECORDED)
    return first(conn, Outcome, query.order_by(*newest_first))
