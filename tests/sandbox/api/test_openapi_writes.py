"""schemathesis runs `openapi.yaml`'s writes and control plane in-process on a fresh database.

Only operations the app routes are run, so operations documented ahead of their
implementation join in as soon as they exist (test_openapi_coverage.py checks the converse).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from npq_sandbox import Settings, create_app
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.seeding import SeedSummary
from npq_sandbox.store import faults
from npq_sandbox.store.db import Database
from schemathesis.filters import HasAPIOperation

from tests.sandbox.api.openapi_support import (
    AUTH,
    RESPONSE_CHECKS,
    app_routes,
    is_routed,
    load_schema,
)

ROUTES = app_routes()
# The seed's guaranteed records of the calling provider, filled in by `module_app`: random
# UUIDs only ever find nothing, so path ids are drawn from these as often as not.
KNOWN_IDS: list[str] = []


def _is_write_or_control(context: HasAPIOperation) -> bool:
    operation = context.operation
    if not is_routed(ROUTES, operation.path, operation.method):
        return False
    return operation.path.startswith("/sandbox/") or operation.method.upper() != "GET"


writes = load_schema().include(func=_is_write_or_control)


@writes.hook("flatmap_path_parameters")
def _seeded_ids(_context: Any, parameters: dict[str, Any] | None) -> Any:
    if not parameters or "id" not in parameters or not KNOWN_IDS:
        return st.just(parameters)
    ids = st.one_of(st.just(parameters["id"]), st.sampled_from(KNOWN_IDS))
    return ids.map(lambda chosen: {**parameters, "id": chosen})


@pytest.fixture(scope="module")
def module_app(pristine: tuple[Database, SeedSummary]) -> Iterator[Flask]:
    """One private copy of the pristine database for the whole fuzz run of this module."""
    db = pristine[0].copy()
    KNOWN_IDS[:] = sorted(set(pristine[1].cases[LEAD_PROVIDERS[0].id].values()))
    yield create_app(Settings(database=db, testing=True))
    db.dispose()


@writes.parametrize()
# Derandomized so CI is repeatable; few examples per operation keep the module quick.
@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_write_operations_conform(case: schemathesis.Case, module_app: Flask) -> None:
    try:
        case.call_and_validate(app=module_app, headers=AUTH, checks=RESPONSE_CHECKS)
    finally:
        # A fuzzed fault (a 429, a lost response) would otherwise hit the later calls, whose
        # documented answers rightly do not include it.
        with module_app.extensions["npq_db"].transaction(write=True) as conn:
            faults.remove_all(conn)
