"""Tokens, ids, headers and routing every client meets first.

docs/rules.md §0, §1.1, §2.1 and §2.5; edge cases A1, A2, A4 and A7 (§20).
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.helpers import (
    ACCESS_DENIED,
    LISTS,
    NOT_FOUND,
    Cases,
    assert_refused,
    bad_request,
    get,
    mine,
    post,
)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "bearer ambition-token",
        "Bearer wrong",
        "Basic ambition-token",
        "Bearer trs-token",
        "Bearer",
    ],
)
def test_a1_no_or_malformed_token(client: FlaskClient, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = get(client, "/npq-applications", token=None, **headers)
    assert response.status_code == 401
    assert response.get_json() == ACCESS_DENIED
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", LISTS)
def test_a1_every_list_needs_a_token(client: FlaskClient, path: str) -> None:
    response = get(client, path, token=None)
    assert (response.status_code, response.get_json()) == (401, ACCESS_DENIED)


def test_token_scheme_is_accepted_as_in_rails(client: FlaskClient) -> None:
    response = get(client, "/statements", token=None, Authorization="Token ambition-token")
    assert response.status_code == 200


def test_a2_filter_shape_is_checked_before_the_token(client: FlaskClient) -> None:
    response = get(client, "/npq-applications?filter=2025", token=None)
    assert response.status_code == 400
    assert response.get_json() == bad_request("'#/filter' is not a valid field")


@pytest.mark.parametrize("path", LISTS)
def test_a2_filter_shape_on_every_list(client: FlaskClient, path: str) -> None:
    response = get(client, f"{path}?filter=x")
    assert response.get_json() == bad_request("'#/filter' is not a valid field")


@pytest.mark.parametrize(
    "path",
    [
        "/participant-declarations/123XXX",
        "/npq-applications/1",
        "/participants/npq/nope",
        "/statements/x",
        "/delivery-partners/x",
        "/participants/npq/x/outcomes",
    ],
)
def test_a4_non_uuid_id_is_not_found(client: FlaskClient, path: str) -> None:
    response = get(client, path)
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("path", LISTS)
def test_success_headers(client: FlaskClient, path: str) -> None:
    response = get(client, path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"


def test_error_headers_are_json_and_no_store(client: FlaskClient) -> None:
    response = get(client, "/npq-applications", token="wrong")
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v3/nothing-here",
        "/api/v2/npq-applications",
        "/nothing-here",
        "/api/v3/participants/npq/x/y/z",
    ],
)
def test_unknown_route_is_a_json_404(client: FlaskClient, path: str) -> None:
    response = client.get(
        path, headers={"Authorization": "Bearer ambition-token", "Accept": "text/html"}
    )
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/npq-applications"),
        ("DELETE", "/statements"),
        ("PATCH", "/participants/npq"),
        ("OPTIONS", "/npq-applications"),
    ],
)
def test_wrong_method_is_a_json_404(client: FlaskClient, method: str, path: str) -> None:
    response = client.open(
        f"/api/v3{path}", method=method, headers={"Authorization": "Bearer ambition-token"}
    )
    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)


def test_trailing_slash_is_the_same_route(client: FlaskClient) -> None:
    assert get(client, "/statements/").get_json() == get(client, "/statements").get_json()


def test_a2_a_filter_list_is_not_a_filter_object(client: FlaskClient) -> None:
    response = get(client, "/participant-declarations?filter[]=2025")
    assert response.get_json() == bad_request("'#/filter' is not a valid field")


@pytest.mark.parametrize(
    "authorization", [None, "bearer ambition-token", "Bearer wrong"], ids=["none", "lower", "wrong"]
)
def test_a1_missing_or_malformed_token(client: FlaskClient, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = get(client, "/npq-applications", token=None, **headers)
    assert_refused(response, 401, ACCESS_DENIED)


def test_a2_filter_shape_checked_before_token(client: FlaskClient) -> None:
    response = get(client, "/npq-applications?filter=2025", token=None)
    assert_refused(response, 400, bad_request("'#/filter' is not a valid field"))


def test_a4_non_uuid_id(client: FlaskClient) -> None:
    assert_refused(get(client, "/participant-declarations/123XXX"), 404, NOT_FOUND)


def test_a7_successful_post_is_200(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    for action, name in (
        ("accept", "pending_application_2023a"),
        ("reject", "pending_application"),
    ):
        response = post(fresh_client, f"/npq-applications/{mine(fresh_cases, name)}/{action}")
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["Cache-Control"] == "no-store"
