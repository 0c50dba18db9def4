"""DfE's admin operations on a person: merge two records, edit one, archive one."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from werkzeug.test import TestResponse

from tests.helpers import (
    BEST_PRACTICE,
    NOT_FOUND,
    NOW,
    TODAY,
    UNKNOWN_ID,
    body,
    data,
    errors,
    failed,
    get,
    ids,
)
from tests.sandbox.control.admin_calls import registered, synced
from tests.sandbox.control.calls import Cases, mine, sandbox

BEFORE = "2026-11-25T10:00:00Z"


def merge(client: FlaskClient, source: str, kept: str, **kwargs: Any) -> TestResponse:
    given = body(from_participant_id=source, to_participant_id=kept)
    return sandbox(client, "POST", "/participants/merge", given, **{**TODAY, **kwargs})


def edit(client: FlaskClient, person: str, **attributes: Any) -> TestResponse:
    return sandbox(client, "PUT", f"/participants/{person}", body(**attributes), **TODAY)


def participant(client: FlaskClient, person: str) -> dict[str, Any]:
    return dict(data(get(client, f"/participants/npq/{person}"))["attributes"])


def test_merges_in_a_row(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    kept = mine(fresh_cases, "active_participant")
    first, second = (registered(fresh_client)["attributes"]["participant_id"] for _ in range(2))
    answer = data(merge(fresh_client, first, kept, **{"X-With-Server-Date": BEFORE}))
    assert answer["id"] == kept
    data(merge(fresh_client, second, kept))
    gone = get(fresh_client, f"/participants/npq/{first}")
    assert failed(gone, 410)["errors"][0]["detail"] == (
        f"The participant_id '{first}' has been replaced with '{kept}'."
    )
    changes = participant(fresh_client, kept)["participant_id_changes"]
    assert [(c["from_participant_id"], c["to_participant_id"]) for c in changes[:2]] == [
        (second, kept),
        (first, kept),
    ]
    assert [c["changed_at"] for c in changes[:2]] == [NOW, BEFORE]
    for source in (first, second):
        narrowed = get(fresh_client, f"/participants/npq?filter[from_participant_id]={source}")
        assert ids(narrowed) == [kept]
    assert kept in synced(fresh_client, "/participants/npq")
    enrolled = participant(fresh_client, kept)["npq_enrolments"]
    apps = {e["npq_application_id"] for e in enrolled}
    owners = {
        data(get(fresh_client, f"/npq-applications/{a}"))["attributes"]["participant_id"]
        for a in apps
    }
    assert owners == {kept} and len(apps) == 3


def replaced_by(client: FlaskClient, old: str) -> str:
    """Which id a retired id's 410 names, checking its sentence and its one change."""
    error = failed(get(client, f"/participants/npq/{old}"), 410)["errors"][0]
    change = error["participant_id_changes"]
    assert [c["from_participant_id"] for c in change] == [old]
    new = str(change[0]["to_participant_id"])
    assert error["detail"] == f"The participant_id '{old}' has been replaced with '{new}'."
    return new


