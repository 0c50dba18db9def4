"""schemathesis' stateful phase: chains of calls along `openapi.yaml`'s links, on a fresh app.

The links let a scenario register or list an application, accept it, declare for the
participant, then void or re-partner the declaration (and defer, withdraw, resume or
re-schedule the participant). Each scenario starts from its own copy of the seeded database,
so a scenario replays exactly. Only operations the app routes take part, so operations
documented ahead of their implementation join in as soon as they exist.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask import Flask
from hypothesis import HealthCheck, settings
from npq_sandbox import Settings, create_app
from npq_sandbox.seeding import SeedSummary
from npq_sandbox.store.db import Database
from schemathesis import Case, Response
from schemathesis.filters import HasAPIOperation

from tests.helpers import TODAY
from tests.sandbox.api.openapi_support import (
    AUTH,
    RESPONSE_CHECKS,
    app_routes,
    is_routed,
    load_schema,
)

ROUTES = app_routes()
# Scenarios run at a fixed instant after the seed's anchor, so the seeded statements,
# schedules and cohorts they meet never depend on the day the suite runs.


def _is_routed(context: HasAPIOperation) -> bool:
    return is_routed(ROUTES, context.operation.path, context.operation.method)


def _linked_schema() -> Any:
    """The contract with only its own links: inferred ones would spend steps on guesses."""
    linked = load_schema()
    linked.config.phases.stateful.inference.algorithms = []
    return linked


schema = _linked_schema().include(func=_is_routed)


class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Each scenario runs against a private copy of the pristine seeded database."""

    pristine: ClassVar[Database]
    db: Database
    app: Flask

    def setup(self) -> None:
        self.db = self.pristine.copy()
        self.app = create_app(Settings(database=self.db, testing=True))

    def teardown(self) -> None:
        self.db.dispose()

    def get_call_kwargs(self, case: Case) -> dict[str, Any]:
        return {"app": self.app, "headers": {**AUTH, **TODAY}}

    def validate_response(
        self, response: Response, case: Case, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        case.validate_response(response, checks=RESPONSE_CHECKS, transport_kwargs=kwargs)


def test_linked_calls_conform(pristine: tuple[Database, SeedSummary]) -> None:
    Workflow.pristine = pristine[0]
    Workflow.run(
        settings=settings(
            max_examples=30,
            stateful_step_count=8,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )


CHAIN = {
    ("GET /api/v3/npq-applications/{id}", "POST /api/v3/npq-applications/{id}/accept"),
    ("GET /api/v3/npq-applications/{id}", "POST /api/v3/npq-applications/{id}/reject"),
    ("POST /sandbox/npq-applications", "POST /api/v3/npq-applications/{id}/accept"),
    ("POST /api/v3/npq-applications/{id}/accept", "POST /api/v3/participant-declarations"),
    ("POST /api/v3/participant-declarations", "PUT /api/v3/participant-declarations/{id}/void"),
    ("POST /api/v3/participant-declarations", "GET /api/v3/participant-declarations/{id}"),
    (
        "POST /api/v3/participant-declarations",
        "PUT /api/v3/participant-declarations/{id}/change-delivery-partner",
    ),
}


def test_contract_links_accept_declare_void() -> None:
    """The whole contract (routed or not) links accept, then declare, then void."""
    machine = _linked_schema().as_state_machine()
    links = {
        (link.source.label, link.target.label)
        for entry in machine._transitions.operations.values()
        for link in entry.outgoing
    }
    assert links >= CHAIN, CHAIN - links
