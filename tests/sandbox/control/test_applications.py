"""POST /sandbox/npq-applications: pending applications as DfE's registration stores them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import (
    ACCESS_DENIED,
    AMBITION,
    BEST_PRACTICE,
    NOW,
    PROVIDERS,
    TODAY,
    body,
    data,
    errors,
    failed,
    get,
)
from tests.sandbox.control.calls import Cases, sandbox

TEACH_FIRST = PROVIDERS[6]


def create(client: FlaskClient, **attributes: Any) -> Any:
    return sandbox(client, "POST", "/npq-applications", body(**attributes), **TODAY)


def test_defaults(fresh_client: FlaskClient) -> None:
    [created] = data(create(fresh_client, course_identifier="npq-headship", cohort="2025a"))
    attributes = dict(created["attributes"])
    assert re.fullmatch(r"\d{7}", attributes.pop("teacher_reference_number"))
    assert attributes.pop("full_name")
    assert attributes.pop("email").endswith("@example.com")
    assert attributes.pop("participant_id")
    assert attributes == {
        "course_identifier": "npq-headship",
        "email_validated": True,
        "employer_name": None,
        "employment_role": None,
        "funding_choice": None,
        "headteacher_status": None,
        "ineligible_for_funding_reason": None,
        "private_childcare_provider_urn": None,
        "teacher_reference_number_validated": True,
        "school_urn": None,
        "school_ukprn": None,
        "status": "pending",
        "reason_for_rejection": None,
        "works_in_school": True,
        "cohort": "2025",
        "cohort_suffix": "a",
        "eligible_for_funding": True,
        "targeted_delivery_funding_eligibility": False,
        "teacher_catchment": True,
        "teacher_catchment_country": "United Kingdom of Great Britain and Northern Ireland",
        "teacher_catchment_iso_country_code": "GBR",
        "itt_provider": None,
        "lead_mentor": False,
        "funded_place": None,
        "created_at": NOW,
        "updated_at": NOW,
        "schedule_identifier": None,
        "works_as_senco": None,
        "senco_start_date": None,
    }
    assert data(get(fresh_client, f"/npq-applications/{created['id']}")) == created


@pytest.mark.parametrize(
    ("cohort", "year", "suffix", "funded_place"),
    [
        ("2025b", "2025", "b", None),
        ("2024", "2024", "a", None),
        (2023, "2023", "a", None),
        ("2026a", "2026", "a", False),  # the zero-funded cohort
    ],
)
def test_cohorts(
    fresh_client: FlaskClient, cohort: object, year: str, suffix: str, funded_place: object
) -> None:
    [created] = data(create(fresh_client, course_identifier="npq-senco", cohort=cohort))
    attributes = created["attributes"]
    assert (attributes["cohort"], attributes["cohort_suffix"]) == (year, suffix)
    assert attributes["funded_place"] is funded_place


def test_given_person_and_answers(fresh_client: FlaskClient) -> None:
    [created] = data(
        create(
            fresh_client,
            course_identifier="npq-leading-teaching-development",
            cohort="2025",
            full_name="Ada Lovelace",
            email="ada@example.org",
            teacher_reference_number="1234567",
            teacher_reference_number_validated=False,
            eligible_for_funding=False,
            funded_by_policy=True,
            teacher_catchment="another",
            teacher_catchment_country="France",
            teacher_catchment_iso_country_code="FRA",
            targeted_delivery_funding_eligibility=True,
            lead_mentor=True,
            works_in_school=False,
            school_urn="100001",
        )
    )
    attributes = created["attributes"]
    picked = {k: attributes[k] for k in ("full_name", "email", "teacher_reference_number")}
    assert picked == {
        "full_name": "Ada Lovelace",
        "email": "ada@example.org",
        "teacher_reference_number": None,
    }
    assert attributes["teacher_reference_number_validated"] is False
    assert attributes["eligible_for_funding"] is False
    assert attributes["ineligible_for_funding_reason"] == "establishment-ineligible"
    assert attributes["teacher_catchment"] is False
    assert attributes["teacher_catchment_country"] == "France"
    assert attributes["teacher_catchment_iso_country_code"] == "FRA"
    assert attributes["targeted_delivery_funding_eligibility"] is True
    assert (attributes["lead_mentor"], attributes["works_in_school"]) == (True, False)
    assert attributes["school_urn"] == "100001"


def test_an_existing_person_of_ones_own(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person_id = fresh_cases[AMBITION.id]["active_participant"]
    person = data(get(fresh_client, f"/participants/npq/{person_id}"))
    [created] = data(
        create(
            fresh_client, course_identifier="npq-headship", cohort="2026b", participant_id=person_id
        )
    )
    assert created["attributes"]["participant_id"] == person_id
    assert created["attributes"]["full_name"] == person["attributes"]["full_name"]


def test_another_provider_s_person_is_refused(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    # Naming their person would show it to the caller and, by accepting, reject their
    # application: as refused as an id no one has, so it tells nothing of who exists.
    pending = sandbox(
        fresh_client,
        "POST",
        "/npq-applications",
        body(course_identifier="npq-headship", cohort="2025a"),
        token=BEST_PRACTICE.token,
    )
    theirs = [fresh_cases[BEST_PRACTICE.id]["active_participant"]]
    theirs.append(data(pending)[0]["attributes"]["participant_id"])
    for person_id in theirs:
        response = create(
            fresh_client, course_identifier="npq-headship", cohort="2026b", participant_id=person_id
        )
        expected = errors(("participant_id", m.SANDBOX_PARTICIPANT_NOT_FOUND))
        assert failed(response, 422) == expected


@pytest.mark.parametrize("competitor", [TEACH_FIRST.name, TEACH_FIRST.id])
def test_competing_provider(fresh_client: FlaskClient, competitor: str) -> None:
    mine, theirs = data(
        create(
            fresh_client,
            course_identifier="npq-senior-leadership",
            cohort="2025a",
            competing_lead_provider=competitor,
        )
    )
    assert data(get(fresh_client, f"/npq-applications/{theirs['id']}", TEACH_FIRST.token)) == theirs
    assert failed(get(fresh_client, f"/npq-applications/{theirs['id']}"), 404)
    same = ("participant_id", "course_identifier", "cohort", "cohort_suffix", "status")
    assert [mine["attributes"][k] for k in same] == [theirs["attributes"][k] for k in same]


@pytest.mark.parametrize(
    ("attributes", "title", "detail"),
    [
        ({"course_identifier": "npq-x"}, "course_identifier", m.SANDBOX_COURSE_IDENTIFIER),
        ({"course_identifier": None}, "course_identifier", m.SANDBOX_COURSE_IDENTIFIER),
        ({"cohort": "2019"}, "cohort", m.SANDBOX_COHORT),
        ({"cohort": "2025c"}, "cohort", m.SANDBOX_COHORT),
        ({"cohort": True}, "cohort", m.SANDBOX_COHORT),
        ({"cohort": None}, "cohort", m.SANDBOX_COHORT),
        ({"participant_id": "nobody"}, "participant_id", m.SANDBOX_PARTICIPANT_NOT_FOUND),
        ({"participant_id": 7}, "participant_id", m.SANDBOX_PARTICIPANT_NOT_FOUND),
        ({"full_name": " "}, "full_name", m.sandbox_must_be_text("full_name")),
        ({"email": 5}, "email", m.sandbox_must_be_text("email")),
        ({"teacher_reference_number": "12345"}, "teacher_reference_number", m.SANDBOX_TRN),
        ({"teacher_reference_number": 1234567}, "teacher_reference_number", m.SANDBOX_TRN),
        *[
            ({name: "yes"}, name, m.sandbox_must_be_boolean(name))
            for name in (
                "teacher_reference_number_validated",
                "eligible_for_funding",
                "funded_by_policy",
                "targeted_delivery_funding_eligibility",
                "lead_mentor",
                "works_in_school",
            )
        ],
        ({"teacher_catchment": "mars"}, "teacher_catchment", m.SANDBOX_TEACHER_CATCHMENT),
        (
            {"teacher_catchment": "another"},
            "teacher_catchment_country",
            m.SANDBOX_CATCHMENT_COUNTRY,
        ),
        ({"school_urn": 100001}, "school_urn", m.sandbox_must_be_text("school_urn")),
        (
            {"competing_lead_provider": AMBITION.name},
            "competing_lead_provider",
            m.SANDBOX_COMPETING_PROVIDER,
        ),
        (
            {"competing_lead_provider": "Nobody Institute"},
            "competing_lead_provider",
            m.SANDBOX_COMPETING_PROVIDER,
        ),
    ],
)
def test_bad_attribute(
    fresh_client: FlaskClient, attributes: dict[str, Any], title: str, detail: str
) -> None:
    given = {"course_identifier": "npq-headship", "cohort": "2025a", **attributes}
    assert failed(create(fresh_client, **given), 422) == errors((title, detail))
    assert (
        data(get(fresh_client, "/npq-applications?filter[updated_since]=2026-11-30T00:00:00Z"))
        == []
    )


def test_every_bad_attribute_is_reported(client: FlaskClient) -> None:
    response = create(client, lead_mentor=1)
    assert failed(response, 422) == errors(
        ("course_identifier", m.SANDBOX_COURSE_IDENTIFIER),
        ("cohort", m.SANDBOX_COHORT),
        ("lead_mentor", m.sandbox_must_be_boolean("lead_mentor")),
    )


@pytest.mark.parametrize("json", [None, {"data": {"attributes": {}}}, {"data": []}])
def test_body_shape(client: FlaskClient, json: object) -> None:
    response = sandbox(client, "POST", "/npq-applications", json)
    assert failed(response, 400) == errors(("Bad request", m.INVALID_DATA_STRUCTURE))


def test_without_a_token(client: FlaskClient) -> None:
    response = sandbox(client, "POST", "/npq-applications", body(cohort="2025"), token=None)
    assert failed(response, 401) == ACCESS_DENIED
