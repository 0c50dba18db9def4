"""New pending applications (control plane): load the named person, make up missing details.

Missing personal details are drawn from Faker seeded with the new person's id, so a person's
made-up name, email and TRN follow from their id. The rules are `sandbox.domain.registrations`.

Rules: docs/rules.md §18.2.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cached_property
from typing import Any

from faker import Faker
from npq_sandbox.domain import registrations
from npq_sandbox.domain.reference import LeadProvider
from npq_sandbox.store import participants as store
from npq_sandbox.store.applications import applications_of
from sqlalchemy import Connection

ATTRIBUTES = (
    "course_identifier",
    "cohort",
    "participant_id",
    "full_name",
    "email",
    "teacher_reference_number",
    "teacher_reference_number_validated",
    "eligible_for_funding",
    "funded_by_policy",
    "teacher_catchment",
    "teacher_catchment_country",
    "teacher_catchment_iso_country_code",
    "targeted_delivery_funding_eligibility",
    "lead_mentor",
    "works_in_school",
    "school_urn",
    "competing_lead_provider",
)


def register(
    conn: Connection, caller: LeadProvider, given: dict[str, Any], now: datetime
) -> registrations.Registration:
    """Load the person `participant_id` names and their applications, then register as DfE's."""
    value = given.get("participant_id")
    existing = store.find_participant(conn, value) if isinstance(value, str) else None
    held = applications_of(conn, [existing.id])[existing.id] if existing else []
    person_id = str(uuid.uuid4())
    return registrations.register(
        given,
        caller=caller,
        existing=existing,
        held=held,
        invent=_Invented(conn, person_id),
        ids=(person_id, str(uuid.uuid4()), str(uuid.uuid4())),
        now=now,
    )


class _Invented:
    """A new person's made-up name and TRN, drawn from Faker seeded with their id."""

    def __init__(self, conn: Connection, person_id: str) -> None:
        self._conn = conn
        self._person_id = person_id

    @cached_property
    def _fake(self) -> Faker:
        fake = Faker("en_GB")
        fake.seed_instance(uuid.UUID(self._person_id).int)
        return fake

    def full_name(self) -> str:
        """Return a made-up full name."""
        return f"{self._fake.first_name()} {self._fake.last_name()}"

    def trn(self) -> str:
        """Return a made-up TRN not starting with 0 that no one holds."""
        trn = self._fake.numerify("#######")
        while trn.startswith("0") or store.trn_taken(self._conn, trn):
            trn = self._fake.numerify("#######")
        return trn
