"""Injected faults: what a rule may say, and which rule a request meets.

A fault is the sandbox's own (DfE has none): a provider asks for its next matching requests to
be answered with a 401 (its token refused for a while, as if revoked), a 429, 500 or 503, to
lose their answer after being processed, or to be slow, so that it can test how its client copes.

Rules: docs/rules.md §18.8.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.errors import Problems, ValidationFailed

STATUSES = (401, 429, 500, 503)
METHODS = ("*", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
ATTRIBUTES = (
    "method",
    "path",
    "status",
    "lost_response",
    "times",
    "probability",
    "latency_ms",
    "retry_after",
)
# Bounds that keep every fault servable: a fuzzed or mistyped latency cannot wedge a worker
# for long, and counts stay well inside SQLite's integers.
MAX_LATENCY_MS = 30_000
MAX_TIMES = 1_000_000
MAX_RETRY_AFTER = 86_400
MAX_PATH = 2_000
# Faults a provider may keep at once (used-up ones included, until removed): every request of
# the provider reads them all.
MAX_FAULTS = 100


@dataclass(frozen=True)
class FaultSpec:
    """A fault as asked for; `times` None means every time."""

    method: str = "*"
    path: str = ""
    status: int | None = None
    lost_response: bool = False
    times: int | None = 1
    probability: float = 1
    latency_ms: float = 0
    retry_after: int = 1

    @property
    def kind(self) -> str:
        """What the fault does to a request: ``status``, ``lost-response`` or ``latency``."""
        if self.status is not None:
            return "status"
        return "lost-response" if self.lost_response else "latency"


@dataclass(frozen=True)
class Fault:
    """A stored fault: its spec, its id and how many firings it has left (None: unlimited)."""

    id: str
    spec: FaultSpec
    remaining: int | None

    def matches(self, method: str, path: str) -> bool:
        """Tell whether a request with `method` and `path` meets the rule (usable or not)."""
        wanted = self.spec.method
        return (wanted == "*" or wanted == method.upper()) and fnmatchcase(path, self.spec.path)

    @property
    def usable(self) -> bool:
        return self.remaining is None or self.remaining > 0


def parse(given: Mapping[str, Any]) -> FaultSpec:
    """Check a fault's attributes (as sent) and return its spec, or raise ValidationFailed."""
    problems = Problems()
    spec = FaultSpec(
        method=_method(given.get("method", "*"), problems),
        path=_path(given.get("path"), problems),
        status=_status(given.get("status"), problems),
        lost_response=_flag(given.get("lost_response", False), "lost_response", problems),
        times=_times(given.get("times", 1), problems),
        probability=_probability(given.get("probability", 1), problems),
        latency_ms=_number(given.get("latency_ms", 0), "latency_ms", MAX_LATENCY_MS, problems),
        retry_after=_whole(given.get("retry_after", 1), "retry_after", problems),
    )
    if spec.status is not None and spec.lost_response:
        problems.add("lost_response", m.SANDBOX_FAULT_STATUS_OR_LOST)
    problems.raise_any()
    return spec


def check_room(stored: int) -> None:
    """Refuse another fault (ValidationFailed) when the provider keeps `MAX_FAULTS` already."""
    if stored >= MAX_FAULTS:
        raise ValidationFailed([("faults", m.sandbox_fault_limit(MAX_FAULTS))])


def firing(
    faults: Iterable[Fault], method: str, path: str, draw: Callable[[], float]
) -> Iterable[Fault]:
    """Yield, oldest first, the usable faults that match and win their probability draw.

    The caller takes the first it can consume; a later one is drawn only if that one was
    used up meanwhile by a racing request.
    """
    for fault in faults:
        if fault.usable and fault.matches(method, path) and draw() < fault.spec.probability:
            yield fault


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _method(value: Any, problems: Problems) -> str:
    if isinstance(value, str) and value.upper() in METHODS:
        return value.upper()
    problems.add("method", m.SANDBOX_FAULT_METHOD)
    return "*"


def _path(value: Any, problems: Problems) -> str:
    if isinstance(value, str) and value.strip() and len(value) <= MAX_PATH:
        return value
    problems.add("path", m.SANDBOX_FAULT_PATH)
    return ""


def _status(value: Any, problems: Problems) -> int | None:
    if value is None or (_is_int(value) and value in STATUSES):
        return value
    problems.add("status", m.SANDBOX_FAULT_STATUS)
    return None


def _flag(value: Any, name: str, problems: Problems) -> bool:
    if isinstance(value, bool):
        return value
    problems.add(name, m.sandbox_must_be_boolean(name))
    return False


def _times(value: Any, problems: Problems) -> int | None:
    if value is None or (_is_int(value) and 1 <= value <= MAX_TIMES):
        return value
    problems.add("times", m.SANDBOX_FAULT_TIMES)
    return 1


def _probability(value: Any, problems: Problems) -> float:
    if (_is_int(value) or isinstance(value, float)) and 0 < value <= 1:
        return value
    problems.add("probability", m.SANDBOX_FAULT_PROBABILITY)
    return 1


def _number(value: Any, name: str, limit: int, problems: Problems) -> float:
    valid = _is_int(value) or (isinstance(value, float) and math.isfinite(value))
    if valid and 0 <= value <= limit:
        return value
    problems.add(name, m.sandbox_fault_range(name, limit))
    return 0


def _whole(value: Any, name: str, problems: Problems) -> int:
    if _is_int(value) and 0 <= value <= MAX_RETRY_AFTER:
        return int(value)
    problems.add(name, m.sandbox_fault_whole(name, MAX_RETRY_AFTER))
    return 1
