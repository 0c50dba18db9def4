"""Bad request bodies and headers get a JSON 4xx, never a 500, and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m

from tests.helpers import (
    AMBITION,
    API,
    INVALID_STRUCTURE,
    Cases,
    body,
    data,
    errors,
    failed,
    get,
    post,
    put,
)

AUTH = {"Authorization": f"Bearer {AMBITION.token}"}


def _pending(cases: Cases) -> str:
    return cases[AMBITION.id]["pending_application_2025a"]


def _status(client: FlaskClient, app_id: str) -> str:
    status: str = data(get(client, f"/npq-applications/{app_id}"))["attributes"]["status"]
    return status


def _raw(client: FlaskClient, path: str, raw: bytes, content_type: str) -> Any:
    headers = AUTH | {"Content-Type": content_type}
    return client.put(f"{API}{path}", data=raw, headers=headers)


@pytest.mark.parametrize("raw", [b"{", b'{"data": ', b"\xff\xfe", b"{'data': {}}"])
def test_malformed_json_is_a_json_400(
    fresh_client: FlaskClient, fresh_cases: Cases, raw: bytes
) -> None:
    app_id = fresh_cases[AMBITION.id]["accepted_capped_funded_application"]
    response = _raw(
        fresh_client, f"/npq-applications/{app_id}/change-funded-place", raw, "application/json"
    )
    assert failed(response, 400) == errors(("Bad request", m.SANDBOX_MALFORMED_JSON))


@pytest.mark.parametrize(
    "document",
    [
        [1, 2],
        "text",
        42,
        {"data": "x"},
        {"data": []},
        {"data": {"attributes": []}},
        {"data": {"attributes": "x"}},
        {"data": {"attributes": {}}},
    ],
)
def test_body_that_is_not_dfe_shaped_is_a_400(
    fresh_client: FlaskClient, fresh_cases: Cases, document: Any
) -> None:
    app_id = fresh_cases[AMBITION.id]["accepted_capped_funded_application"]
    response = put(fresh_client, f"/npq-applications/{app_id}/change-funded-place", document)
    # A document without a `data` key reads as no body at all, which this endpoint refuses
    # with its own 422; every other misshapen document is DfE's 400.
    if isinstance(document, dict):
        assert failed(response, 400) == INVALID_STRUCTURE
    else:
        assert failed(response, 422) == errors(("funded_place", m.SET_FUNDED_PLACE))


@pytest.mark.parametrize(
    ("value", "status", "expected"),
    [
        ("false", 422, errors(("funded_place", m.SET_FUNDED_PLACE))),
        (0, 422, errors(("funded_place", m.SET_FUNDED_PLACE))),
        (1.5, 422, errors(("funded_place", m.SET_FUNDED_PLACE))),
        # Strong parameters drop an object or a list, which leaves accept nothing: DfE's 400.
        ({"x": 1}, 400, INVALID_STRUCTURE),
        ([True], 400, INVALID_STRUCTURE),
    ],
)
def test_wrong_types_are_refused_without_a_write(
    fresh_client: FlaskClient, fresh_cases: Cases, value: Any, status: int, expected: Any
) -> None:
    app_id = _pending(fresh_cases)
    refused = post(fresh_client, f"/npq-applications/{app_id}/accept", body(funded_place=value))
    assert failed(refused, status) == expected
    assert _status(fresh_client, app_id) == "pending"


def test_unknown_fields_are_ignored(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = _pending(fresh_cases)
    extra = body(funded_place=True, lead_provider="someone else", status="rejected", x={"y": 1})
    accepted = data(post(fresh_client, f"/npq-applications/{app_id}/accept", extra))
    assert accepted["attributes"]["status"] == "accepted"


def test_a_huge_body_is_a_json_413(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = _pending(fresh_cases)
    huge = body(funded_place=True, padding="x" * (2 * 1024 * 1024))
    response = post(fresh_client, f"/npq-applications/{app_id}/accept", huge)
    assert failed(response, 413) == errors(
        (m.SANDBOX_PAYLOAD_TOO_LARGE_TITLE, m.SANDBOX_PAYLOAD_TOO_LARGE)
    )
    assert _status(fresh_client, app_id) == "pending"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_no_body(
    fresh_client: FlaskClient, fresh_cases: Cases, content_type: str
) -> None:
    # Rails parses only JSON bodies: anything else leaves the parameters empty.
    app_id = fresh_cases[AMBITION.id]["accepted_capped_funded_application"]
    raw = b'{"data":{"attributes":{"funded_place":false}}}'
    response = _raw(
        fresh_client, f"/npq-applications/{app_id}/change-funded-place", raw, content_type
    )
    assert failed(response, 422) == errors(("funded_place", m.SET_FUNDED_PLACE))


def test_json_with_a_charset_is_json(fresh_client: FlaskClient, fresh_cases: Cases) -> None:
    app_id = fresh_cases[AMBITION.id]["accepted_capped_funded_application"]
    raw = b'{"data":{"attributes":{"funded_place":false}}}'
    path = f"/npq-applications/{app_id}/change-funded-place"
    response = _raw(fresh_client, path, raw, "application/json; charset=utf-8")
    assert data(response)["attributes"]["funded_place"] is False


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-13-01T00:00:00Z",
        "",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
    ],
)
def test_a_bad_server_date_is_a_json_400_before_the_token(
    fresh_client: FlaskClient, fresh_cases: Cases, value: str
) -> None:
    app_id = _pending(fresh_cases)
    response = post(
        fresh_client,
        f"/npq-applications/{app_id}/accept",
        body(funded_place=True),
        token=None,
        **{"X-With-Server-Date": value},
    )
    assert failed(response, 400) == errors(("Bad request", m.SANDBOX_BAD_SERVER_DATE))
    assert _status(fresh_client, app_id) == "pending"
