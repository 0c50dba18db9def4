"""DfE's admin operations on the dashboard: on the records they act on, in the API's words."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import Cases, data, get, mine
from tests.sandbox.control.admin_calls import registered
from tests.sandbox.web.pages import choose, control, page, problems, submit, unlabelled

EDIT = "PUT /sandbox/participants/{id}"
ARCHIVE = "POST /sandbox/participants/{id}/archive"
MERGE = "POST /sandbox/participants/merge"
COHORT = "PUT /sandbox/npq-applications/{id}/cohort"
TRANSFER = "POST /sandbox/npq-applications/{id}/transfer"
TRAINING_STATUS = "PUT /sandbox/npq-applications/{id}/training-status"
REVERT = "POST /sandbox/npq-applications/{id}/revert-to-pending"
ELIGIBILITY = "PUT /sandbox/npq-applications/{id}/eligibility"


def _person(client: FlaskClient, person: str) -> BeautifulSoup:
    return page(client.get(f"/records/participants/{person}"))


def _application(client: FlaskClient, application: str) -> BeautifulSoup:
    return page(client.get(f"/records/applications/{application}"))


def _shown(soup: BeautifulSoup, name: str) -> str:
    """An attribute's value as the record page shows it."""
    for dt, dd in zip(
        soup.select("dl.attributes dt"), soup.select("dl.attributes dd"), strict=True
    ):
        if dt.get_text() == name:
            return dd.get_text(strip=True)
    raise AssertionError(f"no attribute {name}")


def _done(client: FlaskClient, answer: object) -> BeautifulSoup:
    """Follow a form's redirect back to its page, checking that it said it was done."""
    assert answer.status_code == 303, answer.text[:300]  # type: ignore[attr-defined]
    after = page(client.get(answer.headers["Location"]))  # type: ignore[attr-defined]
    assert "Done:" in after.find(role="status").get_text()
    return after


def test_the_record_pages_label_every_control(client: FlaskClient, cases: Cases) -> None:
    choose(client)
    for soup in (
        _person(client, mine(cases, "active_participant")),
        _application(client, mine(cases, "accepted_application")),
    ):
        assert unlabelled(soup) == []
        assert soup.select("#admin-heading") and soup.select("[data-operation]")


