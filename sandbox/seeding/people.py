"""People and the answers they give when registering: names, TRNs, schools, employers."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from npq_sandbox.domain.records import Participant
from npq_sandbox.seeding.clock import days
from npq_sandbox.seeding.dataset import Dataset, revise

UK = "United Kingdom of Great Britain and Northern Ireland"
ENGLAND: dict[str, Any] = {
    "teacher_catchment": "england",
    "teacher_catchment_country": UK,
    "teacher_catchment_iso_country_code": "GBR",
}
SCOTLAND: dict[str, Any] = {**ENGLAND, "teacher_catchment": "scotland"}
ABROAD = (
    ("France", "FRA"),
    ("Spain", "ESP"),
    ("Ireland", "IRL"),
    ("India", "IND"),
    ("United Arab Emirates", "ARE"),
    ("Australia", "AUS"),
    ("Germany", "DEU"),
    ("Canada", "CAN"),
    ("United States of America", "USA"),
    ("Poland", "POL"),
)
ITT_PROVIDERS = (
    "University of Nottingham",
    "Sheffield Hallam University",
    "Manchester Metropolitan University",
    "University of Birmingham",
    "Leeds Trinity University",
    "Bath Spa University",
    "Edge Hill University",
    "Canterbury Christ Church University",
    "Oxford Brookes University",
    "University of Exeter",
    "Kent and Medway Training",
    "Suffolk and Norfolk SCITT",
)
FUNDING_CHOICES = ("school", "trust", "self", "another", "employer")
HEADTEACHER_STATUSES = (
    "no",
    "yes_when_course_starts",
    "yes_in_first_two_years",
    "yes_over_two_years",
    "yes_in_first_five_years",
    "yes_over_five_years",
)
SENCO_ANSWERS = ("yes", "no_but_i_plan_to_become_one", "no_i_do_not_plan_to_be_a_SENCO")
HEADTEACHER_COURSES = frozenset({"npq-headship", "npq-early-headship-coaching-offer"})


def new_person(ds: Dataset, created_at: datetime, **overrides: Any) -> Participant:
    """Create a participant (DfE's user) with a unique TRN and email; `overrides` win."""
    first, last = ds.pick(ds.pools.first_names), ds.pick(ds.pools.last_names)
    person = Participant(
        id=ds.new_id(),
        full_name=f"{first} {last}",
        email=_email(ds, first, last),
        trn=ds.new_trn(),
        trn_verified=not ds.chance(0.04),
        previous_names=_previous_names(ds, first),
        created_at=created_at,
        updated_at=created_at,
    )
    return ds.add_person(revise(person, **overrides) if overrides else person)


def _email(ds: Dataset, first: str, last: str) -> str:
    slug = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
    return f"{slug}{ds.people_made() + 1}@example.{ds.pick(('com', 'org', 'net'))}"


def _previous_names(ds: Dataset, first: str) -> tuple[str, ...]:
    roll = ds.rng.random()
    count = 2 if roll < 0.02 else 1 if roll < 0.12 else 0
    return tuple(f"{first} {ds.pick(ds.pools.last_names)}" for _ in range(count))


def application_fields(ds: Dataset, course: str, *, varied: bool = True) -> dict[str, Any]:
    """Return a new application's registration answers; `varied=False` keeps it plain.

    Plain answers (England, eligible for funding) let guaranteed cases reach exactly the
    state they are named after.
    """
    eligible = not varied or ds.chance(0.85)
    return {
        **(_catchment(ds) if varied else ENGLAND),
        **_workplace(ds, course),
        **_senco(ds, course),
        **_mentoring(ds, course),
        **_funding(ds, eligible),
        "headteacher_status": _headteacher_status(ds, course),
    }


def _funding(ds: Dataset, eligible: bool) -> dict[str, Any]:
    """Only people not funded by DfE say who pays."""
    return {
        "eligible_for_funding": eligible,
        "funding_choice": None if eligible else ds.pick(FUNDING_CHOICES),
        "targeted_delivery_funding_eligibility": ds.chance(0.15),
    }


def _headteacher_status(ds: Dataset, course: str) -> str | None:
    return ds.pick(HEADTEACHER_STATUSES) if course in HEADTEACHER_COURSES else None


def _catchment(ds: Dataset) -> dict[str, Any]:
    roll = ds.rng.random()
    if roll < 0.92:
        return ENGLAND
    if roll < 0.97:
        return {**ENGLAND, "teacher_catchment": ds.pick(("scotland", "wales", "northern_ireland"))}
    return another_country(ds)


def another_country(ds: Dataset) -> dict[str, Any]:
    """Return the catchment answers of someone teaching outside the UK."""
    country, iso = ds.pick(ABROAD)
    return {
        "teacher_catchment": "another",
        "teacher_catchment_country": country,
        "teacher_catchment_iso_country_code": iso,
    }


def _workplace(ds: Dataset, course: str) -> dict[str, Any]:
    if course == "npq-early-years-leadership" and ds.chance(0.5):
        return {
            "private_childcare_provider_urn": "EY" + ds.digits(6),
            "works_in_school": False,
            **_employer(ds),
        }
    if ds.chance(0.85):
        return {
            "works_in_school": True,
            "school_urn": "1" + ds.digits(5),
            "school_ukprn": "1" + ds.digits(7) if ds.chance(0.8) else None,
        }
    return {"works_in_school": False, **_employer(ds)}


def _employer(ds: Dataset) -> dict[str, Any]:
    pools = ds.pools
    return {"employer_name": ds.pick(pools.companies), "employment_role": ds.pick(pools.jobs)}


def _senco(ds: Dataset, course: str) -> dict[str, Any]:
    if course != "npq-senco":
        return {}
    answer = ds.pick(SENCO_ANSWERS)
    start = date(2015, 9, 1) + days(ds.rng.randint(0, 3200)) if answer == "yes" else None
    return {"works_as_senco": answer, "senco_start_date": start}


def _mentoring(ds: Dataset, course: str) -> dict[str, Any]:
    """Lead mentors (on the teaching-development NPQ) name the ITT provider they work with."""
    mentor = course == "npq-leading-teaching-development" and ds.chance(0.3)
    return {"lead_mentor": mentor, "itt_provider": ds.pick(ITT_PROVIDERS) if mentor else None}
