"""The list endpoints an export covers, and how each is named on disk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask.testing import FlaskClient
from npq_sandbox.domain.reference import LeadProvider

PER_PAGE = 100


@dataclass(frozen=True)
class Endpoint:
    """A list endpoint: its path under /api/v3, its folder of pages and its resource file."""

    path: str
    folder: str
    resource: str


ENDPOINTS = (
    Endpoint("/npq-applications", "npq-applications", "applications"),
    Endpoint("/participants/npq", "participants-npq", "participants"),
    Endpoint("/participants/npq/outcomes", "participants-npq-outcomes", "outcomes"),
    Endpoint("/participant-declarations", "participant-declarations", "declarations"),
    Endpoint("/statements", "statements", "statements"),
    Endpoint("/delivery-partners", "delivery-partners", "delivery-partners"),
)


def pages(client: FlaskClient, provider: LeadProvider, endpoint: Endpoint) -> Iterator[bytes]:
    """Yield each page's exact body, as a client paging until a short page reads them."""
    number = 1
    while True:
        response = client.get(
            f"/api/v3{endpoint.path}?page[page]={number}&page[per_page]={PER_PAGE}",
            headers={"Authorization": f"Bearer {provider.token}"},
        )
        if response.status_code != 200:
            raise RuntimeError(f"{endpoint.path} answered {response.status_code}")
        body = response.get_data()
        size = len(response.get_json()["data"])
        if size or number == 1:
            yield body
        if size < PER_PAGE:
            return
        number += 1
