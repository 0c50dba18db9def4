"""Delivery partners: those a provider works with, and the ids a declaration may name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from npq_sandbox.domain.listing import Filters, Page, SortFields
from npq_sandbox.domain.records import DeliveryPartner, DeliveryPartnerView
from npq_sandbox.store.paging import ordered, paged, start_year
from npq_sandbox.store.remembered import remember
from npq_sandbox.store.rows import among_param, first, ids_param, records, tuples
from npq_sandbox.store.schema import delivery_partners, delivery_partnerships
from sqlalchemy import Connection, Select, bindparam, exists, select


def list_delivery_partners(
    conn: Connection, provider_id: str, filters: Filters, page: Page, sort: SortFields | None
) -> list[DeliveryPartnerView]:
    """Return one page of the delivery partners the provider works with."""
    query = _visible(provider_id, filters)
    query = ordered(
        query, delivery_partners, sort, [delivery_partners.c.name, delivery_partners.c.id]
    )
    return _views(conn, provider_id, records(conn, DeliveryPartner, paged(query, page)))


def get_delivery_partner(
    conn: Connection, provider_id: str, partner_id: str
) -> DeliveryPartnerView | None:
    """Return one delivery partner the provider works with, or None."""
    query = _visible(provider_id, Filters()).where(delivery_partners.c.id == partner_id)
    found = first(conn, DeliveryPartner, query)
    return _views(conn, provider_id, [found])[0] if found else None


def _visible(provider_id: str, filters: Filters) -> Select[Any]:
    partnered = exists().where(
        delivery_partnerships.c.delivery_partner_id == delivery_partners.c.id,
        delivery_partnerships.c.lead_provider_id == provider_id,
    )
    if filters.cohort_years is not None:
        years = [str(y) for y in filters.cohort_years]
        partnered = partnered.where(start_year(delivery_partnerships.c.cohort).in_(years))
    return select(delivery_partners).where(partnered)


def _views(
    conn: Connection, provider_id: str, found: list[DeliveryPartner]
) -> list[DeliveryPartnerView]:
    """Attach the start years in which each partner works with the provider."""
    query = select(
        delivery_partnerships.c.delivery_partner_id, delivery_partnerships.c.cohort
    ).where(
        delivery_partnerships.c.lead_provider_id == provider_id,
        delivery_partnerships.c.delivery_partner_id.in_([p.id for p in found]),
    )
    years: dict[str, set[int]] = defaultdict(set)
    for partner_id, cohort in conn.execute(query):
        years[partner_id].add(int(cohort[:4]))
    return [DeliveryPartnerView(p, tuple(sorted(years[p.id]))) for p in found]


class NamedPartners(NamedTuple):
    """Of the partner ids a request names: those that exist, and those partnered in a cohort."""

    known: frozenset[str]
    partnered: frozenset[str]


def named_partners(
    conn: Connection, provider_id: str, cohort: str | None, ids: Iterable[str]
) -> NamedPartners:
    """Which of the ids name a delivery partner, and which one of the provider's in the cohort.

    One statement answers both; without a cohort none is partnered. Only the partners a
    request names are looked up: a provider has dozens in a cohort.
    """
    wanted = list(ids)
    if not wanted:
        return NamedPartners(frozenset(), frozenset())
    params = {"ids": ids_param(wanted), "provider": provider_id, "cohort": cohort}
    rows = tuples(conn, _NAMED, params)
    return NamedPartners(
        frozenset(partner_id for partner_id, _ in rows),
        frozenset(partner_id for partner_id, partnered in rows if partnered),
    )


# Built once, as a declaration POST runs it (values are bound parameters); partners and
# partnerships seldom change, so it is answered from memory while they stand still.
_NAMED = remember(
    select(
        delivery_partners.c.id,
        exists().where(
            delivery_partnerships.c.delivery_partner_id == delivery_partners.c.id,
            delivery_partnerships.c.lead_provider_id == bindparam("provider"),
            delivery_partnerships.c.cohort == bindparam("cohort"),
        ),
    ).where(among_param(delivery_partners.c.id, "ids"))
)
