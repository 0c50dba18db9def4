"""Conversions between domain records and table rows (field names equal column names)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from npq_sandbox.domain import records as r
from npq_sandbox.domain.states import (
    ApplicationStatus,
    DeclarationState,
    OutcomeState,
    RejectionReason,
    StatementState,
    TrainingStatus,
)
from sqlalchemy import Connection, RowMapping, Select, Table

R = TypeVar("R")

_ENUMS: dict[type, dict[str, type[StrEnum]]] = {
    r.Application: {
        "status": ApplicationStatus,
        "reason_for_rejection": RejectionReason,
        "training_status": TrainingStatus,
    },
    r.TrainingStatusChange: {"state": TrainingStatus},
    r.Declaration: {"state": DeclarationState},
    r.StatementItem: {"state": DeclarationState},
    r.Outcome: {"state": OutcomeState},
    r.Statement: {"state": StatementState},
}


def to_row(record: Any) -> dict[str, Any]:
    """Turn a record into a dict of column values."""
    row = dict(vars(record))
    if isinstance(record, r.Participant):
        row["previous_names"] = list(record.previous_names)
    return row


def from_row(cls: type[R], row: RowMapping | Mapping[str, Any]) -> R:
    """Build a record of `cls` from a row's mapping, ignoring extra columns."""
    names = cls.__dataclass_fields__  # type: ignore[attr-defined]
    given = dict(row)  # one copy: membership tests on a SQLAlchemy row are slow
    values = {k: given[k] for k in names if k in given}
    for name, enum in _ENUMS.get(cls, {}).items():
        if values.get(name) is not None:
            values[name] = enum(values[name])
    if cls is r.Participant:
        values["previous_names"] = tuple(values["previous_names"])
    return cls(**values)


def first(conn: Connection, cls: type[R], query: Select[Any]) -> R | None:
    """Run `query` and build a record of `cls` from its first row, or return None."""
    row = conn.execute(query).mappings().first()
    return from_row(cls, row) if row else None


def records(conn: Connection, cls: type[R], query: Select[Any]) -> list[R]:
    """Run `query` and build a record of `cls` from each row, in the query's order."""
    return [from_row(cls, row) for row in conn.execute(query).mappings()]


def insert_all(conn: Connection, table: Table, records: Iterable[Any]) -> int:
    """Insert records in one executemany; return how many."""
    rows = [to_row(record) for record in records]
    if rows:
        conn.execute(table.insert(), rows)
    return len(rows)
