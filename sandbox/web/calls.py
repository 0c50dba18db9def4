"""The dashboard's one way to act: a request to the sandbox's own JSON API, made in-process.

Every read and every button of the dashboard goes through the same routes, views and request
pipeline a client's request does (no second path), and a refusal carries the API's own
messages. The calls carry the kit's header (`X-Sandbox-Kit`), so a provider's journal, faults
and rate limit are its client's alone.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from npq_sandbox.domain.listing import MAX_PER_PAGE
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

KIT_HEADER = "X-Sandbox-Kit"


@dataclass(frozen=True)
class Answer:
    """The API's answer: its status and its parsed JSON body."""

    status: int
    document: Any

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def data(self) -> Any:
        return self.document.get("data") if isinstance(self.document, dict) else None

    @property
    def problems(self) -> list[str]:
        """The answer's refusal texts, as the API words them (`detail`s, or its `error`)."""
        document = self.document if isinstance(self.document, dict) else {}
        details = [e.get("detail", "") for e in document.get("errors", []) if isinstance(e, dict)]
        if "error" in document:
            details.append(str(document["error"]))
        return details or ([] if self.ok else [f"The sandbox answered {self.status}."])


def call(
    method: str,
    path: str,
    token: str,
    *,
    query: Mapping[str, str] | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Answer:
    """Send one request to the sandbox's own API as the holder of `token` and read the answer."""
    builder = EnvironBuilder(
        path=path,
        method=method,
        base_url=request.host_url,
        query_string=dict(query or {}),
        headers=Headers({"Authorization": f"Bearer {token}", KIT_HEADER: "dashboard"}),
        json=None if attributes is None else {"data": {"attributes": dict(attributes)}},
    )
    app = current_app.wsgi_app
    # A fresh context: the inner request gets its own app context and `g`, not the page's.
    body, status, _headers = contextvars.Context().run(_run, app, builder.get_environ())
    return Answer(int(status.split(None, 1)[0]), _parse(body))


def read_all(path: str, token: str, query: Mapping[str, str] | None = None) -> list[Any]:
    """Every record of a list, read page by page as a careful client does."""
    records: list[Any] = []
    page = 1
    while True:
        asked = {**(query or {}), "page[per_page]": str(MAX_PER_PAGE), "page[page]": str(page)}
        found = call("GET", path, token, query=asked).data or []
        records.extend(found)
        if len(found) < MAX_PER_PAGE:
            return records
        page += 1


def _run(app: Any, environ: dict[str, Any]) -> tuple[bytes, str, Any]:
    iterable, status, headers = run_wsgi_app(app, environ, buffered=True)
    return b"".join(iterable), status, headers


def _parse(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None
