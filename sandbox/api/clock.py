""" "Now" for a request: DfE's `X-With-Server-Date` header, else the provider's sandbox clock.

DfE's test environments run a request with the clock frozen at `X-With-Server-Date`. The
sandbox also keeps a clock per lead provider (set through `/sandbox/clock`) that runs ahead of
real time by a fixed offset. Times are whole seconds: DfE shows none finer, and a client that
sends back a time it was shown must meet the same instant.

Rules: docs/rules.md §12.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import g, request
from npq_sandbox.api.context import connection, provider
from npq_sandbox.domain import messages
from npq_sandbox.domain.errors import BadRequest
from npq_sandbox.store.settings import clock_offset

HEADER = "X-With-Server-Date"
# The instants "now" may be, by header or by clock: far enough either way for any cohort,
# bounded so that date arithmetic never overflows and every stored year has four digits.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC)


def check_server_date() -> None:
    """Parse the header early, as DfE's middleware does, so a bad value fails before anything."""
    value = request.headers.get(HEADER)
    g.npq_server_date = None if value is None else _parse(value)


def _parse(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
        if moment.tzinfo is None:  # Rails' Time.zone.parse reads a zoneless time in UTC
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):  # unparseable, or off the calendar once in UTC
        raise BadRequest(messages.SANDBOX_BAD_SERVER_DATE) from None
    if not EARLIEST <= moment <= LATEST:
        raise BadRequest(messages.SANDBOX_SERVER_DATE_RANGE)
    return moment


def real_now() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """Return the request's "now", to the second."""
    moment: datetime | None = g.get("npq_server_date")
    if moment is None:
        moment = real_now() + timedelta(seconds=clock_offset(connection(), provider().id))
    return moment.replace(microsecond=0)
