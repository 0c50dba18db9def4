"""The exact answers to hostile input, as a client sees them; the battery checks their class."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import AMBITION, API, assert_refused, bad_request, data, get, send
from tests.sandbox.control.calls import sandbox

AUTH = {"Authorization": f"Bearer {AMBITION.token}"}
HUGE = "9" * 5_000
OVERFLOW = "9999-12-31T23:59:59-23:59"


def _raw(client: FlaskClient, method: str, path: str, raw: bytes, **headers: str) -> object:
    headers = AUTH | {"Content-Type": "application/json"} | headers
    return client.open(path, method=method, data=raw, headers=headers)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"data": {"attributes": {"x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}}",
        b'{"data": {"attributes": {"participant_id": "\\ud800"}}}',
        b'{"data": {"attributes": {"\\udfff": 1}}}',
        b'{"data": {"attributes": {"participant_id": "\xed\xa0\x80"}}}',  # UTF-8's bytes for one
    ],
    ids=["nested 50,000 deep", "lone surrogate", "lone surrogate in a key", "surrogate's bytes"],
)
def test_a_body_no_database_could_store_is_malformed(client: FlaskClient, raw: bytes) -> None:
    response = _raw(client, "POST", f"{API}/participant-declarations", raw)
    assert_refused(response, 400, bad_request(m.SANDBOX_MALFORMED_JSON))


@pytest.mark.parametrize("length", ["-1", "abc", "1e3"])
def test_a_content_length_not_a_number_of_bytes_is_a_400(
    fresh_client: FlaskClient, length: str
) -> None:
    environ = {"CONTENT_LENGTH": length}  # the test client would write the true length
    response = fresh_client.delete("/sandbox/faults", headers=AUTH, environ_overrides=environ)
    assert_refused(response, 400, bad_request(m.SANDBOX_BAD_CONTENT_LENGTH))


@pytest.mark.parametrize("path", ["/npq-applications", "/statements", "/delivery-partners"])
def test_a_page_of_thousands_of_digits_is_empty(client: FlaskClient, path: str) -> None:
    assert data(get(client, f"{path}?page[page]={HUGE}")) == []


def test_a_page_of_thousands_of_negative_digits_is_dfes_pagination_400(
    client: FlaskClient,
) -> None:
    response = get(client, f"/statements?page[page]=-{HUGE}")
    assert_refused(response, 400, bad_request(m.INVALID_PAGINATION))


def test_the_journals_page_of_thousands_of_digits_is_empty(client: FlaskClient) -> None:
    assert data(sandbox(client, "GET", f"/journal?page[page]={HUGE}")) == []


def test_a_huge_per_page_is_the_largest_page(client: FlaskClient) -> None:
    assert data(get(client, f"/statements?page[per_page]={HUGE}"))


@pytest.mark.parametrize("cohort", [HUGE, "9" * 30, "²", "٢٠٢٥"])
@pytest.mark.parametrize("path", ["/npq-applications", "/statements", "/delivery-partners"])
def test_a_cohort_no_year_can_be_matches_nothing(
    client: FlaskClient, path: str, cohort: str
) -> None:
    assert data(get(client, f"{path}?filter[cohort]={cohort}")) == []


@pytest.mark.parametrize("moment", [OVERFLOW, "0001-01-01T00:00:00+23:59"])
@pytest.mark.parametrize(
    ("path", "name"),
    [("/npq-applications", "updated_since"), ("/participants/npq/outcomes", "created_since")],
)
def test_a_since_pushed_off_the_calendar_is_dfes_date_400(
    client: FlaskClient, path: str, name: str, moment: str
) -> None:
    response = get(client, f"{path}?filter[{name}]={moment}")
    assert_refused(response, 400, bad_request(m.invalid_date_filter(name)))


def test_the_journals_since_pushed_off_the_calendar_is_a_400(client: FlaskClient) -> None:
    response = sandbox(client, "GET", f"/journal?filter[since]={OVERFLOW}")
    assert_refused(response, 400, bad_request(m.invalid_date_filter("since")))


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        (OVERFLOW, m.SANDBOX_BAD_SERVER_DATE),
        ("1999-12-31T23:59:59Z", m.SANDBOX_SERVER_DATE_RANGE),
        ("2100-01-01T00:00:00Z", m.SANDBOX_SERVER_DATE_RANGE),
        ("0001-01-01T00:00:00Z", m.SANDBOX_SERVER_DATE_RANGE),
    ],
)
@pytest.mark.parametrize("prefix", [API, "/sandbox"])
def test_a_server_date_outside_2000_to_2099_is_a_400(
    client: FlaskClient, prefix: str, value: str, detail: str
) -> None:
    path = "/statements" if prefix == API else "/clock"
    response = send(client, "GET", path, prefix=prefix, **{"X-With-Server-Date": value})
    assert_refused(response, 400, bad_request(detail))


@pytest.mark.parametrize("name", ["seconds", "days"])
@pytest.mark.parametrize("number", ["9" * 400, "-" + "9" * 400])
def test_a_clock_step_of_hundreds_of_digits_is_out_of_range(
    client: FlaskClient, name: str, number: str
) -> None:
    raw = f'{{"data": {{"attributes": {{"{name}": {number}}}}}}}'.encode()
    response = _raw(client, "POST", "/sandbox/clock/advance", raw)
    assert_refused(response, 422, {"errors": [{"title": name, "detail": m.SANDBOX_CLOCK_RANGE}]})
