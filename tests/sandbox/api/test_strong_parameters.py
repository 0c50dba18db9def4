"""Attributes that strong parameters leave nothing of: docs/rules.md §2.3."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import INVALID_STRUCTURE, TODAY, Cases, body, data, failed, mine, send

# Keys DfE does not permit (other spellings of `funded_place`), or permitted keys whose values
# strong parameters drop (objects and lists are not scalars).
NOTHING_PERMITTED = [
    {"funded-place": True},
    {"fundedPlace": False},
    {"funded_place": {"value": True}},
    {"funded_place": [True], "schedule_identifier": {}},
]
APPLICATION_CALLS = [
    ("POST", "/npq-applications/{}/accept", "pending_application_2025a"),
    ("PUT", "/npq-applications/{}/change-funded-place", "accepted_capped_funded_application"),
]
# The other calls require their attributes before filtering them, so the same bodies reach
# the call's own rules: a 422, with nothing changed.
OTHER_CALLS = [
    ("PUT", "/participants/npq/{}/defer", "active_participant"),
    ("PUT", "/participants/npq/{}/resume", "active_participant"),
    ("PUT", "/participants/npq/{}/withdraw", "active_participant"),
    ("PUT", "/participants/npq/{}/change-schedule", "active_participant"),
    ("POST", "/participants/npq/{}/outcomes", "active_participant"),
    ("PUT", "/participant-declarations/{}/change-delivery-partner", "declaration_eligible"),
    ("POST", "/participant-declarations", None),
]


@pytest.mark.parametrize(("method", "path", "case"), APPLICATION_CALLS)
@pytest.mark.parametrize("attributes", NOTHING_PERMITTED)
def test_nothing_permitted_is_a_bad_request(
    fresh_client: FlaskClient,
    fresh_cases: Cases,
    method: str,
    path: str,
    case: str,
    attributes: dict[str, Any],
) -> None:
    target = path.format(mine(fresh_cases, case))
    answer = send(fresh_client, method, target, body(**attributes), **TODAY)
    assert failed(answer, 400) == INVALID_STRUCTURE


@pytest.mark.parametrize(("method", "path", "case"), APPLICATION_CALLS)
def test_a_null_value_is_still_an_attribute(
    fresh_client: FlaskClient, fresh_cases: Cases, method: str, path: str, case: str
) -> None:
    # `null` is a scalar: it is kept, and the call's rules refuse it (capped cohorts).
    target = path.format(mine(fresh_cases, case))
    answer = send(fresh_client, method, target, body(funded_place=None), **TODAY)
    assert failed(answer, 422)["errors"][0]["title"] == "funded_place"


def test_one_permitted_key_among_others_is_enough(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    app_id = mine(fresh_cases, "pending_application_2025a")
    attributes = {"fundedPlace": False, "funded_place": True}
    answer = send(fresh_client, "POST", f"/npq-applications/{app_id}/accept", body(**attributes))
    assert data(answer)["attributes"]["funded_place"] is True


@pytest.mark.parametrize(("method", "path", "case"), OTHER_CALLS)
def test_other_calls_judge_what_is_left(
    fresh_client: FlaskClient, fresh_cases: Cases, method: str, path: str, case: str | None
) -> None:
    target = path.format(mine(fresh_cases, case)) if case else path
    answer = send(fresh_client, method, target, body(courseIdentifier="npq-headship"), **TODAY)
    assert failed(answer, 422)["errors"]
