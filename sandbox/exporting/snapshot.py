"""Snapshots: what a running sandbox serves now, read over HTTP into an export's layout.

The reads carry `X-Sandbox-Kit`, so the sandbox neither journals nor faults them (docs/rules.md
§18.9): taking a snapshot leaves the state it keeps as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

import requests
from npq_sandbox.domain.reference import PROVIDERS_BY_TOKEN, LeadProvider
from npq_sandbox.exporting.endpoints import API, Reader, ReadFailed

KIT = {"X-Sandbox-Kit": "npq-sandbox-fixtures"}
TIMEOUT = 60.0  # seconds: a sandbox that hangs must not stall an export for ever


def providers_of(tokens: Sequence[str]) -> list[LeadProvider]:
    """Return the provider each token belongs to, once each; raise LookupError on a stranger."""
    unknown = [t for t in tokens if t not in PROVIDERS_BY_TOKEN]
    if unknown:
        raise LookupError(f"{unknown[0]!r} is not a lead provider's token (see npq-sandbox tokens)")
    return list(dict.fromkeys(PROVIDERS_BY_TOKEN[t] for t in tokens))


def http_reader(base_url: str, session: requests.Session | None = None) -> Reader:
    """Read pages from the sandbox at `base_url` (its root or its API's, ending in /api/v3)."""
    root = base_url.rstrip("/").removesuffix(API)
    http = session or requests.Session()

    def read(path: str, token: str) -> bytes:
        url = f"{root}{API}{path}"
        headers = {"Authorization": f"Bearer {token}", **KIT}
        try:
            response = http.get(url, headers=headers, timeout=TIMEOUT)
        except requests.RequestException as error:
            raise ReadFailed(f"GET {url} failed: {error}") from None
        if response.status_code != 200:
            raise ReadFailed(f"GET {url} answered {response.status_code}: {response.text[:200]}")
        return response.content

    return read
