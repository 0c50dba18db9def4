"""Ordering and paging of list queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from npq_sandbox.domain.listing import Page, SortFields
from sqlalchemy import ColumnElement, Select, Table, func


def ordered(
    query: Select[Any], table: Table, sort: SortFields | None, default: Sequence[ColumnElement[Any]]
) -> Select[Any]:
    """Apply a client's `sort` over any column of `table`, else the default order.

    As in DfE's API, a `sort` naming no known column leaves the query without ORDER BY.
    """
    if sort is None:
        return query.order_by(*default)
    columns = [(table.c[name], desc) for name, desc in sort if name in table.c]
    return query.order_by(*(c.desc() if desc else c.asc() for c, desc in columns))


# SQLite's largest integer; a page beyond it is simply past the end.
_MAX_OFFSET = 2**63 - 1
# From this many rows skipped, a list whose visibility rule selects few of a table's rows is
# cheaper to sort whole than to walk in index order skipping the invisible ones.
DEEP_OFFSET = 1000


def is_deep(page: Page) -> bool:
    """Whether skipping to `page` costs more than sorting every visible row."""
    return page.offset >= DEEP_OFFSET


def paged(query: Select[Any], page: Page) -> Select[Any]:
    return query.limit(page.size).offset(bounded_offset(page))


def bounded_offset(page: Page) -> int:
    """The rows a page skips, within what SQLite can count."""
    return min(page.offset, _MAX_OFFSET)


def start_year(column: ColumnElement[str]) -> ColumnElement[str]:
    """The start year of a cohort identifier such as ``2025b``."""
    return func.substr(column, 1, 4)
