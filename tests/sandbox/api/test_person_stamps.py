"""A person's changes move their records in every provider's sync: docs/rules.md §5.7."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.helpers import (
    AMBITION,
    BEST_PRACTICE,
    NOW,
    TODAY,
    body,
    data,
    get,
    ids,
    post,
    put,
)
from tests.sandbox.control.calls import sandbox

LATER = "2026-12-01T09:00:00Z"
LATEST = "2026-12-02T09:00:00Z"
AT_LATER = {"X-With-Server-Date": LATER}
AT_LATEST = {"X-With-Server-Date": LATEST}
X, Y = "npq-leading-teaching", "npq-leading-literacy"


def register(
    client: FlaskClient, course: str, cohort: str = "2023", at: str = NOW, **more: Any
) -> Any:
    """Register pending applications as DfE's registration does, at `at`."""
    attributes = body(course_identifier=course, cohort=cohort, **more)
    answer = sandbox(client, "POST", "/npq-applications", attributes, **{"X-With-Server-Date": at})
    return data(answer)


def accept(client: FlaskClient, app_id: str, token: str = AMBITION.token, **headers: str) -> Any:
    return data(post(client, f"/npq-applications/{app_id}/accept", token=token, **headers))


def since(client: FlaskClient, path: str, moment: str, token: str = AMBITION.token) -> Any:
    return get(client, f"{path}?filter[updated_since]={moment}&page[per_page]=3000", token)


def shown(client: FlaskClient, app_id: str) -> str:
    found: str = data(get(client, f"/npq-applications/{app_id}"))["attributes"]["updated_at"]
    return found


def accepted_person(client: FlaskClient) -> tuple[str, str]:
    """A new person with an application for X accepted by Ambition at NOW: (person, app)."""
    [first] = register(client, X)
    accept(client, first["id"], **TODAY)
    return first["attributes"]["participant_id"], first["id"]


def test_a_new_application_stamps_the_person(fresh_client: FlaskClient) -> None:
    person, first = accepted_person(fresh_client)
    [second] = register(fresh_client, Y, participant_id=person, at=LATER)
    # The first application did not change, but its person did: it shows and syncs as changed.
    assert shown(fresh_client, first) == LATER
    assert set(ids(since(fresh_client, "/npq-applications", LATER))) == {first, second["id"]}
    [participant] = data(since(fresh_client, "/participants/npq", LATER))
    assert (participant["id"], participant["attributes"]["updated_at"]) == (person, LATER)


def test_acceptance_elsewhere_comes_back_in_the_next_sync(fresh_client: FlaskClient) -> None:
    person, first = accepted_person(fresh_client)
    mine, theirs = register(
        fresh_client, Y, participant_id=person, competing_lead_provider=BEST_PRACTICE.name
    )
    accept(fresh_client, theirs["id"], BEST_PRACTICE.token, **AT_LATER)
    # Ambition's next incremental sync: the person, the application the other provider's
    # acceptance rejected, and the one it did not touch, whose person moved.
    synced = {
        a["id"]: a["attributes"] for a in data(since(fresh_client, "/npq-applications", LATER))
    }
    assert set(synced) == {first, mine["id"]}
    assert synced[mine["id"]]["status"] == "rejected"
    assert synced[mine["id"]]["reason_for_rejection"] == "other_application_in_this_cohort_accepted"
    assert synced[first]["status"] == "accepted"
    assert {a["updated_at"] for a in synced.values()} == {LATER}
    [participant] = data(since(fresh_client, "/participants/npq", LATER))
    assert (participant["id"], participant["attributes"]["updated_at"]) == (person, LATER)
    assert ids(since(fresh_client, "/npq-applications", "2026-12-01T09:00:01Z")) == []


def test_a_rejection_stamps_the_person(fresh_client: FlaskClient) -> None:
    person, first = accepted_person(fresh_client)
    [second] = register(fresh_client, Y, participant_id=person)
    post(fresh_client, f"/npq-applications/{second['id']}/reject", **AT_LATER)
    assert shown(fresh_client, first) == LATER
    assert set(ids(since(fresh_client, "/npq-applications", LATER))) == {first, second["id"]}


def test_a_change_that_keeps_the_status_does_not_stamp(fresh_client: FlaskClient) -> None:
    [capped] = register(fresh_client, X, cohort="2025")
    person = capped["attributes"]["participant_id"]
    accept_body = body(funded_place=True)
    assert data(
        post(fresh_client, f"/npq-applications/{capped['id']}/accept", accept_body, **TODAY)
    )
    [other] = register(fresh_client, Y, participant_id=person)
    changed = put(
        fresh_client,
        f"/npq-applications/{capped['id']}/change-funded-place",
        body(funded_place=False),
        **AT_LATER,
    )
    assert data(changed)["attributes"]["updated_at"] == LATER
    assert ids(since(fresh_client, "/npq-applications", LATER)) == [capped["id"]]
    assert shown(fresh_client, other["id"]) == NOW


def test_participants_sort_by_the_person_not_by_what_they_show(fresh_client: FlaskClient) -> None:
    stamped, _ = accepted_person(fresh_client)
    register(fresh_client, Y, participant_id=stamped, at=LATER)
    [capped] = register(fresh_client, X, cohort="2025")
    post(fresh_client, f"/npq-applications/{capped['id']}/accept", body(funded_place=True), **TODAY)
    put(
        fresh_client,
        f"/npq-applications/{capped['id']}/change-funded-place",
        body(funded_place=False),
        **AT_LATEST,
    )
    newest = data(get(fresh_client, "/participants/npq?sort=-updated_at&page[per_page]=2"))
    # The second person shows the latest change, but sorting reads the person's own stamp.
    assert [p["id"] for p in newest] == [stamped, capped["attributes"]["participant_id"]]
    assert [p["attributes"]["updated_at"] for p in newest] == [LATER, LATEST]
    oldest_first = data(get(fresh_client, "/participants/npq?sort=updated_at&page[per_page]=3000"))
    assert [p["id"] for p in oldest_first][-2:] == [capped["attributes"]["participant_id"], stamped]
