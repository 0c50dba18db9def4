"""What a list request asks for: its page, its order and its filters, once parsed.

Rules: docs/rules.md §3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 3000

# (field name, descending) pairs, in the client's order.
SortFields = list[tuple[str, bool]]


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class Filters:
    """Every filter DfE knows; each endpoint reads the ones it supports. None = not given."""

    cohort_years: list[int] | None = None
    updated_since: datetime | None = None
    created_since: datetime | None = None
    participant_ids: list[str] | None = None
    training_status: str | None = None
    from_participant_id: str | None = None
