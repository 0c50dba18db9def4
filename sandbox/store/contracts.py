"""A lead provider's contracts: the (cohort, course) pairs DfE lets it declare and move into.

Rules: docs/rules.md §4.4 and §18.10.
"""

from __future__ import annotations

from npq_sandbox.domain.records import Contract
from npq_sandbox.store.remembered import remember
from npq_sandbox.store.rows import records, tuples
from npq_sandbox.store.schema import contracts
from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    delete,
    exists,
    insert,
    select,
)


def contracts_of(conn: Connection, provider_id: str) -> frozenset[tuple[str, str]]:
    """Return the provider's contracts as (cohort, course identifier) pairs."""
    query = select(contracts.c.cohort, contracts.c.course_identifier).where(
        contracts.c.lead_provider_id == provider_id
    )
    return frozenset((cohort, course) for cohort, course in conn.execute(query))


def contracts_among(
    conn: Connection, provider_id: str, cohort: str, course: str
) -> frozenset[tuple[str, str]]:
    """Return the provider's contracts among this one (cohort, course) pair: it, or none.

    A declaration needs only this pair; a provider holds about a hundred contracts.
    """
    params = {"provider": provider_id, "cohort": cohort, "course": course}
    return frozenset((cohort, course) for cohort, course in tuples(conn, _AMONG, params))


def list_contracts(conn: Connection, provider_id: str) -> list[Contract]:
    """Return the provider's contracts, by cohort then course."""
    query = (
        select(contracts)
        .where(contracts.c.lead_provider_id == provider_id)
        .order_by(contracts.c.cohort, contracts.c.course_identifier)
    )
    return records(conn, Contract, query)


def has_contract(conn: Connection, contract: Contract) -> bool:
    """Tell whether the provider holds this contract."""
    return bool(conn.scalar(select(exists().where(_matching(contract)))))


def add_contract(conn: Connection, contract: Contract) -> None:
    """Give the provider a contract it does not hold yet."""
    conn.execute(insert(contracts).values(vars(contract)))


def remove_contract(conn: Connection, contract: Contract) -> bool:
    """Take a contract away; tell whether there was one."""
    return conn.execute(delete(contracts).where(_matching(contract))).rowcount > 0


def remove_all(conn: Connection, provider_id: str) -> None:
    """Take every contract of the provider away (a reset puts the seed's back)."""
    conn.execute(delete(contracts).where(contracts.c.lead_provider_id == provider_id))


# Built once, as a declaration POST runs it (values are bound parameters); contracts seldom
# change, so it is answered from memory while they stand still.
_AMONG = remember(
    select(contracts.c.cohort, contracts.c.course_identifier).where(
        contracts.c.lead_provider_id == bindparam("provider"),
        contracts.c.cohort == bindparam("cohort"),
        contracts.c.course_identifier == bindparam("course"),
    )
)


def _matching(contract: Contract) -> ColumnElement[bool]:
    return and_(
        contracts.c.lead_provider_id == contract.lead_provider_id,
        contracts.c.cohort == contract.cohort,
        contracts.c.course_identifier == contract.course_identifier,
    )
