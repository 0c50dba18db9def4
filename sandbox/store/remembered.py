"""Lookups of rows that seldom change, answered from memory while their tables stand still.

A declaration POST looks up its provider's clock, its contract for the course, its next
statement and the delivery partners it names: rows that only DfE's side (the control plane),
a reset or a load changes. Each lookup is a statement, and after any other connection's commit
SQLite starts from a cold page cache, so each costs several page reads too: under two workers'
writes, about a tenth of a POST's time. A query marked `remember` keeps what it answered, per
database, beside the counters (`versions.py`) of the tables it reads; a transaction that
reads the same counters gets the same rows without running it. The counters move in the same
transaction as any write to their table, and are read in the asking transaction's own
snapshot, so an answer from memory is the one the statement would give there.

A transaction that has written since it read the counters reads them again (SQLite's count of
changed rows tells). An optimistic writer's lookup answered from memory is recorded as a read,
so a lost race replays it as any other (`replay.Race`).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from npq_sandbox.store import versions
from npq_sandbox.store.replay import RaceConnection

Q = TypeVar("Q")
Run = Callable[..., list[Any]]  # (connection, sql, arguments, *, one) -> the driver's rows
# Answers kept per database; past this many they are all dropped, and kept afresh as asked.
LIMIT = 4096

_MARKED: dict[int, object] = {}  # id(query) -> query: module constants, never collected
Answers = dict[tuple[str, tuple[Any, ...], bool], tuple[tuple[int, ...], list[Any]]]
_KEPT: weakref.WeakKeyDictionary[Any, Answers] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def remember(query: Q) -> Q:
    """Mark a query built once (a module constant) as a lookup to answer from memory."""
    _MARKED[id(query)] = query
    return query


def is_marked(query: object) -> bool:
    return _MARKED.get(id(query)) is query


def fetch(
    owner: Any, raw: Any, sql: str, arguments: list[Any], *, one: bool, run: Run
) -> list[Any]:
    """The driver's rows for `sql` in `raw`'s transaction (the first only, if `one`).

    `owner` is the database's engine: answers of one file are never another's. `run` runs the
    statement when memory has no answer (`lean.driver_rows`).
    """
    stamp = _stamp(raw, sql, arguments)
    if stamp is None:  # outside a transaction, or a file without counters
        return run(raw, sql, arguments, one=one)
    key = (sql, tuple(arguments), one)
    kept = _KEPT.get(owner)
    found = None if kept is None else kept.get(key)
    if found is not None and found[0] == stamp:
        if raw.race is not None:
            read = raw.race.read(sql, arguments)
            if read is not None:
                read.handed(list(found[1]), 1 if one else None)
        return found[1]
    rows = run(raw, sql, arguments, one=one)  # on the race's cursor, if any: recorded there
    with _LOCK:
        kept = _KEPT.setdefault(owner, {})
        if len(kept) >= LIMIT:
            kept.clear()
        kept[key] = (stamp, rows)
    return rows


def _stamp(raw: Any, sql: str, arguments: list[Any]) -> tuple[int, ...] | None:
    """The counters of the tables `sql` reads, as `raw`'s transaction sees them."""
    if not isinstance(raw, RaceConnection) or not raw.in_transaction:
        return None
    seen = raw.counters
    if seen is None or seen[0] != raw.total_changes:
        counters = versions.read(raw)  # a plain cursor: not one of a race's reads
        if counters is None:
            return None
        seen = raw.counters = (raw.total_changes, counters)
    tables = versions.tables_read(raw, sql, arguments)
    if not tables <= seen[1].keys():
        return None
    return tuple(seen[1][name] for name in sorted(tables))
