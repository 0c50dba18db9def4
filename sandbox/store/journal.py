"""The journal of /api/v3 requests: one row per request, read back per provider."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from sandbox.domain.listing import Page
from sandbox.store.paging import paged
from sandbox.store.schema import journal as table


@dataclass(frozen=True)
class JournalFilters:
    """What `GET /sandbox/journal` may filter on; None means not given."""

    method: str | None = None
    path: str | None = None  # an fnmatch glob
    since: datetime | None = None


def record(conn: Connection, provider_id: str, entry: Mapping[str, Any]) -> None:
    """Append one entry (the columns of `journal` other than id and provider)."""
    record_many(conn, [(provider_id, entry)])


def record_many(conn: Connection, entries: list[tuple[str, Mapping[str, Any]]]) -> None:
    """Append entries in order, in one statement."""
    if entries:
        rows = [{"lead_provider_id": provider_id, **entry} for provider_id, entry in entries]
        conn.execute(insert(table), rows)


def entries(
    conn: Connection, provider_id: str, filters: JournalFilters, page: Page
) -> list[dict[str, Any]]:
    """Return a page of the provider's entries matching `filters`, oldest first."""
    query = select(table).where(table.c.lead_provider_id == provider_id)
    if filters.method is not None:
        query = query.where(table.c.method == filters.method.upper())
    if filters.since is not None:
        query = query.where(table.c.time >= filters.since)
    if filters.path is not None:
        query = query.where(_glob(filters.path))
    rows = conn.execute(paged(query.order_by(table.c.id), page)).mappings()
    return [dict(row) for row in rows]


def clear(conn: Connection, provider_id: str | None = None) -> None:
    """Delete the provider's entries, or every entry when `provider_id` is None."""
    query = delete(table)
    if provider_id is not None:
        query = query.where(table.c.lead_provider_id == provider_id)
    conn.execute(query)


def _glob(pattern: str) -> Any:
    """Match the path against an fnmatch pattern, translated to SQLite's GLOB.

    fnmatch and GLOB agree on `*`, `?` and `[...]` except that fnmatch negates a class with
    `!` and GLOB with `^`.
    """
    return table.c.path.op("GLOB")(pattern.replace("[!", "[^"))
