"""Lists read through either of their query plans give the same answers, byte for byte.

Deep participant pages and narrow `updated_since` windows of declarations take other queries,
chosen for speed; forcing each choice over the seeded data must change nothing a client sees.
A declarations page filtered by `updated_since` alone (a client polling) runs queries built
once (`store.polling`); with any other filter beside it, the query is built per request.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from npq_sandbox.domain.reference import COHORTS
from npq_sandbox.store import participants, polling

from tests.helpers import PROVIDERS, get

PARTICIPANT_LISTS = [
    "/participants/npq?page[per_page]=7&page[page]={page}",
    "/participants/npq?page[per_page]=5&page[page]={page}&sort=-updated_at,full_name",
    "/participants/npq?page[per_page]=5&page[page]={page}&filter[training_status]=withdrawn",
    "/participants/npq?page[per_page]=5&page[page]={page}"
    "&filter[updated_since]=2025-06-01T00:00:00Z",
]
POLLED = "/participant-declarations?page[per_page]=9&page[page]={page}&filter[updated_since]="
DECLARATION_LISTS = [
    f"{POLLED}2026-06-01T00:00:00Z",
    f"{POLLED}2020-01-01T00:00:00Z",
    "/participant-declarations?page[per_page]=9&page[page]={page}"
    "&filter[updated_since]=2020-01-01T00:00:00Z&filter[cohort]=2024,2025",
]


def _bodies(client: FlaskClient, path: str) -> list[bytes]:
    """Every provider's first pages of `path`, as bytes."""
    return [
        get(client, path.format(page=page), p.token).get_data()
        for p in PROVIDERS
        for page in (1, 2, 5)
    ]


@pytest.mark.parametrize("path", PARTICIPANT_LISTS)
def test_deep_participant_pages_list_the_same_people(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    shallow = _bodies(client, path)
    monkeypatch.setattr(participants, "is_deep", lambda _page: True)
    deep = _bodies(client, path)
    assert deep == shallow
    assert any(b'"id"' in body for body in deep)


@pytest.mark.parametrize("path", DECLARATION_LISTS)
def test_recent_declarations_read_by_time_list_the_same(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    by_time = _bodies(client, path)  # the seeded data is small: every window counts as recent
    monkeypatch.setattr(polling, "RECENT_ROWS", 0)
    by_provider = _bodies(client, path)
    assert by_provider == by_time
    assert any(b'"id"' in body for body in by_time)


@pytest.mark.parametrize("since", ["2026-06-01T00:00:00Z", "2020-01-01T00:00:00Z"])
@pytest.mark.parametrize("recent_rows", [polling.RECENT_ROWS, 0])
def test_a_polled_window_lists_what_the_query_built_per_request_lists(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, since: str, recent_rows: int
) -> None:
    monkeypatch.setattr(polling, "RECENT_ROWS", recent_rows)
    polled = _bodies(client, POLLED + since)
    every_cohort = ",".join(sorted({str(c.start_year) for c in COHORTS}))
    built = _bodies(client, f"{POLLED}{since}&filter[cohort]={every_cohort}")
    assert built == polled
    assert any(b'"id"' in body for body in polled)
