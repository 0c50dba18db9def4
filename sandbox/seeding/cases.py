"""Every guaranteed case, for every provider, named so that tests can find them."""

from __future__ import annotations

from collections.abc import Callable

from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.domain.states import StatementState
from npq_sandbox.seeding.casekit import window
from npq_sandbox.seeding.cases_applications import (
    competing_cases,
    multiple_application_cases,
    pending_cases,
    rejection_cases,
)
from npq_sandbox.seeding.cases_declarations import outcome_cases, state_cases, transferred_cases
from npq_sandbox.seeding.cases_participants import (
    coverage_cases,
    merged_cases,
    training_status_cases,
)
from npq_sandbox.seeding.dataset import Dataset

Cases = dict[str, dict[str, str]]
# Statement cases come from the capped 2025a cohort, whose contract is running at SEED_NOW.
STATEMENT_COHORT = "2025a"


def add_cases(
    ds: Dataset, home: dict[str, list[str]], only: dict[str, str], progress: Callable[[int], None]
) -> Cases:
    """Build each provider's cases; Q is the next provider in LEAD_PROVIDERS, cyclically."""
    cases: Cases = {}
    for index, provider in enumerate(LEAD_PROVIDERS):
        other = LEAD_PROVIDERS[(index + 1) % len(LEAD_PROVIDERS)].id
        cases[provider.id] = _provider_cases(ds, provider.id, other)
        cases[provider.id].update(
            delivery_partner=home[provider.id][0],
            delivery_partner_2025a_only=only[provider.id],
            unpartnered_delivery_partner=only[other],
        )
        progress(1)
    _add_invisible(cases)
    return cases


def _provider_cases(ds: Dataset, provider_id: str, other_id: str) -> dict[str, str]:
    return {
        **pending_cases(ds, provider_id),
        **rejection_cases(ds, provider_id, other_id),
        **multiple_application_cases(ds, provider_id),
        **competing_cases(ds, provider_id, other_id),
        **coverage_cases(ds, provider_id),
        **training_status_cases(ds, provider_id),
        **merged_cases(ds, provider_id),
        **state_cases(ds, provider_id),
        **outcome_cases(ds, provider_id),
        **transferred_cases(ds, provider_id, other_id),
        **statement_cases(ds, provider_id),
    }


def statement_cases(ds: Dataset, provider_id: str) -> dict[str, str]:
    """An open, a payable and a paid output-fee statement, and a hidden non-output-fee one."""
    named = {
        f"statement_{state.value}": window(ds, provider_id, STATEMENT_COHORT, state).statement.id
        for state in StatementState
    }
    hidden = next(
        s
        for s in ds.statements
        if s.lead_provider_id == provider_id and s.cohort == STATEMENT_COHORT and not s.output_fee
    )
    return {**named, "non_output_fee_statement": hidden.id}


def _add_invisible(cases: Cases) -> None:
    """Name, for each provider, records that only the next provider can see (404 for it)."""
    ids = [provider.id for provider in LEAD_PROVIDERS]
    for index, provider_id in enumerate(ids):
        theirs = cases[ids[(index + 1) % len(ids)]]
        cases[provider_id].update(
            invisible_application=theirs["pending_application"],
            invisible_participant=theirs["active_participant"],
            invisible_declaration=theirs["declaration_eligible"],
        )
