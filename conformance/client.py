"""The kit's one HTTP client: a sandbox seen as one provider, its control plane, whole lists.

The runner arranges scenarios and reads journals and truth with it; the pytest plugin's
`LiveSandbox` drives the control plane with it. Paths are the sandbox's own, relative to its
root: `/api/v3/...` for the API, `/sandbox/...` for the control plane.

`call`, `control` and `read_all` are the kit's own requests: they carry `X-Sandbox-Kit`, so the
sandbox's faults, rate limit and journal leave them to the client under test (docs/rules.md
§18.9). `request` sends a request as a provider's own code would.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import requests
from npq_conformance.scenarios import ScenarioError

API_PREFIX = "/api/v3"
PER_PAGE = 3000  # the API's maximum: the kit's own reads take as few pages as possible
TIMEOUT = 60.0  # seconds: a sandbox that hangs must not stall a CI job for ever
KIT = {"X-Sandbox-Kit": "npq-conformance"}
Json = dict[str, Any]


class SandboxRefused(Exception):
    """The sandbox answered a control-plane call with an error status."""

    def __init__(self, response: requests.Response) -> None:
        request = response.request
        super().__init__(
            f"{request.method} {request.path_url} answered {response.status_code}: {response.text}"
        )
        self.response = response


def origin_of(url: str) -> str:
    """Return a sandbox's root (`http://host:port`) from its root or its API's base URL."""
    return url.rstrip("/").removesuffix(API_PREFIX)


class SandboxClient:
    """Requests to the sandbox at `origin`, as the provider whose bearer token is `token`."""

    def __init__(self, origin: str, token: str, session: requests.Session | None = None) -> None:
        self.origin, self.token = origin_of(origin), token
        self.session = session or requests.Session()

    @property
    def base_url(self) -> str:
        """The API's base URL, as a client is given it (ends in /api/v3)."""
        return f"{self.origin}{API_PREFIX}"

    def request(
        self, method: str, path: str, *, token: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """Send one request (as `token`, or as the client's provider) and return the response."""
        headers = {"Authorization": f"Bearer {token or self.token}", **kwargs.pop("headers", {})}
        url = f"{self.origin}/{path.lstrip('/')}"
        return self.session.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)

    def call(
        self, method: str, path: str, body: Any = None, *, token: str | None = None, **kwargs: Any
    ) -> tuple[int, Any]:
        """Send one of the kit's own requests; return its status and JSON answer.

        A 5xx or no answer raise ScenarioError.
        """
        try:
            response = self.request(method, path, token=token, json=body, headers=KIT, **kwargs)
        except requests.RequestException as error:
            raise ScenarioError(f"{method} {path}: {error}") from None
        if response.status_code >= 500:
            raise ScenarioError(f"{method} {path} answered {response.status_code}")
        return response.status_code, _json(response.content)

    def control(
        self, method: str, path: str, attributes: Json | None = None, *, token: str | None = None
    ) -> Any:
        """Call the control plane and return its `data`; raise `SandboxRefused` on >= 400."""
        body = None if attributes is None else {"data": {"attributes": attributes}}
        response = self.request(method, f"/sandbox{path}", token=token, json=body, headers=KIT)
        if response.status_code >= 400:
            raise SandboxRefused(response)
        return response.json()["data"]

    def read_all(
        self, path: str, params: dict[str, str] | None = None, *, token: str | None = None
    ) -> list[Json]:
        """Every record of a list, page by page until an empty page (DfE sends no page count)."""
        return [record for page in self.pages(path, params, token=token) for record in page]

    def pages(
        self, path: str, params: dict[str, str] | None = None, *, token: str | None = None
    ) -> Iterator[list[Json]]:
        """The records of a list, one page at a time, until an empty page."""
        for page in itertools.count(1):
            paging = {**(params or {}), "page[page]": page, "page[per_page]": PER_PAGE}
            status, answer = self.call("GET", path, token=token, params=paging)
            if status != 200:
                raise ScenarioError(f"GET {path} answered {status}: {shown(answer)}")
            if not answer["data"]:
                return
            yield answer["data"]


def shown(answer: Any) -> str:
    """An answer as a message shows it: its JSON, or its text when it was not JSON."""
    return answer if isinstance(answer, str) else json.dumps(answer)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")
