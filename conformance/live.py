"""A live sandbox seen from a test: its URLs, the providers' tokens and the control plane.

`LiveSandbox` speaks HTTP only, so it drives a sandbox the plugin started in a thread or one
running elsewhere (`--npq-base-url`) alike. Control-plane helpers raise `SandboxRefused` when the
sandbox refuses, so a test's setup cannot fail silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from conformance import scenarios
from conformance.runner import Http, arrange, read_journal, read_truth, resolve, starting_values
from conformance.verdicts import Verdict, judge
from sandbox.domain.reference import LEAD_PROVIDERS, find_provider

API_PREFIX = "/api/v3"
DEFAULT_PROVIDER = LEAD_PROVIDERS[0].name
JOURNAL_PAGE = 3000


class SandboxRefused(Exception):
    """The sandbox answered a control-plane call with an error status."""

    def __init__(self, response: requests.Response) -> None:
        request = response.request
        super().__init__(
            f"{request.method} {request.path_url} answered {response.status_code}: {response.text}"
        )
        self.response = response


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario whose setup ran: the ids of the records it made, and the client's steps.

    `ids` maps each name the setup saved to the id of the record it made (a list of ids when
    the answer held several); `instructions` are the steps a client is asked to carry out,
    with those ids filled in, exactly as `npq-conformance run` writes them.
    """

    scenario: scenarios.Scenario
    saved: dict[str, Any] = field(repr=False)
    ids: dict[str, Any]
    instructions: list[dict[str, Any]]


def _ids(answer: Any) -> Any:
    data = answer.get("data") if isinstance(answer, dict) else None
    if isinstance(data, list):
        return [item.get("id") for item in data if isinstance(item, dict)]
    return data.get("id") if isinstance(data, dict) else None


class LiveSandbox:
    """A running sandbox at `origin` (`http://host:port`), driven through its HTTP API."""

    def __init__(self, origin: str, *, started: bool) -> None:
        self.origin = origin.rstrip("/").removesuffix(API_PREFIX)
        self.started = started
        self.session = requests.Session()

    @property
    def base_url(self) -> str:
        """The API's base URL, as a client is given it (ends in /api/v3)."""
        return f"{self.origin}{API_PREFIX}"

    def token(self, provider: str = DEFAULT_PROVIDER) -> str:
        """Return the bearer token of a provider named by name, slug or id."""
        return find_provider(provider).token

    def request(
        self, method: str, path: str, *, provider: str = DEFAULT_PROVIDER, **kwargs: Any
    ) -> requests.Response:
        """Send a request as `provider` to a path (`/api/v3/...` or `/sandbox/...`)."""
        headers = {"Authorization": f"Bearer {self.token(provider)}", **kwargs.pop("headers", {})}
        return self.session.request(method, f"{self.origin}{path}", headers=headers, **kwargs)

    def control(
        self, method: str, path: str, attributes: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        """Call the control plane and return its `data`; raise `SandboxRefused` on >= 400."""
        body = None if attributes is None else {"data": {"attributes": attributes}}
        response = self.request(method, f"/sandbox{path}", json=body, **kwargs)
        if response.status_code >= 400:
            raise SandboxRefused(response)
        return response.json()["data"]

    def reset(self) -> None:
        """Put every provider's data, clock, journal and faults back to the seed."""
        self.control("POST", "/reset-all")

    def register_application(
        self, *, provider: str = DEFAULT_PROVIDER, **attributes: Any
    ) -> list[dict[str, Any]]:
        """Register a pending application with `provider`; return the applications registered.

        The caller's application comes first, then any competing one (`competing_lead_provider`),
        as `POST /sandbox/npq-applications` answers.
        """
        return self.control("POST", "/npq-applications", attributes, provider=provider)

    def move_declaration(
        self, declaration_id: str, state: str, *, provider: str = DEFAULT_PROVIDER
    ) -> Any:
        """Move a declaration on DfE's side (`eligible`, `payable`, `paid`, ...)."""
        path = f"/participant-declarations/{declaration_id}/state"
        return self.control("PUT", path, {"state": state}, provider=provider)

    def mark_statement_payable(self, statement_id: str, *, provider: str = DEFAULT_PROVIDER) -> Any:
        """Mark a statement, and its eligible declarations, payable."""
        return self.control("PUT", f"/statements/{statement_id}/mark-payable", provider=provider)

    def mark_statement_paid(self, statement_id: str, *, provider: str = DEFAULT_PROVIDER) -> Any:
        """Mark a statement, and its payable declarations, paid."""
        return self.control("PUT", f"/statements/{statement_id}/mark-paid", provider=provider)

    def set_clock(self, now: datetime | str, *, provider: str = DEFAULT_PROVIDER) -> Any:
        """Set `provider`'s clock: the API's "now" for that provider from this instant on."""
        instant = now.isoformat() if isinstance(now, datetime) else now
        return self.control("PUT", "/clock", {"now": instant}, provider=provider)

    def add_fault(self, *, provider: str = DEFAULT_PROVIDER, **attributes: Any) -> Any:
        """Add a fault rule for `provider` (see `POST /sandbox/faults`)."""
        return self.control("POST", "/faults", attributes, provider=provider)

    def journal(self, *, provider: str = DEFAULT_PROVIDER, **filters: str) -> list[dict[str, Any]]:
        """Return `provider`'s journal entries (their attributes), oldest first, every page read.

        Filters are the journal's own: `method="POST"`, `path="/api/v3/participants/*"`,
        `since="2026-11-30T12:00:00Z"`.
        """
        return [entry["attributes"] for entry in self._journal_pages(provider, filters)]

    def _journal_pages(self, provider: str, filters: dict[str, str]) -> Iterator[dict[str, Any]]:
        query = {f"filter[{name}]": value for name, value in filters.items()}
        page = 1
        while True:
            params = {**query, "page[page]": page, "page[per_page]": JOURNAL_PAGE}
            entries = self.control("GET", "/journal", params=params, provider=provider)
            yield from entries
            if len(entries) < JOURNAL_PAGE:
                return
            page += 1

    def load_scenario(self, name: str) -> LoadedScenario:
        """Run the setup of a scenario of `fixtures/scenarios` and clear the journal after it.

        Only the scenario's first run is arranged: the provider's own code then plays the
        client, and `judge` gives the kit's verdicts on what it did.
        """
        scenario = scenarios.load(name)
        http = Http(self.origin, scenario.provider)
        saved = starting_values(scenario)
        arrange(http, scenario.runs[0], saved)
        http.call("DELETE", "/sandbox/journal")  # the setup's own requests are not judged
        steps = scenarios.substitute(list(scenario.runs[0].instructions), saved)
        ids = {key: _ids(answer) for key, answer in saved.items()}
        return LoadedScenario(scenario, saved, ids, steps)

    def judge(self, loaded: LoadedScenario, results: dict[str, Any]) -> list[Verdict]:
        """Judge what happened since `load_scenario` with the kit's own verdicts.

        `results` is what a client would write to `NPQ_RESULTS` (`{"results": [...],
        "view": {...}}`); the journal and the sandbox's final state are read here.
        """
        http = Http(self.origin, loaded.scenario.provider)
        resolved = resolve(loaded.scenario, loaded.saved)
        return judge(resolved, read_journal(http), results, read_truth(http))
