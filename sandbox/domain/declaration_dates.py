"""Reading `declaration_date` and `completion_date` values as DfE's Rails code reads them.

Rules: docs/rules.md §2.2, §8.3 and §9.2.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.errors import BadRequest

# DfE's declaration date validator: RFC 3339, zone optional, case-insensitive.
RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([.,]\d+)?(Z|[+-]\d{2}(:?\d{2})?)?", re.IGNORECASE
)
# What Rails' datetime cast (Ruby's lenient `Date._parse`) makes of ISO-like text: a date, then
# optionally a time after `T` or spaces, whose seconds may be missing, and a zone. So
# `2025-11-03T10:00Z`, `2025-11-03 10:00:00` and `2025-11-03` all cast to a time that DfE's
# RFC 3339 check then refuses with its one message.
_CASTABLE = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|UTC|GMT|(?:UTC|GMT)?[+-]\d{2}(?::?\d{2})?)?\s*",
    re.IGNORECASE,
)
_COMPLETION_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Ruby's `[[:space:]]`, Unicode's White_Space: Python's own idea of whitespace also takes in
# the control characters U+001C to U+001F, which Rails does not count as blank.
_BLANK = re.compile("[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*")


def is_blank(value: Any) -> bool:
    """Ruby's `blank?`: nil, false, an empty hash or array, a whitespace-only string."""
    if value is None or value is False or value == {} or value == []:
        return True
    return isinstance(value, str) and _BLANK.fullmatch(value) is not None


def cast_time(value: Any) -> datetime | None:
    """Return the UTC instant Rails casts a request value to, or None when it cannot.

    A date alone is midnight UTC; an offset is converted to UTC. Like Ruby's `Time.utc`, a day
    29 to 31 that the month lacks rolls over into the next month instead of failing. Values
    that are not strings never cast here (DfE fails on them with a 500; the sandbox reports
    them as a missing, badly formatted date instead).
    """
    found = _CASTABLE.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in found.groups()[:6])
    if not (year >= 1 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    if not (hour <= 23 and minute <= 59 and second <= 59):
        return None
    fraction = (found.group(7) or "0")[:6].ljust(6, "0")
    moment = datetime(year, month, 1, hour, minute, second, int(fraction), tzinfo=UTC)
    try:
        return moment + timedelta(days=day - 1) - _offset(found.group(8))
    except OverflowError:  # beyond year 9999 once the offset is applied
        return None


def _offset(zone: str | None) -> timedelta:
    zone = (zone or "Z").upper().removeprefix("UTC").removeprefix("GMT")
    if zone in ("", "Z"):
        return timedelta(0)
    digits = zone[1:].replace(":", "")
    span = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return span if zone[0] == "+" else -span


def is_rfc3339(value: Any) -> bool:
    """Tell whether a declaration date passes DfE's format check (pattern, then a real parse)."""
    if not isinstance(value, str) or RFC3339.fullmatch(value) is None:
        return False
    return cast_time(value) is not None


def rfc3339(moment: datetime) -> str:
    """Format an instant as DfE shows times: UTC, `Z`, whole seconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def has_completion_date_format(value: Any) -> bool:
    """DfE's completion date pattern is not anchored: any `dddd-dd-dd` inside will do."""
    return _COMPLETION_DATE.search(ruby_string(value)) is not None


def completion_date(value: Any) -> date:
    """Parse a completion date that passed the format check, as Ruby's `to_date` does.

    A well-formed but impossible date (`2021-13-01`) makes DfE's future-date check raise an
    ArgumentError, answered as a 400 "invalid date". DfE's own spec still expects a 422 format
    error there (that validation was removed later); the sandbox follows the code path.
    """
    found = _COMPLETION_DATE.search(ruby_string(value))
    assert found is not None  # callers check the format first
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        raise BadRequest(m.INVALID_DATE) from None


def ruby_string(value: Any) -> str:
    """Ruby's `to_s` of a JSON value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
