"""The list endpoints an export covers, how each is named on disk, and how pages are read."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

PER_PAGE = 100
API = "/api/v3"
# Reads one API answer: (path and query under /api/v3, bearer token) -> the body's bytes.
Reader = Callable[[str, str], bytes]


class ReadFailed(RuntimeError):
    """A page could not be read: the message names the request and the answer."""


@dataclass(frozen=True)
class Endpoint:
    """A list endpoint: its path under /api/v3, its folder of pages and its resource file."""

    path: str
    folder: str
    resource: str


@dataclass(frozen=True)
class Page:
    """One page's request (path under /api/v3 and query) and the exact body answered."""

    path: str
    query: dict[str, str]
    body: bytes

    def items(self) -> list[Any]:
        """Return the records in the page's `data`."""
        data: list[Any] = json.loads(self.body)["data"]
        return data


ENDPOINTS = (
    Endpoint("/npq-applications", "npq-applications", "applications"),
    Endpoint("/participants/npq", "participants-npq", "participants"),
    Endpoint("/participants/npq/outcomes", "participants-npq-outcomes", "outcomes"),
    Endpoint("/participant-declarations", "participant-declarations", "declarations"),
    Endpoint("/statements", "statements", "statements"),
    Endpoint("/delivery-partners", "delivery-partners", "delivery-partners"),
)


def pages(read: Reader, token: str, endpoint: Endpoint) -> Iterator[Page]:
    """Yield each page as a client reads them: up to and including the first empty page.

    DfE's API asks clients to read on until a page is empty, so a mock needs that page too.
    """
    number = 1
    while True:
        query = {"page[page]": str(number), "page[per_page]": str(PER_PAGE)}
        text = "&".join(f"{k}={v}" for k, v in query.items())
        page = Page(endpoint.path, query, read(f"{endpoint.path}?{text}", token))
        yield page
        if not page.items():
            return
        number += 1


def client_reader(client: FlaskClient) -> Reader:
    """Read pages from an app in this process (an export of a database file)."""

    def read(path: str, token: str) -> bytes:
        response = client.get(f"{API}{path}", headers={"Authorization": f"Bearer {token}"})
        if response.status_code != 200:
            raise ReadFailed(f"GET {API}{path} answered {response.status_code}")
        return response.get_data()

    return read
