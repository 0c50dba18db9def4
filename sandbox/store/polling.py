"""A provider polling its declarations for changes (`filter[updated_since]`): queries built once.

Clients poll `GET /participant-declarations?filter[updated_since]=...` again and again, so the
pages of that filter alone run queries compiled at import, straight on the driver
(`store.lean`); other filter combinations are built per request (`declarations.page_ids`).
Who sees a declaration (`visible_to`) lives here too: the polled queries are built from it at
import, and so are `declarations`' own, which import this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from npq_sandbox.domain.listing import Page
from npq_sandbox.store.paging import bounded_offset
from npq_sandbox.store.rows import scalar, tuples
from npq_sandbox.store.schema import applications, declarations
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.engine import Connection

# An `updated_since` window of fewer changed declarations than this is read through the
# `updated_at` index (clients poll for recent changes); a wider one through the provider's.
RECENT_ROWS = 5000


def visible_to(
    provider_id: str | ColumnElement[Any], *, by_time: bool = False
) -> ColumnElement[bool]:
    """Made by the provider, or on an application it owns.

    Both sides are indexed: SQLite unions two index searches. With `by_time`, `|| ''` keeps it
    off them: it reads the window from the `updated_at` index and looks up each row's application.
    """
    if by_time:
        owned = exists().where(
            applications.c.id == declarations.c.application_id,
            applications.c.lead_provider_id == provider_id,
        )
        return or_(declarations.c.lead_provider_id + "" == provider_id, owned)
    return or_(
        declarations.c.lead_provider_id == provider_id,
        declarations.c.application_id.in_(
            select(applications.c.id).where(applications.c.lead_provider_id == provider_id)
        ),
    )


def is_recent(conn: Connection, since: datetime) -> bool:
    """Whether fewer than `RECENT_ROWS` declarations changed since then (counted in the index)."""
    return (scalar(conn, _RECENT, {"since": since}) or 0) < RECENT_ROWS


def changed_ids(conn: Connection, provider_id: str, since: datetime, page: Page) -> list[str]:
    """One page of the ids of the declarations the provider sees that changed since then."""
    given = {"provider": provider_id, "since": since, "size": page.size}
    given["offset"] = bounded_offset(page)
    return [row[0] for row in tuples(conn, _CHANGED[is_recent(conn, since)], given)]


def _since() -> BindParameter[Any]:
    return bindparam("since", type_=declarations.c.updated_at.type)


def _changed(by_time: bool) -> Select[Any]:
    visible = visible_to(
        bindparam("provider", type_=declarations.c.lead_provider_id.type), by_time=by_time
    )
    return (
        select(declarations.c.id)
        .where(visible)
        .where(declarations.c.updated_at >= _since())
        .order_by(declarations.c.created_at, declarations.c.id)
        .limit(bindparam("size"))
        .offset(bindparam("offset"))
    )


_WINDOW = (
    select(literal_column("1"))
    .select_from(declarations)
    .where(declarations.c.updated_at >= _since())
    .limit(RECENT_ROWS)
    .subquery()
)
# Built once: polled again and again.
_RECENT = select(func.count()).select_from(_WINDOW)
_CHANGED = {by_time: _changed(by_time) for by_time in (False, True)}
