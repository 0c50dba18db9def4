"""The provider's records as the API serves them: counts by state, lists, one record's page.

Everything is read through the API (`web.calls`), so a page shows exactly what a client gets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from npq_sandbox.domain.states import ApplicationStatus, DeclarationState, TrainingStatus
from npq_sandbox.web.calls import call, read_all


@dataclass(frozen=True)
class Kind:
    """A family of records: where the API lists them and which states they move through."""

    name: str
    title: str
    path: str
    states: tuple[str, ...]
    columns: tuple[str, ...]

    def states_of(self, record: dict[str, Any]) -> list[str]:
        """A record's states: one, or a participant's one per enrolment."""
        attributes = record.get("attributes", {})
        if self.name == "participants":
            return [e["training_status"] for e in attributes.get("npq_enrolments", [])]
        return [attributes.get("status") or attributes.get("state")]


KINDS = {
    "applications": Kind(
        "applications",
        "Applications",
        "/api/v3/npq-applications",
        tuple(s.value for s in ApplicationStatus),
        ("full_name", "course_identifier", "cohort", "status"),
    ),
    "participants": Kind(
        "participants",
        "Participants",
        "/api/v3/participants/npq",
        tuple(s.value for s in TrainingStatus),
        ("full_name", "teacher_reference_number"),
    ),
    "declarations": Kind(
        "declarations",
        "Declarations",
        "/api/v3/participant-declarations",
        tuple(s.api_name for s in DeclarationState),
        ("declaration_type", "course_identifier", "declaration_date", "state"),
    ),
}


def counts(token: str) -> dict[str, list[tuple[str, int]]]:
    """Each kind's records counted by state, every state listed (zeros too), in order."""
    counted = {}
    for kind in KINDS.values():
        tally = Counter(s for r in read_all(kind.path, token) for s in kind.states_of(r))
        counted[kind.name] = [(state, tally[state]) for state in kind.states]
    return counted


def listed(kind: Kind, token: str, state: str | None) -> list[dict[str, Any]]:
    """The kind's records, those in `state` only when given."""
    records = read_all(kind.path, token)
    return [r for r in records if state is None or state in kind.states_of(r)]


def history(kind: Kind, record: dict[str, Any], token: str) -> list[tuple[str, Any]]:
    """What happened to a record besides its attributes: statements, outcomes, id changes."""
    attributes = record["attributes"]
    if kind.name == "declarations":
        return [
            (label, call("GET", f"/api/v3/statements/{attributes[key]}", token).data)
            for key, label in (("statement_id", "Statement"), ("clawback_statement_id", "Clawback"))
            if attributes.get(key)
        ]
    if kind.name == "participants":
        outcomes = call("GET", f"/api/v3/participants/npq/{record['id']}/outcomes", token).data
        changes = attributes.get("participant_id_changes", [])
        return [("Outcome", o) for o in outcomes or []] + [("Id change", c) for c in changes]
    return []


def statements(token: str) -> list[dict[str, Any]]:
    """The provider's statements, newest payment date first, for the payment buttons."""
    found = read_all("/api/v3/statements", token)
    return sorted(found, key=lambda s: s["attributes"].get("payment_date") or "", reverse=True)
