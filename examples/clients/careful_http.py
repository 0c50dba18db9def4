"""The careful client's HTTP layer: authentication, retries and the API's own error texts.

Nothing here knows about NPQ records; `careful.py` holds what does. Copy both files together.
"""

from __future__ import annotations

import time
from typing import Any

import requests

Json = dict[str, Any]

PER_PAGE = 100
MAX_ATTEMPTS = 5  # the first try plus four retries, for 429s, 5xx and dropped connections
TIMEOUT = 5  # seconds to wait for an answer before treating it as lost (and retrying)


class Refused(Exception):
    """The API said no (or never said yes); `detail` is its own text, reported verbatim, and
    `status` and `body` the answer's, when there was one."""

    def __init__(self, detail: str, status: int | None = None, body: Any = None) -> None:
        super().__init__(detail)
        self.detail, self.status, self.body = detail, status, body


class Api:
    """A thin HTTP layer: authentication, retries and error texts, nothing about NPQ."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}"})
        self.session.headers.update({"Accept": "application/json"})
        self.lost_a_response = False  # set when an attempt of the last call went unanswered

    def call(
        self, method: str, path: str, body: Json | None = None, params: Json | None = None
    ) -> Json:
        """Send one request, retrying only what is safe to retry; return the JSON answer."""
        self.lost_a_response = False
        for attempt in range(1, MAX_ATTEMPTS + 1):
            last = attempt == MAX_ATTEMPTS
            try:
                response = self.session.request(
                    method, self.base_url + path, params=params, json=body, timeout=TIMEOUT
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                # The request may or may not have been processed: remember that, and retry.
                self.lost_a_response = True
                if last:
                    raise Refused(f"No answer from the API: {error}") from None
                time.sleep(backoff(attempt))
                continue
            if response.status_code == 429 and not last:
                time.sleep(retry_after(response, default=1.0))  # DfE's throttle: wait, retry
            elif response.status_code >= 500 and not last:
                time.sleep(retry_after(response, default=backoff(attempt)))
            elif response.status_code >= 400:
                # A 4xx is an answer: never retry it.
                raise Refused(error_text(response), response.status_code, json_or_none(response))
            else:
                answer: Json = response.json()
                return answer
        raise AssertionError("unreachable: the last attempt returns or raises")

    def list_all(self, path: str, **filters: str) -> list[Json]:
        """Every record of a list, reading pages until an empty one (DfE has no page count)."""
        records: list[Json] = []
        page = 1
        while True:
            data = self.call("GET", path, params={**filters, **page_params(page)})["data"]
            if not data:
                return records
            records.extend(data)
            page += 1


def page_params(page: int) -> dict[str, str]:
    return {"page[page]": str(page), "page[per_page]": str(PER_PAGE)}


def backoff(attempt: int) -> float:
    """Exponential backoff: 0.5, 1, 2, 4 seconds."""
    return 0.5 * 2 ** (attempt - 1)


def retry_after(response: requests.Response, default: float) -> float:
    """The `Retry-After` header in seconds (DfE sends whole seconds), or the default."""
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return default


def error_text(response: requests.Response) -> str:
    """The API's own words: every `errors[].detail`, or the `error` of a 401/404."""
    try:
        body = response.json()
    except ValueError:  # e.g. a 429's plain-text "Retry later"
        return response.text.strip() or f"HTTP {response.status_code}"
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return "\n".join(str(error.get("detail")) for error in body["errors"])
    if isinstance(body, dict) and "error" in body:
        return str(body["error"])
    return f"HTTP {response.status_code}"


def json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
