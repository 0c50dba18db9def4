"""Reading dates as DfE's Rails code reads them: docs/rules.md §3.3 and §8.3."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from npq_sandbox.domain.declaration_dates import cast_time, is_blank, is_rfc3339

TEN = datetime(2025, 11, 3, 10, tzinfo=UTC)
MIDNIGHT = datetime(2025, 11, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2025-11-03T10:00:00Z", TEN),
        ("2025-11-03T10:00Z", TEN),
        ("2025-11-03T10:00", TEN),
        ("2025-11-03 10:00:00", TEN),
        ("2025-11-03  10:00", TEN),
        ("2025-11-03t10:00:00z", TEN),
        ("2025-11-03T11:00+01:00", TEN),
        ("2025-11-03T10:00:00 UTC", TEN),
        ("2025-11-03T12:00:00GMT+02", TEN),
        ("2025-11-3T10:00:00Z", TEN),
        ("2025-11-03", MIDNIGHT),
        (" 2025-11-03 ", MIDNIGHT),
        ("2025-02-30T00:00:00Z", datetime(2025, 3, 2, tzinfo=UTC)),
    ],
)
def test_what_rails_casts_to_a_time(text: str, moment: datetime) -> None:
    assert cast_time(text) == moment


@pytest.mark.parametrize(
    "text",
    ["", "15/10/2025", "2025-13-01T10:00:00Z", "2025-11-03T25:00:00Z", "2025-11-03T10", "x", None],
)
def test_what_rails_cannot_cast(text: Any) -> None:
    assert cast_time(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "2025-11-03T10:00:00Z",
        "2025-11-03t10:00:00z",
        "2025-11-03T10:00:00",
        "2025-11-03T10:00:00.5+01:00",
        "2025-11-03T10:00:00,5-0130",
        "2025-11-03T10:00:00+01",
    ],
)
def test_rfc3339_as_dfe_checks_it(text: str) -> None:
    assert is_rfc3339(text)


@pytest.mark.parametrize(
    "text",
    [
        "2025-11-03T10:00Z",
        "2025-11-03T10:00",
        "2025-11-03",
        "2025-11-03 10:00:00Z",
        "2025-11-03T10:00:00 UTC",
        "2025-11-3T10:00:00Z",
        "2025-13-01T10:00:00Z",
        "",
        None,
        20251103,
    ],
)
def test_not_rfc3339(text: Any) -> None:
    assert not is_rfc3339(text)


@pytest.mark.parametrize("value", [None, False, "", " ", "\t\n\r\v\f", "\u00a0\u3000", {}, []])
def test_blank_as_rails_sees_it(value: Any) -> None:
    assert is_blank(value)


@pytest.mark.parametrize("value", ["x", " x ", "\x1c", "\u200b", 0, True, {"a": ""}, [""]])
def test_not_blank(value: Any) -> None:
    assert not is_blank(value)
