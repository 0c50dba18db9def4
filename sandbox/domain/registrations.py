"""Registering for an NPQ: new pending applications, as DfE's registration service stores them.

The control plane registers people on request; seeding builds its pending applications with
`new_application` too. Missing personal details are made up by an `Inventor` the caller
passes in, so that randomness stays at the edge.

Rules: docs/rules.md §18.2.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from npq_sandbox.domain import messages as m
from npq_sandbox.domain.errors import Problems
from npq_sandbox.domain.records import Application, Participant
from npq_sandbox.domain.reference import (
    COHORTS_BY_ID,
    COURSES,
    Funding,
    LeadProvider,
    find_provider,
)
from npq_sandbox.domain.states import ApplicationStatus

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


class Inventor(Protocol):
    """Made-up details for a new person who gave none; each is asked for only when needed."""

    def full_name(self) -> str:
        """Return a made-up full name."""
        ...

    def trn(self) -> str:
        """Return a made-up TRN that no one holds."""
        ...


@dataclass(frozen=True)
class Registration:
    """The records a registration writes: maybe a new person, then one or two applications."""

    person: Participant | None
    applications: tuple[Application, ...]


def register(
    given: Mapping[str, Any],
    *,
    caller: LeadProvider,
    existing: Participant | None,
    held: Sequence[Application],
    invent: Inventor,
    ids: tuple[str, str, str],
    now: datetime,
) -> Registration:
    """Validate the attributes (every bad one reported) and build the records to store.

    `existing` is the person named by `participant_id`, if found, and `held` their
    applications; `ids` are the ids for a new person, the caller's application and a competing
    provider's application.
    """
    problems = Problems()
    course = _course(given, problems)
    cohort = parse_cohort(given.get("cohort"), problems)
    known = existing if _applied_with(caller, held) else None
    person = _person(given, known, invent, ids[0], now, problems)
    answers = _answers(given, problems)
    competitor = _competitor(given, caller, problems)
    problems.raise_any()
    assert course and cohort and person  # raise_any() ensured these
    providers = (caller,) if competitor is None else (caller, competitor)
    apps = tuple(
        new_application(app_id, person.id, provider.id, course, cohort, answers, now=now)
        for app_id, provider in zip(ids[1:], providers, strict=False)
    )
    return Registration(None if "participant_id" in given else person, apps)


def new_application(
    application_id: str,
    participant_id: str,
    provider_id: str,
    course: str,
    cohort: str,
    answers: Mapping[str, Any],
    *,
    now: datetime,
) -> Application:
    """Build a pending application (`-> pending`) with the person's registration answers."""
    zero = COHORTS_BY_ID[cohort].funding is Funding.ZERO
    return Application(
        id=application_id,
        participant_id=participant_id,
        lead_provider_id=provider_id,
        course_identifier=course,
        cohort=cohort,
        status=ApplicationStatus.PENDING,
        created_at=now,
        updated_at=now,
        # DfE's registration stores funded_place false in cohorts without funding.
        funded_place=False if zero else None,
        **answers,
    )


def _applied_with(caller: LeadProvider, held: Sequence[Application]) -> bool:
    """Whether the caller has an application for the person (of any status).

    Only then may it name them: otherwise it could read another provider's person and, by
    accepting, reject that provider's application. Competing applications are made with
    `competing_lead_provider` instead.
    """
    return any(application.lead_provider_id == caller.id for application in held)


def _course(given: Mapping[str, Any], problems: Problems) -> str | None:
    value = given.get("course_identifier")
    if value in COURSES:
        return str(value)
    problems.add("course_identifier", m.SANDBOX_COURSE_IDENTIFIER)
    return None


def parse_cohort(value: Any, problems: Problems) -> str | None:
    """Read a cohort: its identifier (`2025b`), or a start year meaning the year's `a` cohort."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value):
        value += "a"
    if isinstance(value, str) and value in COHORTS_BY_ID:
        return value
    problems.add("cohort", m.SANDBOX_COHORT)
    return None


def _person(
    given: Mapping[str, Any],
    existing: Participant | None,
    invent: Inventor,
    person_id: str,
    now: datetime,
    problems: Problems,
) -> Participant | None:
    """Return the existing person named by `participant_id` (one of the caller's), or a new one."""
    if "participant_id" in given:
        if existing is None:
            problems.add("participant_id", m.SANDBOX_PARTICIPANT_NOT_FOUND)
        return existing
    name = _text(given, "full_name", problems) or invent.full_name()
    return Participant(
        id=person_id,
        full_name=name,
        email=_email(given, problems, name, person_id),
        trn=_trn(given, invent, problems),
        trn_verified=_flag(given, "teacher_reference_number_validated", True, problems),
        previous_names=(),
        created_at=now,
        updated_at=now,
    )


def _text(given: Mapping[str, Any], name: str, problems: Problems) -> str | None:
    value = given.get(name)
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.add(name, m.sandbox_must_be_text(name))
    return None


def _email(given: Mapping[str, Any], problems: Problems, name: str, person_id: str) -> str | None:
    if "email" in given and given["email"] is None:
        return None  # some of DfE's people have no email
    slug = re.sub(r"[^a-z.]", "", name.lower().replace(" ", "."))
    return _text(given, "email", problems) or f"{slug}.{person_id[:8]}@example.com"


def _trn(given: Mapping[str, Any], invent: Inventor, problems: Problems) -> str | None:
    value = given.get("teacher_reference_number")
    if value is None:
        return invent.trn()
    if isinstance(value, str) and TRN.fullmatch(value):
        return value
    problems.add("teacher_reference_number", m.SANDBOX_TRN)
    return None


def _flag(given: Mapping[str, Any], name: str, default: bool, problems: Problems) -> bool:
    value = given.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    problems.add(name, m.sandbox_must_be_boolean(name))
    return default


def _answers(given: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    """Return the application's registration answers (catchment, funding, workplace)."""
    flags = {name: _flag(given, name, default, problems) for name, default in FLAGS[1:]}
    urn = _text(given, "school_urn", problems)
    return {**_catchment(given, problems), **flags, "school_urn": urn}


def _catchment(given: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
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
    given: Mapping[str, Any], caller: LeadProvider, problems: Problems
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
