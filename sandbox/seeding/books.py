"""Indexes over seeded statements and partnerships, to decide where declarations land."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from npq_sandbox.domain.records import Partnership, Statement
from npq_sandbox.domain.states import StatementState
from npq_sandbox.seeding.clock import DAY, SEED_NOW, end_of_day, midnight, not_after_now


def payable_at(deadline: date) -> datetime:
    """Return when a statement turns payable: DfE's nightly job, just after its deadline."""
    return midnight(deadline + DAY)


def paid_at(statement: Statement) -> datetime:
    """Return when a paid statement was paid: on its payment date (never after SEED_NOW)."""
    return not_after_now(max(payable_at(statement.deadline_date), midnight(statement.payment_date)))


@dataclass(frozen=True)
class Window:
    """The submission times that land a declaration (or clawback) on one statement."""

    statement: Statement
    start: datetime
    end: datetime


class StatementBook:
    """A provider's output-fee statements per cohort, earliest deadline first."""

    def __init__(self, statements: Iterable[Statement] = ()) -> None:
        self._by_key: dict[tuple[str, str], list[Statement]] = defaultdict(list)
        self._by_id: dict[str, Statement] = {}
        for statement in sorted(statements, key=lambda s: s.deadline_date):
            self._by_id[statement.id] = statement
            if statement.output_fee:
                self._by_key[(statement.lead_provider_id, statement.cohort)].append(statement)
        self._deadlines = {
            key: [s.deadline_date for s in found] for key, found in self._by_key.items()
        }

    def get(self, statement_id: str) -> Statement:
        return self._by_id[statement_id]

    def next_output_fee(self, provider_id: str, cohort: str, on: date) -> Statement | None:
        """Return the statement DfE attaches to on day `on`: the first deadline on or after it.

        A statement stays open until the night after its deadline, so this is also the
        provider's next open output-fee statement as it was on that day.
        """
        deadlines = self._deadlines.get((provider_id, cohort), [])
        index = bisect_left(deadlines, on)
        return self._by_key[(provider_id, cohort)][index] if index < len(deadlines) else None

    def windows(
        self, provider_id: str, cohort: str, state: StatementState | None = None
    ) -> list[Window]:
        """Return the non-empty landing windows (up to SEED_NOW), optionally of one state."""
        found = self._by_key.get((provider_id, cohort), [])
        windows = [
            _window(statement, found[index - 1] if index else None)
            for index, statement in enumerate(found)
        ]
        return [
            w for w in windows if w.start <= w.end and (state is None or w.statement.state is state)
        ]


def _window(statement: Statement, previous: Statement | None) -> Window:
    start = payable_at(previous.deadline_date) if previous else statement.created_at
    return Window(statement, start, min(end_of_day(statement.deadline_date), SEED_NOW))


class PartnerBook:
    """Delivery partners of each lead provider per cohort, in seeding order."""

    def __init__(self, partnerships: Iterable[Partnership] = ()) -> None:
        self._by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
        for partnership in partnerships:
            key = (partnership.lead_provider_id, partnership.cohort)
            self._by_key[key].append(partnership.delivery_partner_id)

    def partners(self, provider_id: str, cohort: str) -> list[str]:
        """Return the ids of the delivery partners a provider may name in a cohort."""
        return self._by_key.get((provider_id, cohort), [])
