"""A live sandbox seen from a test: its URLs, the providers' tokens and the control plane.

`LiveSandbox` speaks HTTP only, so it drives a sandbox the plugin started in a thread or one
running elsewhere (`--npq-base-url`) alike. Control-plane helpers raise `SandboxRefused` when the
sandbox refuses, so a test's setup cannot fail silently.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests
from npq_conformance import scenarios
from npq_conformance.client import SandboxClient
from npq_conformance.judging import Verdict
from npq_conformance.runner import Prepared, prepare, verdicts
from npq_sandbox import ADMIN_TOKEN, LEAD_PROVIDERS, find_provider

DEFAULT_PROVIDER = LEAD_PROVIDERS[0].name


class LiveSandbox:
    """A running sandbox at `origin` (`http://host:port`), driven through its HTTP API."""

    def __init__(self, origin: str, *, started: bool) -> None:
        self.client = SandboxClient(origin, self.token(DEFAULT_PROVIDER))
        self.origin, self.started = self.client.origin, started

    @property
    def base_url(self) -> str:
        """The API's base URL, as a client is given it (ends in /api/v3)."""
        return self.client.base_url

    def token(self, provider: str = DEFAULT_PROVIDER) -> str:
        """Return the bearer token of a provider named by name, slug or id."""
        return find_provider(provider).token

    def request(
        self, method: str, path: str, *, provider: str = DEFAULT_PROVIDER, **kwargs: Any
    ) -> requests.Response:
        """Send a request as `provider` to a path (`/api/v3/...` or `/sandbox/...`)."""
        return self.client.request(method, path, token=self.token(provider), **kwargs)

    def control(
        self,
        method: str,
        path: str,
        attributes: dict[str, Any] | None = None,
        *,
        provider: str = DEFAULT_PROVIDER,
    ) -> Any:
        """Call the control plane and return its `data`; raise `SandboxRefused` on >= 400."""
        return self.client.control(method, path, attributes, token=self.token(provider))

    def reset(self) -> None:
        """Put every provider's data, clock, journal and faults back to the seed.

        It takes the administrator's token: the default one, as the kit's own sandbox has it.
        """
        self.client.control("POST", "/reset-all", token=ADMIN_TOKEN)

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
        query = {f"filter[{name}]": value for name, value in filters.items()}
        entries = self.client.read_all("/sandbox/journal", query, token=self.token(provider))
        return [entry["attributes"] for entry in entries]

    def load_scenario(self, name: str) -> Prepared:
        """Run the setup of a scenario of the kit's catalogue and clear the journal after it.

        Only the scenario's first run is arranged: the provider's own code then plays the
        client, and `judge` gives the kit's verdicts on what it did.
        """
        scenario = scenarios.load(name)
        return prepare(self._as(scenario.provider), scenario)

    def judge(self, loaded: Prepared, results: dict[str, Any]) -> list[Verdict]:
        """Judge what happened since `load_scenario` with the kit's own verdicts.

        `results` is what a client would write to `NPQ_RESULTS` (`{"results": [...],
        "view": {...}}`); the journal and the sandbox's final state are read here.
        """
        return verdicts(self._as(loaded.scenario.provider), loaded, results)

    def _as(self, token: str) -> SandboxClient:
        return SandboxClient(self.origin, token, self.client.session)
