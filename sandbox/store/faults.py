"""Stored faults: added, listed and removed per provider, consumed atomically."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from npq_sandbox.domain import faults as rules
from npq_sandbox.domain.faults import Fault, FaultSpec
from npq_sandbox.store.rows import keyed
from npq_sandbox.store.schema import faults as table
from sqlalchemy import Connection, RowMapping, bindparam, delete, func, insert, select, update

_SPEC_FIELDS = rules.ATTRIBUTES
TABLE = table.name


def add(conn: Connection, provider_id: str, spec: FaultSpec) -> Fault:
    """Store a new fault for the provider and return it with its id."""
    values = {name: getattr(spec, name) for name in _SPEC_FIELDS}
    result = conn.execute(
        insert(table).values(lead_provider_id=provider_id, remaining=spec.times, **values)
    )
    key = result.inserted_primary_key
    assert key is not None
    return Fault(str(key[0]), spec, spec.times)


def of_provider(conn: Connection, provider_id: str) -> list[Fault]:
    """Return the provider's faults, oldest first (used-up ones included)."""
    keys, rows = keyed(conn, _OF_PROVIDER, {"provider": provider_id})
    return [_fault(dict(zip(keys, row, strict=True))) for row in rows]


# Built once: every request of a provider reads it while anything else writes.
_OF_PROVIDER = (
    select(table).where(table.c.lead_provider_id == bindparam("provider")).order_by(table.c.id)
)


def count(conn: Connection, provider_id: str) -> int:
    """Return how many faults the provider keeps (used-up ones included)."""
    query = select(func.count()).select_from(table).where(table.c.lead_provider_id == provider_id)
    return int(conn.execute(query).scalar_one())


def get(conn: Connection, provider_id: str, fault_id: str) -> Fault | None:
    if not fault_id.isdigit() or len(fault_id) > 18:  # not an id we could have given
        return None
    query = select(table).where(table.c.lead_provider_id == provider_id, table.c.id == fault_id)
    row = conn.execute(query).mappings().first()
    return None if row is None else _fault(row)


def remove(conn: Connection, provider_id: str, fault_id: str | None = None) -> None:
    """Remove one of the provider's faults, or all of them when `fault_id` is None."""
    query = delete(table).where(table.c.lead_provider_id == provider_id)
    if fault_id is not None:
        query = query.where(table.c.id == int(fault_id))
    conn.execute(query)


def remove_all(conn: Connection) -> None:
    conn.execute(delete(table))


def consume(conn: Connection, fault: Fault) -> bool:
    """Use one firing of the fault; False when a racing request took the last one."""
    if fault.remaining is None:
        return True
    result = conn.execute(
        update(table)
        .where(table.c.id == int(fault.id), table.c.remaining > 0)
        .values(remaining=table.c.remaining - 1)
    )
    return result.rowcount == 1


def fire(
    conn: Connection, provider_id: str, method: str, path: str, draw: Callable[[], float]
) -> Fault | None:
    """Find the provider's first fault that fires on the request and consume one firing."""
    for fault in rules.firing(of_provider(conn, provider_id), method, path, draw):
        if consume(conn, fault):
            return fault
    return None


def _fault(row: RowMapping | dict[str, Any]) -> Fault:
    values: dict[str, Any] = {name: row[name] for name in _SPEC_FIELDS}
    values["probability"] = _plain(values["probability"])
    values["latency_ms"] = _plain(values["latency_ms"])
    return Fault(str(row["id"]), FaultSpec(**values), row["remaining"])


def _plain(number: float) -> float:
    """Give back a whole number as an int, so 1 is shown as 1 rather than 1.0."""
    return int(number) if float(number).is_integer() else number
