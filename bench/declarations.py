"""A stream of valid, distinct `started` declarations to POST, built from a seeded sandbox.

Each accepted, active enrolment in a cohort whose contract is open (2024, 2025) that has no
declaration yet can be declared `started` once: on the day after both its schedule opened and
it was accepted, with one of the provider's delivery partners for that cohort.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from npq_sandbox.domain.reference import LEAD_PROVIDERS, SCHEDULES_BY_KEY

API = "/api/v3"
OPEN_COHORTS = ("2024", "2025")


def started_declarations(base: str) -> list[str]:
    """One `<token>\\t<json body>` line per declarable enrolment, for every provider."""
    lines = []
    for provider in LEAD_PROVIDERS:
        headers = {"Authorization": f"Bearer {provider.token}"}
        partners = {year: _partner(base, headers, year) for year in OPEN_COHORTS}
        declared = {
            (d["attributes"]["participant_id"], d["attributes"]["course_identifier"])
            for d in _all(base, f"{API}/participant-declarations", headers)
        }
        for person in _all(base, f"{API}/participants/npq", headers):
            for enrolment in person["attributes"]["npq_enrolments"]:
                body = _body(person["id"], enrolment, declared, partners)
                if body is not None:
                    lines.append(f"{provider.token}\t{json.dumps(body)}")
    return lines


def _body(
    person: str, enrolment: dict[str, Any], declared: set[tuple[str, str]], partners: dict
) -> dict[str, Any] | None:
    course, year = enrolment["course_identifier"], enrolment["cohort"]
    if year not in OPEN_COHORTS or enrolment["training_status"] != "active":
        return None
    if (person, course) in declared or partners.get(year) is None:
        return None
    key = (year + enrolment["cohort_suffix"], enrolment["schedule_identifier"])
    opens = datetime.combine(SCHEDULES_BY_KEY[key].applies_from, datetime.min.time(), UTC)
    accepted = datetime.fromisoformat(enrolment["created_at"].replace("Z", "+00:00"))
    when = max(opens, accepted) + timedelta(days=1)
    if when >= datetime.now(UTC):
        return None
    attributes = {
        "participant_id": person,
        "declaration_type": "started",
        "declaration_date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "course_identifier": course,
        "delivery_partner_id": partners[year],
    }
    return {"data": {"type": "participant-declaration", "attributes": attributes}}


def _partner(base: str, headers: dict[str, str], year: str) -> str | None:
    found = requests.get(
        f"{base}{API}/delivery-partners?filter%5Bcohort%5D={year}", headers=headers, timeout=60
    ).json()["data"]
    return str(found[0]["id"]) if found else None


def _all(base: str, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every record of a list, read page by page."""
    found: list[dict[str, Any]] = []
    for number in range(1, 10_000):
        page = requests.get(
            f"{base}{path}?page%5Bpage%5D={number}&page%5Bper_page%5D=3000",
            headers=headers,
            timeout=120,
        ).json()["data"]
        if not page:
            return found
        found += page
    return found
