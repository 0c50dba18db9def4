"""New pending applications, as DfE's registration service stores them (control plane).

Missing personal details are drawn from Faker seeded with the new person's id, so a person's
made-up name, email and TRN follow from their id.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from faker import Faker
from sqlalchemy import Connection

from sandbox.domain import messages as m
from sandbox.domain.errors import Problems
from sandbox.domain.records import Application, Participant
from sandbox.domain.reference import COHORTS_BY_ID, COURSES, Funding, LeadProvider, find_provider
from sandbox.domain.states import ApplicationStatus
from sandbox.store import participants as store

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
# (attribute, default) of the yes/no answers.
FLAGS = (
    ("teacher_reference_number_validated", True),
    ("eligible_for_funding", True),
    ("funded_by_policy", False),
    ("targeted_delivery_funding_eligibility", False),
    ("lead_mentor", False),
    ("works_in_school", True),
)
UK = "United Kingdom of Great Britain and Northern Ireland"
UK_CATCHMENTS = ("england", "scotland", "wales", "northern_ireland", "jersey_guernsey_isle_of_man")
TRN = re.compile(r"\d{7}")


@dataclass(frozen=True)
class Registration:
    """The records a registration writes: maybe a new person, then one or two applications."""

    person: Participant | None
    applications: tuple[Application, ...]


def register(
    conn: Connection, caller: LeadProvider, given: dict[str, Any], now: datetime
) -> Registration:
    """Validate the attributes (every bad one reported) and build the records to store."""
    problems = Problems()
    course = _course(given, problems)
    cohort = _cohort(given, problems)
    person = _person(conn, given, problems, now)
    fields = _answers(given, problems)
    competitor = _competitor(given, caller, problems)
    problems.raise_any()
    assert course and cohort and person  # raise_any() ensured these
    mine = _application(caller.id, person.id, course, cohort, fields, now)
    apps = (
        (mine,)
        if competitor is None
        else (mine, _application(competitor.id, person.id, course, cohort, fields, now))
    )
    is_new = "participant_id" not in given
    return Registration(person if is_new else None, apps)


def _course(given: dict[str, Any], problems: Problems) -> str | None:
    value = given.get("course_identifier")
    if value in COURSES:
        return str(value)
    problems.add("course_identifier", m.SANDBOX_COURSE_IDENTIFIER)
    return None


def _cohort(given: dict[str, Any], problems: Problems) -> str | None:
    value = given.get("cohort")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value):
        value += "a"
    if isinstance(value, str) and value in COHORTS_BY_ID:
        return value
    problems.add("cohort", m.SANDBOX_COHORT)
    return None


def _person(
    conn: Connection, given: dict[str, Any], problems: Problems, now: datetime
) -> Participant | None:
    """Return the existing person named by `participant_id`, or a new one."""
    if "participant_id" in given:
        value = given["participant_id"]
        found = store.find_participant(conn, value) if isinstance(value, str) else None
        if found is None:
            problems.add("participant_id", m.SANDBOX_PARTICIPANT_NOT_FOUND)
        return found
    person_id = str(uuid.uuid4())
    fake = Faker("en_GB")
    fake.seed_instance(uuid.UUID(person_id).int)
    name = _text(given, "full_name", problems) or f"{fake.first_name()} {fake.last_name()}"
    return Participant(
        id=person_id,
        full_name=name,
        email=_email(given, problems, name, person_id),
        trn=_trn(conn, given, problems, fake),
        trn_verified=_flag(given, "teacher_reference_number_validated", True, problems),
        previous_names=(),
        created_at=now,
        updated_at=now,
    )


def _text(given: dict[str, Any], name: str, problems: Problems) -> str | None:
    value = given.get(name)
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.add(name, m.sandbox_must_be_text(name))
    return None


def _email(given: dict[str, Any], problems: Problems, name: str, person_id: str) -> str | None:
    if "email" in given and given["email"] is None:
        return None  # some of DfE's people have no email
    slug = re.sub(r"[^a-z.]", "", name.lower().replace(" ", "."))
    return _text(given, "email", problems) or f"{slug}.{person_id[:8]}@example.com"


def _trn(conn: Connection, given: dict[str, Any], problems: Problems, fake: Faker) -> str | None:
    value = given.get("teacher_reference_number")
    if value is None:
        trn = fake.numerify("#######")
        while trn.startswith("0") or store.trn_taken(conn, trn):
            trn = fake.numerify("#######")
        return trn
    if isinstance(value, str) and TRN.fullmatch(value):
        return value
    problems.add("teacher_reference_number", m.SANDBOX_TRN)
    return None


def _flag(given: dict[str, Any], name: str, default: bool, problems: Problems) -> bool:
    value = given.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    problems.add(name, m.sandbox_must_be_boolean(name))
    return default


def _answers(given: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """Return the application's registration answers (catchment, funding, workplace)."""
    flags = {name: _flag(given, name, default, problems) for name, default in FLAGS[1:]}
    urn = _text(given, "school_urn", problems)
    return {**_catchment(given, problems), **flags, "school_urn": urn}


def _catchment(given: dict[str, Any], problems: Problems) -> dict[str, Any]:
    catchment = given.get("teacher_catchment", "england")
    if catchment in UK_CATCHMENTS:
        return {
            "teacher_catchment": catchment,
            "teacher_catchment_country": UK,
            "teacher_catchment_iso_country_code": "GBR",
        }
    if catchment != "another":
        problems.add("teacher_catchment", m.SANDBOX_TEACHER_CATCHMENT)
        return {}
    country = given.get("teacher_catchment_country")
    if not isinstance(country, str) or not country.strip():
        problems.add("teacher_catchment_country", m.SANDBOX_CATCHMENT_COUNTRY)
    return {
        "teacher_catchment": "another",
        "teacher_catchment_country": country,
        "teacher_catchment_iso_country_code": _text(
            given, "teacher_catchment_iso_country_code", problems
        ),
    }


def _competitor(
    given: dict[str, Any], caller: LeadProvider, problems: Problems
) -> LeadProvider | None:
    value = given.get("competing_lead_provider")
    if value is None:
        return None
    try:
        found: LeadProvider | None = find_provider(str(value))
    except LookupError:
        found = None
    if found is None or found.id == caller.id:
        problems.add("competing_lead_provider", m.SANDBOX_COMPETING_PROVIDER)
    return found


def _application(
    provider_id: str,
    person_id: str,
    course: str,
    cohort: str,
    fields: dict[str, Any],
    now: datetime,
) -> Application:
    zero = COHORTS_BY_ID[cohort].funding is Funding.ZERO
    return Application(
        id=str(uuid.uuid4()),
        participant_id=person_id,
        lead_provider_id=provider_id,
        course_identifier=course,
        cohort=cohort,
        status=ApplicationStatus.PENDING,
        created_at=now,
        updated_at=now,
        # DfE's registration stores funded_place false in cohorts without funding.
        funded_place=False if zero else None,
        **fields,
    )
