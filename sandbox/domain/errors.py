"""The domain's error tree. Nothing here knows status codes; `sandbox.api.errors` maps them.

SandboxError
├── Unauthenticated        no usable token
├── NotFound               unknown or invisible record
├── BadRequest             malformed parameters or body (one detail text)
├── UnpermittedParameter   a filter value outside its allowed set
├── ParticipantIdChanged   a merged-away participant id
├── Forbidden              a record the caller may read but not change
└── ValidationFailed       business rules refused the change (title/detail pairs)

Rules: docs/rules.md §2.4.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from npq_sandbox.domain.records import ParticipantIdChange


class SandboxError(Exception):
    """Base of every error the sandbox reports to a client."""


class Unauthenticated(SandboxError):
    """The request carries no token of a lead provider."""


class NotFound(SandboxError):
    """The record does not exist, or the caller cannot see it."""


class BadRequest(SandboxError):
    """A parameter or body is malformed; `detail` is DfE's text."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnpermittedParameter(BadRequest):
    """A filter value is outside the values DfE allows."""


class ParticipantIdChanged(SandboxError):
    """The participant id was merged into another one."""

    def __init__(self, change: ParticipantIdChange) -> None:
        super().__init__(change.from_participant_id)
        self.change = change


class Forbidden(SandboxError):
    """The caller may read the record but not modify it."""

    def __init__(self, title: str, detail: str) -> None:
        super().__init__(detail)
        self.title = title
        self.detail = detail


@dataclass
class ValidationFailed(SandboxError):
    """Business rules refused a change; each entry is (attribute, message)."""

    errors: list[tuple[str, str]] = field(default_factory=list)


class Problems:
    """Collects a request's validation messages, then raises them as DfE reports them.

    DfE groups messages by attribute, in the order each attribute first failed, and drops
    repeated messages.
    """

    def __init__(self) -> None:
        self._entries: list[tuple[str, str]] = []

    def add(self, attribute: str, message: str) -> None:
        if (attribute, message) not in self._entries:
            self._entries.append((attribute, message))

    def __bool__(self) -> bool:
        return bool(self._entries)

    def raise_any(self) -> None:
        """Raise `ValidationFailed` with every message collected so far, if there is one."""
        if not self._entries:
            return
        order = list(dict.fromkeys(attribute for attribute, _ in self._entries))
        grouped = sorted(self._entries, key=lambda entry: order.index(entry[0]))
        raise ValidationFailed(grouped)
