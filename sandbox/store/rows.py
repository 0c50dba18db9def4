"""Conversions between domain records and table rows (field names equal column names)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
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
from npq_sandbox.store import lean
from sqlalchemy import (
    ClauseElement,
    ColumnElement,
    Connection,
    RowMapping,
    Select,
    Table,
    bindparam,
    func,
    select,
)

R = TypeVar("R")
_MAKERS: dict[tuple[type, tuple[str, ...]], Callable[[Sequence[Any]], Any]] = {}

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


def ids_param(values: Iterable[str]) -> str:
    """The value of an `among_param` parameter: the ids as a JSON array."""
    return json.dumps(list(values))


def among_param(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    """`column IN` the JSON array given at execution as parameter `name` (see `ids_param`).

    The statement is then the same whatever the number of values, so it is built once and
    SQLAlchemy and SQLite reuse their compiled forms, where an expanded `IN (?, ?, ...)` is
    rebuilt for each request.
    """
    each = func.json_each(bindparam(name)).table_valued("value")
    return column.in_(select(each.c.value).scalar_subquery())


def to_row(record: Any) -> dict[str, Any]:
    """Turn a record into a dict of column values."""
    row = dict(vars(record))
    if isinstance(record, r.Participant):
        row["previous_names"] = list(record.previous_names)
    return row


def from_row(cls: type[R], row: RowMapping | Mapping[str, Any]) -> R:
    """Build a record of `cls` from a row's mapping, ignoring extra columns."""
    return maker(cls, tuple(row.keys()))(tuple(row.values()))


def maker(cls: type[R], keys: Sequence[str]) -> Callable[[Sequence[Any]], R]:
    """A function building a `cls` from a row of these columns, as a tuple.

    Made once per record type and column list (a query's columns are the same every time):
    a page converts hundreds of rows, and looking names up in each row cost more than its SQL.
    """
    key = (cls, tuple(keys))
    made = _MAKERS.get(key)
    if made is None:
        made = _MAKERS[key] = _maker(cls, key[1])
    return made


def _maker(cls: type[R], keys: tuple[str, ...]) -> Callable[[Sequence[Any]], R]:
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    where: dict[str, int] = {}
    for position, name in enumerate(keys):
        if name in fields:
            where.setdefault(name, position)  # a join's first column of a name is the record's
    names, positions = tuple(where), tuple(where.values())
    # An enum's members by value, looked up directly: calling the enum costs several times more.
    enums = [
        (name, {member.value: member for member in enum})
        for name, enum in _ENUMS.get(cls, {}).items()
        if name in where
    ]
    tupled = cls is r.Participant and "previous_names" in where
    # The record's columns come first and in order (a table's own select): no picking needed.
    leading = positions == tuple(range(len(positions)))

    whole = len(where) == len(fields)
    new, set_dict = object.__new__, object.__setattr__

    def make(row: Sequence[Any]) -> R:
        picked = row if leading else [row[i] for i in positions]
        # strict=False: a longer row's extra columns (a join's) are left out.
        values = dict(zip(names, picked, strict=False))
        for name, members in enums:
            if values[name] is not None:
                values[name] = members[values[name]]
        if tupled:
            values["previous_names"] = tuple(values["previous_names"])
        if not whole:
            return cls(**values)
        # Every field is given: fill the frozen record directly, as its __init__ would (the
        # records have no __post_init__), at a fifth of the cost of passing 35 keywords.
        record = new(cls)
        set_dict(record, "__dict__", values)
        return record  # type: ignore[no-any-return]

    return make


def first(
    conn: Connection, cls: type[R], query: Select[Any], params: Mapping[str, Any] | None = None
) -> R | None:
    """Run `query` (with values for its bind parameters) and build a record from its first row."""
    keys, found = lean.fetch(conn, query, params, one=True)
    return maker(cls, keys)(found[0]) if found else None


def records(
    conn: Connection, cls: type[R], query: Select[Any], params: Mapping[str, Any] | None = None
) -> list[R]:
    """Run `query` (with values for its bind parameters) and build a record from each row."""
    keys, found = lean.fetch(conn, query, params, one=False)
    make = maker(cls, keys)
    return [make(row) for row in found]


def keyed(
    conn: Connection, query: ClauseElement, params: Mapping[str, Any] | None = None
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """Run `query` (a select, or a union of them): its column names, and its rows as tuples."""
    return lean.fetch(conn, query, params, one=False)


def tuples(
    conn: Connection, query: Select[Any], params: Mapping[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """Run `query` and return its rows as plain tuples."""
    return lean.fetch(conn, query, params, one=False)[1]


def scalar(conn: Connection, query: Select[Any], params: Mapping[str, Any] | None = None) -> Any:
    """Run `query` and return its first row's first column (None without a row)."""
    found = lean.fetch(conn, query, params, one=True)[1]
    return found[0][0] if found else None


def insert_all(conn: Connection, table: Table, records: Iterable[Any]) -> int:
    """Insert records in one executemany; return how many."""
    rows = [to_row(record) for record in records]
    if rows:
        conn.execute(table.insert(), rows)
    return len(rows)