def test_a_chain_of_merges_keeps_each_change_s_ids(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    first, second = (registered(fresh_client)["attributes"]["participant_id"] for _ in range(2))
    kept = mine(fresh_cases, "active_participant")
    data(merge(fresh_client, first, second, **{"X-With-Server-Date": BEFORE}))
    data(merge(fresh_client, second, kept))
    changes = participant(fresh_client, kept)["participant_id_changes"]
    assert [(c["from_participant_id"], c["to_participant_id"]) for c in changes] == [
        (second, kept),
        (first, second),
    ]
    assert [c["changed_at"] for c in changes] == [NOW, BEFORE]
    assert replaced_by(fresh_client, first) == second
    assert replaced_by(fresh_client, second) == kept
    for source in (first, second):
        narrowed = get(fresh_client, f"/participants/npq?filter[from_participant_id]={source}")
        assert ids(narrowed) == [kept]


def test_a_merged_person_s_earlier_ids_keep_naming_them(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    source, kept = mine(fresh_cases, "merged_participant"), mine(fresh_cases, "active_participant")
    earlier = mine(fresh_cases, "merged_from_participant_id")
    data(merge(fresh_client, source, kept))
    assert replaced_by(fresh_client, earlier) == source
    assert replaced_by(fresh_client, source) == kept
    narrowed = get(fresh_client, f"/participants/npq?filter[from_participant_id]={earlier}")
    assert ids(narrowed) == [kept]


def test_merge_refusals(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    kept = mine(fresh_cases, "active_participant")
    before = participant(fresh_client, kept)
    same = merge(fresh_client, kept, kept)
    assert failed(same, 422) == errors(("to_participant_id", m.SANDBOX_MERGE_SAME))
    unknown = merge(fresh_client, UNKNOWN_ID, kept)
    name = "from_participant_id"
    assert failed(unknown, 422) == errors((name, m.sandbox_no_participant(name)))
    retired = merge(fresh_client, mine(fresh_cases, "merged_from_participant_id"), kept)
    assert failed(retired, 422) == errors((name, m.sandbox_no_participant(name)))
    other = mine(fresh_cases, "withdrawn_participant")
    theirs = merge(fresh_client, other, kept, token=BEST_PRACTICE.token)
    assert failed(theirs, 422) == errors(("base", m.SANDBOX_MERGE_NOT_YOURS))
    assert participant(fresh_client, kept) == before


def test_edit_keeps_the_previous_name(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person = mine(fresh_cases, "active_participant")
    app_id = mine(fresh_cases, "accepted_application")
    old = participant(fresh_client, person)["full_name"]
    answer = data(
        edit(fresh_client, person, full_name="Ann New", email="ann@example.org", trn="765 4321")
    )
    assert answer["attributes"]["previous_names"] == [old]
    shown = participant(fresh_client, person)
    assert (shown["full_name"], shown["previous_names"]) == ("Ann New", [old])
    assert (shown["teacher_reference_number"], shown["updated_at"]) == ("7654321", NOW)
    assert data(get(fresh_client, f"/npq-applications/{app_id}"))["attributes"]["email"] == (
        "ann@example.org"
    )
    assert person in synced(fresh_client, "/participants/npq")
    assert app_id in synced(fresh_client, "/npq-applications")
    unverified = data(edit(fresh_client, person, trn_verified=False))
    assert unverified["attributes"]["trn_verified"] is False
    assert participant(fresh_client, person)["teacher_reference_number"] is None


def test_edit_refusals(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person = mine(fresh_cases, "active_participant")
    before = participant(fresh_client, person)
    response = edit(fresh_client, person, full_name=" ", trn="12", trn_verified="yes")
    assert failed(response, 422) == errors(
        ("full_name", m.sandbox_must_be_text("full_name")),
        ("trn", m.SANDBOX_PERSON_TRN),
        ("trn_verified", m.sandbox_must_be_boolean("trn_verified")),
    )
    taken = registered(fresh_client)["attributes"]["email"]
    assert failed(edit(fresh_client, person, email=taken), 422) == errors(
        ("email", m.SANDBOX_EMAIL_TAKEN)
    )
    nothing = edit(fresh_client, person, name="Ann")
    assert failed(nothing, 422) == errors(("base", m.SANDBOX_PERSON_ATTRIBUTES))
    assert failed(edit(fresh_client, UNKNOWN_ID, full_name="A"), 404) == NOT_FOUND
    theirs = sandbox(
        fresh_client,
        "PUT",
        f"/participants/{person}",
        body(full_name="A"),
        token=BEST_PRACTICE.token,
    )
    assert failed(theirs, 404) == NOT_FOUND
    assert participant(fresh_client, person) == before


def test_archive_blanks_the_e_mail(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    person = mine(fresh_cases, "active_participant")
    app_id = mine(fresh_cases, "accepted_application")
    path = f"/participants/{person}/archive"
    assert data(sandbox(fresh_client, "POST", path, **TODAY))["attributes"]["email"] is None
    assert data(get(fresh_client, f"/npq-applications/{app_id}"))["attributes"]["email"] is None
    enrolments = participant(fresh_client, person)["npq_enrolments"]
    assert [e["email"] for e in enrolments] == [None] * len(enrolments)
    assert person in synced(fresh_client, "/participants/npq")
    again = sandbox(fresh_client, "POST", path, **TODAY)
    assert failed(again, 422) == errors(("base", m.SANDBOX_ALREADY_ARCHIVED))


def test_a_reset_undoes_merges_and_edits(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    source, kept = mine(fresh_cases, "merged_participant"), mine(fresh_cases, "active_participant")
    before = [participant(fresh_client, p) for p in (source, kept)]
    data(edit(fresh_client, kept, full_name="Someone Else"))
    data(merge(fresh_client, source, kept))
    assert sandbox(fresh_client, "POST", "/reset").status_code == 200
    assert [participant(fresh_client, p) for p in (source, kept)] == before
