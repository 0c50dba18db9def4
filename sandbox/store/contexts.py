"""Loading what the domain's write rules decide on, from the record families' queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, TypedDict

from npq_sandbox.domain.declarations import CreateContext
from npq_sandbox.domain.funding import is_fundable, is_previously_funded
from npq_sandbox.domain.records import (
    Application,
    Declaration,
    Participant,
    Statement,
    StatementItem,
)
from npq_sandbox.domain.reference import COURSES
from npq_sandbox.store import (
    applications,
    contracts,
    declarations,
    delivery_partners,
    participants,
    statements,
)
from sqlalchemy import Connection


class PaymentContext(TypedDict):
    """What a move of a declaration's payment decides on: its items and where new ones go.

    A dict, so that a view passes it on as keyword arguments (`**payment_context(...)`) to
    `void` and to DfE's `move_declaration`, which take these two among others.
    """

    items: list[StatementItem]
    next_statement: Statement | None


def payment_context(conn: Connection, declaration: Declaration, today: date) -> PaymentContext:
    """Load the declaration's statement items and its provider's next statement."""
    return PaymentContext(
        items=declarations.items_of_declaration(conn, declaration.id),
        next_statement=statements.next_output_fee_statement(
            conn, declaration.lead_provider_id, declaration.cohort, today
        ),
    )


def create_context(
    conn: Connection, provider_id: str, given: dict[str, Any], today: date
) -> CreateContext:
    """Load everything DfE's declaration create looks up, for the caller and the request."""
    raw_id, course = given.get("participant_id"), given.get("course_identifier")
    person_id = raw_id if isinstance(raw_id, str) else None
    course = course if isinstance(course, str) and course in COURSES else None
    person = participants.visible_participant(conn, provider_id, person_id) if person_id else None
    application = _application(conn, provider_id, person, course)
    base = CreateContext(
        id_change=participants.id_change_from(conn, person_id) if person_id else None,
        participant=person,
        application=application,
        accepted_for_course=_accepted_anywhere(conn, person, course),
        known_partners=delivery_partners.existing_partners(conn, _partner_ids(given)),
    )
    if person is None or application is None or course is None:
        return base
    return _with_application(conn, base, person, application, given, today)


def _with_application(
    conn: Connection,
    base: CreateContext,
    person: Participant,
    application: Application,
    given: dict[str, Any],
    today: date,
) -> CreateContext:
    provider_id, course = application.lead_provider_id, str(given["course_identifier"])
    kind = given.get("declaration_type")
    others = applications.applications_of(conn, [person.id])[person.id]
    return replace(
        base,
        last_change=participants.latest_change(conn, application.id, provider_id),
        fundable=is_fundable(application, is_previously_funded(application, others)),
        declarations_on_application=declarations.declarations_on_application(conn, application.id),
        reposts=declarations.reposts(conn, provider_id, person.id, course, kind),
        twins=declarations.twins(conn, person, application, kind),
        next_statement=statements.next_output_fee_statement(
            conn, provider_id, application.cohort, today
        ),
        partnered=delivery_partners.partnered(
            conn, provider_id, application.cohort, _partner_ids(given)
        ),
        contracts=contracts.contracts_among(conn, provider_id, application.cohort, course),
    )


def _application(
    conn: Connection, provider_id: str, person: Participant | None, course: str | None
) -> Application | None:
    if person is None or course is None:
        return None
    return applications.accepted_for_declaration(conn, provider_id, person.id, course)


def _accepted_anywhere(conn: Connection, person: Participant | None, course: str | None) -> bool:
    return (
        person is not None
        and course is not None
        and (applications.accepted_anywhere(conn, person.id, course))
    )


def _partner_ids(given: dict[str, Any]) -> list[str]:
    names = ("delivery_partner_id", "secondary_delivery_partner_id")
    return [str(given[n]) for n in names if given.get(n) is not None and given[n] is not False]
