"""/sandbox/clock: read, set, advance and clear the caller's sandbox clock.

The clock is stored as an offset in whole seconds from real time, so it runs on from the
instant it is set to. `sandbox.api.clock.now()` applies it to every request of the provider
(an `X-With-Server-Date` header still wins for its own request).

Rules: docs/rules.md §18.5.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response
from npq_sandbox.api import body, clock, serializers
from npq_sandbox.api.context import connection, provider
from npq_sandbox.api.render import render
from npq_sandbox.domain import messages as m
from npq_sandbox.domain.errors import Problems, ValidationFailed
from npq_sandbox.store.settings import clock_offset, set_clock_offset

bp = Blueprint("control_clock", __name__)
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
DAY_SECONDS = 86_400
LIMIT = 10**12  # seconds; well past the range, well within timedelta's


@bp.get("/clock")
def get_clock() -> Response:
    return _render(clock_offset(connection(), provider().id))


@bp.put("/clock")
def set_clock() -> Response:
    target = _instant(body.attributes(("now",)).get("now"))
    base = _real_now()
    return _store(int((target - base).total_seconds()), base, "now")


@bp.post("/clock/advance")
def advance_clock() -> Response:
    given = body.attributes(("days", "seconds"))
    step = _step(given)
    title = "days" if given.get("days") is not None else "seconds"
    return _store(clock_offset(connection(), provider().id) + step, _real_now(), title)


@bp.delete("/clock")
def reset_clock() -> Response:
    set_clock_offset(connection(), provider().id, None)
    return _render(0)


def _real_now() -> datetime:
    return clock.real_now().replace(microsecond=0)


def _instant(value: Any) -> datetime:
    if not isinstance(value, str) or not RFC3339.fullmatch(value.strip()):
        raise ValidationFailed([("now", m.SANDBOX_CLOCK_NOW)])
    try:
        moment = datetime.fromisoformat(value.strip().upper())
    except ValueError:  # a well-formed but impossible date such as 2026-02-30
        raise ValidationFailed([("now", m.SANDBOX_CLOCK_NOW)]) from None
    return moment.astimezone(UTC).replace(microsecond=0)


def _step(given: dict[str, Any]) -> int:
    """Return the seconds to move by; each given attribute must be a finite number."""
    problems = Problems()
    total = 0.0
    for name, unit in (("days", DAY_SECONDS), ("seconds", 1)):
        value = given.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
            problems.add(name, m.sandbox_must_be_number(name))
        else:  # held within LIMIT first: a number of hundreds of digits overflows a float
            total += max(-LIMIT, min(LIMIT, value)) * unit
    if not problems and all(given.get(n) is None for n in ("days", "seconds")):
        problems.add("days", m.SANDBOX_CLOCK_ADVANCE)
    problems.raise_any()
    # Clamped so that a huge step fails the range check instead of overflowing.
    return round(max(-LIMIT, min(LIMIT, total)))


def _finite(value: float) -> bool:
    # An int of hundreds of digits is finite, though too large to be a float.
    return isinstance(value, int) or math.isfinite(value)


def _store(offset: int, base: datetime, title: str) -> Response:
    offset = max(-LIMIT, min(LIMIT, offset))
    if not clock.EARLIEST - base <= timedelta(seconds=offset) <= clock.LATEST - base:
        raise ValidationFailed([(title, m.SANDBOX_CLOCK_RANGE)])
    set_clock_offset(connection(), provider().id, offset or None)
    return _render(offset, base)


def _render(offset: int, base: datetime | None = None) -> Response:
    moment = (base or _real_now()) + timedelta(seconds=offset)
    attributes = {"now": serializers.timestamp(moment), "offset_seconds": offset}
    return render({"id": provider().id, "type": "sandbox-clock", "attributes": attributes})
