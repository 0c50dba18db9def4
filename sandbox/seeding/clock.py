"""The fixed clock of seeded data: every seeded time is anchored to `SEED_NOW`."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta

# Seeded data must be identical on every run, so it never reads the real clock. The server's
# clock moves on from this instant: statements and declarations simply age after it.
SEED_NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TODAY = SEED_NOW.date()
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def midnight(day: date) -> datetime:
    """Return 00:00 UTC of a day."""
    return datetime.combine(day, time(), tzinfo=UTC)


def morning(day: date) -> datetime:
    """Return 09:00 UTC of a day (registration opens in office hours)."""
    return midnight(day) + 9 * HOUR


def end_of_day(day: date) -> datetime:
    """Return the last whole second of a day, in UTC."""
    return midnight(day) + DAY - SECOND


def days(count: float) -> timedelta:
    """Return a span of days (fractions allowed, for readability at call sites)."""
    return timedelta(days=count)


def add_months(day: date, months: int) -> date:
    """Move a date by whole months, clamping the day to the length of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month_index = divmod(index, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def not_after_now(moment: datetime) -> datetime:
    """Clamp a time so that nothing seeded lies in the future."""
    return min(moment, SEED_NOW)
