"""The web face in a real browser: the docs' "try it out", the dashboard's counts and buttons."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

TOKEN = "ambition-token"
AS_AMBITION = {"Authorization": f"Bearer {TOKEN}"}


def _choose_ambition(page: Page, root: str) -> None:
    page.goto(f"{root}/")
    page.get_by_role("button", name="Act as Ambition Institute").click()
    expect(page.locator("h1")).to_have_text("Ambition Institute")


def test_the_docs_try_a_call_against_this_sandbox(page: Page, served: str) -> None:
    page.goto(f"{served}/api/docs/")
    page.locator("button.authorize").first.click()
    page.locator(".auth-container").first.locator("input").fill(TOKEN)
    page.locator(".auth-container").first.locator("button.authorize").click()
    page.locator("button.btn-done").first.click()
    expect(page.locator("button.authorize.locked").first).to_be_visible()
    # The README's picture: the top of the docs (title, server, Authorize, first operations).
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "docs")
    operation = page.locator("#operations-Statements-listStatements")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    expect(operation.locator(".request-url")).to_contain_text(f"{served}/api/v3/statements")
    screenshot(page, "docs-try-it-out")


def test_a_count_leads_to_a_record_and_a_button_pays_it(page: Page, served: str) -> None:
    _choose_ambition(page, served)
    screenshot(page, "dashboard")
    page.locator('[data-count="declarations:payable"]').click()
    expect(page.locator("h1")).to_have_text("Declarations: payable")
    page.locator("#records tbody a").first.click()
    expect(page.locator("#record-state")).to_have_text("payable")
    declaration = page.url.rsplit("/", 1)[-1]
    page.get_by_role("button", name="Make paid").click()
    expect(page.locator("#record-state")).to_have_text("paid")
    expect(page.get_by_role("status")).to_contain_text("Done")
    screenshot(page, "record")
    page.goto(f"{served}/")
    rows = page.locator("#journal-rows tr")
    before = rows.count()
    # A client reads the declaration: the open dashboard's journal shows it without a reload.
    answer = requests.get(
        f"{served}/api/v3/participant-declarations/{declaration}", headers=AS_AMBITION, timeout=10
    )
    assert answer.json()["data"]["attributes"]["state"] == "paid"
    expect(rows).to_have_count(before + 1)
    expect(rows.first.locator(".path")).to_have_text(
        f"/api/v3/participant-declarations/{declaration}"
    )


def test_a_429_fault_added_from_the_form_is_in_force(page: Page, served: str) -> None:
    _choose_ambition(page, served)
    form = page.locator('form[data-operation="POST /sandbox/faults"]')
    form.get_by_label("method", exact=True).fill("GET")
    form.get_by_label("path", exact=True).fill("/api/v3/statements")
    form.get_by_label("status", exact=True).select_option("429")
    form.get_by_role("button").click()
    fault = page.locator("#faults tbody tr")
    expect(fault).to_have_count(1)
    expect(fault.locator("td").nth(2)).to_have_text("429")
    assert (
        requests.get(f"{served}/api/v3/statements", headers=AS_AMBITION, timeout=10).status_code
        == 429
    )
    marked = page.locator("#journal-rows tr.faulted")
    expect(marked.first).to_contain_text(re.compile("fault: status"))
    page.goto(f"{served}/journal")
    expect(page.locator("#journal-rows tr.faulted").first).to_be_visible()
    screenshot(page, "journal")


def test_a_bad_tokens_requests_show_apart_before_choosing(page: Page, served: str) -> None:
    page.goto(f"{served}/journal")
    rows = page.locator("#unrecognised-rows tr")
    before = rows.count()
    answer = requests.get(
        f"{served}/api/v3/statements", headers={"Authorization": "Bearer typo-token"}, timeout=10
    )
    assert answer.status_code == 401
    expect(rows).to_have_count(before + 1)
    expect(rows.first.locator(".credential")).to_have_text("Bearer typ… (10 characters)")
    screenshot(page, "unrecognised")


def test_an_applications_page_has_dfes_admin_operations(page: Page, served: str) -> None:
    _choose_ambition(page, served)
    page.locator('[data-count="applications:pending"]').click()
    page.locator("#records tbody a").first.click()
    form = page.locator(
        'form[data-operation="POST /sandbox/npq-applications/{id}/revert-to-pending"]'
    )
    form.get_by_role("button").click()
    expect(page.locator("#problems")).to_be_focused()
    screenshot(page, "refused")