def test_a_person_is_edited_on_their_page(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    choose(fresh_client)
    person = mine(fresh_cases, "active_participant")
    form = control(_person(fresh_client, person), EDIT)
    refused = page(submit(fresh_client, form, trn="12"), 422)
    assert problems(refused) == [m.SANDBOX_PERSON_TRN]
    after = _done(fresh_client, submit(fresh_client, form, full_name="Ada Lovelace-Byron"))
    assert _shown(after, "full_name") == "Ada Lovelace-Byron"


def test_archiving_twice_is_refused(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    choose(fresh_client)
    person = mine(fresh_cases, "active_participant")
    form = control(_person(fresh_client, person), ARCHIVE)
    assert form.find("input", attrs={"name": "id"})["value"] == person
    _done(fresh_client, submit(fresh_client, form))
    refused = page(submit(fresh_client, form), 422)
    assert problems(refused) == [m.SANDBOX_ALREADY_ARCHIVED]


def test_a_merge_into_the_person_shows_as_an_id_change(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    choose(fresh_client)
    kept = mine(fresh_cases, "active_participant")
    form = control(_person(fresh_client, kept), MERGE)
    assert form.find("input", attrs={"name": "to_participant_id"})["value"] == kept
    refused = page(submit(fresh_client, form, from_participant_id=kept), 422)
    assert problems(refused) == [m.SANDBOX_MERGE_SAME]
    source = registered(fresh_client)["attributes"]["participant_id"]
    after = _done(fresh_client, submit(fresh_client, form, from_participant_id=source))
    changes = [
        dd.get_text()
        for dt, dd in zip(after.select("dl.history dt"), after.select("dl.history dd"), strict=True)
        if dt.get_text() == "Id change"
    ]
    assert any(source in change for change in changes)


def test_an_application_moves_cohort_on_its_page(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    made = registered(fresh_client)["id"]
    form = control(_application(fresh_client, made), COHORT)
    refused = page(submit(fresh_client, form, cohort="2023a"), 422)
    assert problems(refused) == [m.SANDBOX_SAME_COHORT]
    after = _done(fresh_client, submit(fresh_client, form, cohort="2024"))
    assert _shown(after, "cohort") == "2024"


def test_a_pending_application_is_refused_what_needs_acceptance(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    choose(fresh_client)
    soup = _application(fresh_client, mine(fresh_cases, "pending_application"))
    status = page(
        submit(fresh_client, control(soup, TRAINING_STATUS), training_status="active"), 422
    )
    assert problems(status) == [m.SANDBOX_TRAINING_STATUS_PENDING]
    revert = page(submit(fresh_client, control(soup, REVERT)), 422)
    assert problems(revert) == [m.SANDBOX_REVERT_STATUS]


def test_training_status_eligibility_and_revert_on_an_accepted_application(
    fresh_client: FlaskClient,
) -> None:
    choose(fresh_client)
    made = registered(fresh_client)["id"]
    soup = _application(fresh_client, made)
    status = control(soup, TRAINING_STATUS)
    deferred = submit(fresh_client, status, training_status="deferred", reason="other")
    assert problems(page(deferred, 422)) == [m.DEFER_WITHOUT_DECLARATIONS]
    eligible = submit(fresh_client, control(soup, ELIGIBILITY), eligible_for_funding="true")
    assert _shown(_done(fresh_client, eligible), "eligible_for_funding") == "True"
    reverted = _done(fresh_client, submit(fresh_client, control(soup, REVERT)))
    assert reverted.find(id="record-state").get_text() == "pending"


def test_an_application_with_billable_declarations_stays_eligible(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    choose(fresh_client)
    declaration = mine(fresh_cases, "declaration_eligible")
    app_id = data(get(fresh_client, f"/participant-declarations/{declaration}"))["attributes"][
        "application_id"
    ]
    form = control(_application(fresh_client, app_id), ELIGIBILITY)
    refused = page(submit(fresh_client, form, eligible_for_funding="false"), 422)
    assert m.SANDBOX_INELIGIBLE_WITH_BILLABLE in problems(refused)
    assert _shown(_application(fresh_client, app_id), "eligible_for_funding") == "True"


def test_a_transferred_application_leaves_the_providers_list(
    fresh_client: FlaskClient, fresh_cases: Cases
) -> None:
    choose(fresh_client)
    app_id = mine(fresh_cases, "pending_application")
    form = control(_application(fresh_client, app_id), TRANSFER)
    refused = page(submit(fresh_client, form, lead_provider_id="nobody"), 422)
    assert problems(refused) == [m.SANDBOX_LEAD_PROVIDER]
    moved = submit(fresh_client, form, lead_provider_id="best-practice-token")
    listed = _done(fresh_client, moved)
    assert moved.headers["Location"].startswith("/records/applications?done=")
    assert app_id not in {a.get_text() for a in listed.select("#records tbody code")}
    assert get(fresh_client, f"/npq-applications/{app_id}").status_code == 404


def test_contracts_are_listed_removed_and_added_on_the_overview(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    soup = page(fresh_client.get("/"))
    held = int(soup.find(id="contracts-count").get_text())
    row = soup.select_one('#contracts tr[data-contract="2025a/npq-headship"]')
    _done(fresh_client, submit(fresh_client, row.find("form")))
    after = page(fresh_client.get("/"))
    assert int(after.find(id="contracts-count").get_text()) == held - 1
    assert after.select('#contracts tr[data-contract="2025a/npq-headship"]') == []
    add = control(after, "POST /sandbox/contracts")
    refused = page(submit(fresh_client, add, cohort="2019", course_identifier="x"), 422)
    assert problems(refused) == [m.SANDBOX_COHORT, m.SANDBOX_COURSE_IDENTIFIER]
    again = submit(fresh_client, add, cohort="2025", course_identifier="npq-headship")
    assert _done(fresh_client, again).select('#contracts tr[data-contract="2025a/npq-headship"]')
    held_twice = submit(fresh_client, add, cohort="2025a", course_identifier="npq-headship")
    assert problems(page(held_twice, 422)) == [m.SANDBOX_CONTRACT_HELD]


def test_a_statements_dates_change_from_its_row(fresh_client: FlaskClient) -> None:
    choose(fresh_client)
    row = page(fresh_client.get("/")).select_one("#statements tbody tr")
    link = row.find(attrs={"data-operation": "PUT /sandbox/statements/{id}/dates"})
    form = control(page(fresh_client.get(str(link["href"]))), "PUT /sandbox/statements/{id}/dates")
    assert form.find("input", attrs={"name": "id"})["value"] == row["data-statement"]
    payment = row.select_one(".payment").get_text()
    assert row.select_one(".cut-off").get_text() != payment
    late = f"{int(payment[:4]) + 1}-01-01"
    refused = page(submit(fresh_client, form, deadline_date=late), 422)
    assert problems(refused) == [m.SANDBOX_DEADLINE_AFTER_PAYMENT]
    moved = submit(fresh_client, form, deadline_date=payment)
    assert moved.headers["Location"].startswith("/?done=")
    shown = _done(fresh_client, moved).select_one(f'tr[data-statement="{row["data-statement"]}"]')
    assert shown.select_one(".cut-off").get_text() == payment
