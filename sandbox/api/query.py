"""Parsing of query strings: Rack-style nested keys, `filter[...]`, `page[...]` and `sort`.

Each parser raises the domain error DfE answers with; the list views call them in DfE's order.

Rules: docs/rules.md §3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote_plus

from npq_sandbox.domain import messages
from npq_sandbox.domain.declaration_dates import is_blank
from npq_sandbox.domain.errors import BadRequest, UnpermittedParameter
from npq_sandbox.domain.listing import DEFAULT_PER_PAGE, MAX_PER_PAGE, Page, SortFields

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_RUBY_INT = re.compile(r"^\s*([+-]?)(\d+(?:_\d+)*)", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)
# Ruby's integers have no size; ours stop here, far past any page or year, so that a number of
# thousands of digits neither fails to convert nor overflows SQLite's 64-bit integers.
INT_LIMIT = 10**18
_ISO8601 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$"
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def nested(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Fold `a[b][c]=v` query pairs into nested dicts as Rack does; `a[]=v` makes a list."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        parts = [match.group(1), *_SEGMENT.findall(match.group(2))] if match else [key]
        as_list = "" in parts
        parts = parts[: parts.index("")] if as_list else parts
        if not parts:  # Rack drops a pair with no name
            continue
        parent, last = _parent(out, parts), parts[-1]
        if as_list:
            current = parent.get(last)
            parent[last] = [*current, value] if isinstance(current, list) else [value]
        else:
            parent[last] = value
    return out


def _parent(out: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    """The dict that holds the last part, made (or replaced by a dict) along the way."""
    node = out
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    return node


def check_filter_shape(params: Mapping[str, Any]) -> None:
    """Refuse a `filter` that is not a nested object (DfE checks this before the token)."""
    if "filter" in params and not isinstance(params["filter"], dict):
        raise BadRequest(messages.INVALID_FILTER)


def filters(params: Mapping[str, Any]) -> dict[str, Any]:
    """Return the `filter[...]` object, blank values dropped (DfE ignores them).

    Blank is Rails' `blank?`: empty or whitespace only (`filter[cohort]=%20`), so a value of
    spaces is no filter at all, never a 400, a 422 or an empty list.
    """
    given = params.get("filter")
    if not isinstance(given, dict):
        return {}
    return {k: v for k, v in given.items() if not is_blank(v)}


def ruby_to_i(value: Any) -> int:
    """Convert like Ruby's String#to_i: the leading integer, or 0; held within INT_LIMIT."""
    if not isinstance(value, str):
        return 0
    match = _RUBY_INT.match(value)
    if match is None:
        return 0
    digits = match.group(2).replace("_", "").lstrip("0")
    magnitude = int(digits or "0") if len(digits) <= 18 else INT_LIMIT
    return -magnitude if match.group(1) == "-" else magnitude


def page(params: Mapping[str, Any]) -> Page:
    """Return the requested page; a non-nested `page=` is ignored, as DfE's strong params do."""
    given = params.get("page")
    if not isinstance(given, dict):
        return Page()
    number = ruby_to_i(given.get("page", "1"))
    size = min(ruby_to_i(given.get("per_page", str(DEFAULT_PER_PAGE))), MAX_PER_PAGE)
    if number < 1 or size < 1:
        raise BadRequest(messages.INVALID_PAGINATION)
    return Page(number, size)


def parse_iso8601(text: str) -> datetime | None:
    """Parse as Ruby's Time.iso8601 does; None when it would raise. No zone means UTC."""
    match = _ISO8601.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zone = match.group(7), match.group(8)
    try:
        moment = datetime(
            year,
            month,
            day,
            hour,
            minute,
            second,
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=_zone(zone),
        )
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):  # off the calendar, or pushed off it by the offset
        return None


def _zone(zone: str | None) -> timezone:
    if zone in (None, "Z"):
        return UTC
    sign = -1 if zone[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))


def date_filter(found: Mapping[str, Any], name: str) -> datetime | None:
    """Return `filter[name]` as a time, or raise DfE's 400 when it is not ISO 8601."""
    if name not in found:
        return None
    value = found[name]
    # DfE URL-decodes the value a second time, so a `+` in an offset becomes a space.
    moment = parse_iso8601(unquote_plus(value)) if isinstance(value, str) else None
    if moment is None:
        raise BadRequest(messages.invalid_date_filter(name))
    return moment


def uuid_list_filter(found: Mapping[str, Any], name: str) -> list[str] | None:
    """Return `filter[name]` as a list of UUIDs, or raise DfE's 400."""
    if name not in found:
        return None
    value = found[name]
    ids = value.split(",") if isinstance(value, str) else None
    if not ids or not all(_UUID.match(i) for i in ids):
        raise BadRequest(messages.invalid_uuid_list_filter(name))
    return ids


def year_list_filter(found: Mapping[str, Any], name: str = "cohort") -> list[int] | None:
    """Return a comma list of start years; values that are not years match nothing."""
    if name not in found:
        return None
    value = found[name]
    parts = value.split(",") if isinstance(value, str) else []
    return [ruby_to_i(p) for p in parts if _DIGITS.fullmatch(p.strip())]


def choice_filter(found: Mapping[str, Any], name: str, allowed: tuple[str, ...]) -> str | None:
    """Return a filter limited to `allowed`, or raise DfE's 422 "Unpermitted parameters"."""
    if name not in found:
        return None
    value = found[name]
    if value not in allowed:
        raise UnpermittedParameter(messages.filter_not_in(name, allowed))
    return str(value)


def is_uuid(text: str) -> bool:
    return bool(_UUID.match(text))


def sort(params: Mapping[str, Any]) -> SortFields | None:
    """Parse `sort=a,-b` into (field, descending) pairs; None when absent or blank."""
    value = params.get("sort")
    if not isinstance(value, str) or not value.strip():
        return None
    fields: SortFields = []
    for part in value.split(","):
        descending = part.startswith("-")
        name = part[1:] if part[:1] in "+-" and part else part
        fields.append((name, descending))
    return fields


def single_year_filter(found: Mapping[str, Any], name: str = "cohort") -> list[int] | None:
    """Return one start year, read as Rails casts it to an integer column.

    DfE does not split lists here; `2024,2025` is cast like Ruby's to_i, so it means 2024, and
    a value not starting with a number matches nothing. (Nothing documents this; we follow
    the cast.)
    """
    if name not in found:
        return None
    value = found[name]
    numeric = isinstance(value, str) and _RUBY_INT.match(value)
    return [ruby_to_i(value)] if numeric else []


def text_filter(found: Mapping[str, Any], name: str) -> str | None:
    """Return an unvalidated text filter; a nested value can match nothing, so it becomes ""."""
    if name not in found:
        return None
    value = found[name]
    return value if isinstance(value, str) else ""
