"""Delivery partners and their partnerships with lead providers, as DfE's seeds make them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from npq_sandbox.domain.records import DeliveryPartner, Partnership
from npq_sandbox.domain.reference import COHORTS, LEAD_PROVIDERS
from npq_sandbox.seeding.books import PartnerBook
from npq_sandbox.seeding.clock import days
from npq_sandbox.seeding.dataset import Dataset

POOL_SIZE = 100
PARTNERS_PER_PROVIDER = 12
ONLY_COHORT = "2025a"
_CREATED_FROM = datetime(2021, 1, 4, 9, tzinfo=UTC)
_NAME_PATTERNS = (
    "{city} Teaching School Hub",
    "{surname} Learning Trust",
    "{city} Maths Hub",
    "{surname} Academy Trust",
    "{city} Teacher Development Partnership",
    "{city} Schools Alliance",
)


def add_delivery_partners(
    ds: Dataset, providers: Collection[str]
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Write DPs and partnerships; return each provider's all-cohort DPs and its 2025a-only DP.

    As in DfE's seeds the first provider (Ambition Institute) partners the whole pool in every
    cohort; the others each get a fixed slice of it, and one DP partnered only in 2025a, so
    that the per-cohort partnership check has a case to fail.
    """
    names: set[str] = set()
    pool = [_new_partner(ds, names) for _ in range(POOL_SIZE)]
    home: dict[str, list[str]] = {}
    for index, provider in enumerate(LEAD_PROVIDERS):
        if provider.id not in providers:
            continue
        home[provider.id] = [p.id for p in (pool if index == 0 else _slice(pool, index))]
        _partner(ds, home[provider.id], provider.id, [c.identifier for c in COHORTS])
    only = {p.id: _new_partner(ds, names).id for p in LEAD_PROVIDERS if p.id in providers}
    for provider_id, partner_id in only.items():
        _partner(ds, [partner_id], provider_id, [ONLY_COHORT])
    ds.partner_book = PartnerBook(ds.partnerships)
    return home, only


def _slice(pool: list[DeliveryPartner], index: int) -> list[DeliveryPartner]:
    start = (index - 1) * PARTNERS_PER_PROVIDER
    return pool[start : start + PARTNERS_PER_PROVIDER]


def _partner(ds: Dataset, partner_ids: list[str], provider_id: str, cohorts: list[str]) -> None:
    ds.partnerships.extend(
        Partnership(partner_id, provider_id, cohort)
        for cohort in cohorts
        for partner_id in partner_ids
    )


def _new_partner(ds: Dataset, names: set[str]) -> DeliveryPartner:
    created = ds.moment(_CREATED_FROM, _CREATED_FROM + days(180))
    partner = DeliveryPartner(ds.new_id(), _unique_name(ds, names), created, created)
    ds.delivery_partners.append(partner)
    return partner


def _unique_name(ds: Dataset, names: set[str]) -> str:
    """Return a fresh partner name; Faker's city list is large enough to never run dry."""
    while True:
        pattern = ds.pick(_NAME_PATTERNS)
        name = pattern.format(city=ds.fake.city(), surname=ds.fake.last_name())
        if name not in names:
            names.add(name)
            return name
