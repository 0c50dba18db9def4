"""Every guaranteed case, for every provider, named so that tests can find them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

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
from npq_sandbox.seeding.made import build
from npq_sandbox.seeding.orders import plan
from npq_sandbox.seeding.recipe import Recipe

Cases = dict[str, dict[str, str]]
# Statement cases come from the capped 2025a cohort, whose contract is running at SEED_NOW.
STATEMENT_COHORT = "2025a"


def add_cases(
    ds: Dataset,
    home: dict[str, list[str]],
    only: dict[str, str],
    progress: Callable[[int], None],
    recipe: Recipe,
) -> Cases:
    """Build each provider's cases of the recipe's families, and its records made to order.

    Q, the other provider of a case, is the next of the recipe's providers, cyclically.
    """
    cases: Cases = {}
    ids = recipe.providers
    for index, provider_id in enumerate(ids):
        other = ids[(index + 1) % len(ids)]
        cases[provider_id] = _provider_cases(ds, provider_id, other, recipe.cases)
        cases[provider_id].update(
            delivery_partner=home[provider_id][0],
            delivery_partner_2025a_only=only[provider_id],
            unpartnered_delivery_partner=only[other],
        )
        windows = partial(ds.statement_book.windows, provider_id)
        build(ds, provider_id, plan(recipe, provider_id, windows))
        progress(1)
    _add_invisible(cases, ids)
    return cases


_FAMILIES: dict[str, Callable[[Dataset, str, str], dict[str, str]]] = {
    "pending": lambda ds, p, _q: pending_cases(ds, p),
    "rejections": rejection_cases,
    "multiple-applications": lambda ds, p, _q: multiple_application_cases(ds, p),
    "competing": competing_cases,
    "coverage": lambda ds, p, _q: coverage_cases(ds, p),
    "training-statuses": lambda ds, p, _q: training_status_cases(ds, p),
    "merged": lambda ds, p, _q: merged_cases(ds, p),
    "declaration-states": lambda ds, p, _q: state_cases(ds, p),
    "outcomes": lambda ds, p, _q: outcome_cases(ds, p),
    "transferred": transferred_cases,
    "statements": lambda ds, p, _q: statement_cases(ds, p),
}


def _provider_cases(
    ds: Dataset, provider_id: str, other_id: str, families: Sequence[str]
) -> dict[str, str]:
    cases: dict[str, str] = {}
    for family in families:
        cases.update(_FAMILIES[family](ds, provider_id, other_id))
    return cases


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


def _add_invisible(cases: Cases, ids: Sequence[str]) -> None:
    """Name, for each provider, records that only the next provider can see (404 for it)."""
    needed = ("pending_application", "active_participant", "declaration_eligible")
    for index, provider_id in enumerate(ids):
        theirs = cases[ids[(index + 1) % len(ids)]]
        if len(ids) < 2 or not all(name in theirs for name in needed):
            continue
        cases[provider_id].update(
            invisible_application=theirs["pending_application"],
            invisible_participant=theirs["active_participant"],
            invisible_declaration=theirs["declaration_eligible"],
        )
