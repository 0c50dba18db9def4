"""Unit tests of query-string parsing: DfE's (Rails') quirks, one case each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from npq_sandbox.api import query
from npq_sandbox.domain.errors import BadRequest, UnpermittedParameter
from npq_sandbox.domain.listing import Page

PAGINATION = (
    "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"
)


def test_nested_keys_fold_like_rack() -> None:
    pairs = [("filter[cohort]", "2025"), ("page[per_page]", "5"), ("sort", "-updated_at")]
    assert query.nested(pairs) == {
        "filter": {"cohort": "2025"},
        "page": {"per_page": "5"},
        "sort": "-updated_at",
    }


def test_empty_brackets_make_a_list() -> None:
    pairs = [("filter[]", "1"), ("filter[]", "2"), ("page[per_page][]", "3"), ("", "4")]
    assert query.nested(pairs) == {"filter": ["1", "2"], "page": {"per_page": ["3"]}}


def test_filter_must_be_nested() -> None:
    with pytest.raises(BadRequest) as caught:
        query.check_filter_shape({"filter": "2025"})
    with pytest.raises(BadRequest):
        query.check_filter_shape({"filter": ["2025"]})
    assert caught.value.detail == "'#/filter' is not a valid field"


def test_blank_filters_are_ignored() -> None:
    assert query.filters({"filter": {"cohort": "", "updated_since": "x"}}) == {"updated_since": "x"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10abc", 10),
        ("abc", 0),
        ("", 0),
        (" 7", 7),
        ("-1", -1),
        ("+3", 3),
        ("1_000", 1000),
        ("2.5", 2),
    ],
)
def test_ruby_to_i(text: str, expected: int) -> None:
    assert query.ruby_to_i(text) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, Page(1, 100)),
        ({"page": "2"}, Page(1, 100)),
        ({"page": {"page": "3", "per_page": "5"}}, Page(3, 5)),
        ({"page": {"per_page": "5000"}}, Page(1, 3000)),
        ({"page": {"per_page": "10abc"}}, Page(1, 10)),
    ],
)
def test_page(given: dict[str, object], expected: Page) -> None:
    assert query.page(given) == expected


@pytest.mark.parametrize(
    "bad", [{"page": "0"}, {"page": "-1"}, {"per_page": "0"}, {"per_page": "abc"}, {"page": ""}]
)
def test_bad_page(bad: dict[str, str]) -> None:
    with pytest.raises(BadRequest) as caught:
        query.page({"page": bad})
    assert caught.value.detail == PAGINATION


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-28T13:15:00Z", datetime(2025, 1, 28, 13, 15, tzinfo=UTC)),
        ("2025-01-28T13:15:00.123Z", datetime(2025, 1, 28, 13, 15, 0, 123000, tzinfo=UTC)),
        ("2025-01-28T13:15:00-05:00", datetime(2025, 1, 28, 18, 15, tzinfo=UTC)),
        ("2025-01-28T13:15:00", datetime(2025, 1, 28, 13, 15, tzinfo=UTC)),
    ],
)
def test_date_filter_accepts_iso8601(text: str, expected: datetime) -> None:
    assert query.date_filter({"updated_since": text}, "updated_since") == expected


@pytest.mark.parametrize(
    "text",
    [
        "invalid",
        "2025-01-28",
        "2025-01-28T13:15Z",
        "2025-01-28T13:15:00-0500",
        "2025-13-01T00:00:00Z",
        "2025-01-28T13:15:00+01:00",
    ],
)
def test_date_filter_refuses(text: str) -> None:
    with pytest.raises(BadRequest) as caught:
        query.date_filter({"created_since": text}, "created_since")
    assert caught.value.detail == "The filter '#/created_since' must be a valid ISO 8601 date"


def test_uuid_list_filter() -> None:
    ids = "7e5bcdbf-c818-4961-8da5-439cab1984e0,C2A7EF98-BBFC-48C5-8F02-D484071D2165"
    assert query.uuid_list_filter({"participant_id": ids}, "participant_id") == ids.split(",")


@pytest.mark.parametrize(
    "value", ["not-a-uuid", {"x": "1"}, "7e5bcdbf-c818-4961-8da5-439cab1984e0,,"]
)
def test_uuid_list_filter_refuses(value: object) -> None:
    with pytest.raises(BadRequest) as caught:
        query.uuid_list_filter({"participant_id": value}, "participant_id")
    assert caught.value.detail == (
        "The filter '#/participant_id' must be a comma-delimited list of valid UUIDs"
    )


def test_choice_filter_refuses_with_dfe_text() -> None:
    with pytest.raises(UnpermittedParameter) as caught:
        query.choice_filter(
            {"training_status": "paused"}, "training_status", ("active", "deferred", "withdrawn")
        )
    assert caught.value.detail == (
        'The filter \'#/training_status\' must be ["active", "deferred", "withdrawn"]'
    )


def test_year_lists() -> None:
    assert query.year_list_filter({"cohort": "2024,2025"}) == [2024, 2025]
    assert query.year_list_filter({"cohort": "abc"}) == []
    assert query.single_year_filter({"cohort": "2024,2025"}) == [2024]
    assert query.single_year_filter({"cohort": "abc"}) == []


def test_sort() -> None:
    assert query.sort({"sort": "-updated_at,created_at"}) == [
        ("updated_at", True),
        ("created_at", False),
    ]
    assert query.sort({"sort": " created_at"}) == [(" created_at", False)]
    assert query.sort({}) is None
