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
    statement_items,
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
        items=statement_items.items_of_declaration(conn, declaration.id),
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
    # One read of the person's applications (any provider, any status) tells which one is
    # declared on, whether anyone accepted them for the course and whether they were funded.
    theirs = applications.applications_of(conn, [person.id])[person.id] if person else []
    application = applications.accepted_for_declaration(theirs, provider_id, course)
    cohort = application.cohort if application is not None else None
    named = delivery_partners.named_partners(conn, provider_id, cohort, _partner_ids(given))
    base = CreateContext(
        id_change=participants.id_change_from(conn, person_id) if person_id else None,
        participant=person,
        application=application,
        accepted_for_course=course is not None and applications.accepted_anywhere(theirs, course),
        known_partners=named.known,
    )
    if person is None or application is None or course is None:
        return base
    return _with_application(conn, base, theirs, named.partnered, given, today)


def _with_application(
    conn: Connection,
    base: CreateContext,
    theirs: list[Application],
    partnered: frozenset[str],
    given: dict[str, Any],
    today: date,
) -> CreateContext:
    person, application = base.participant, base.application
    assert person is not None and application is not None  # create_context checked both
    provider_id, course = application.lead_provider_id, str(given["course_identifier"])
    kind = given.get("declaration_type")
    both = declarations.declared(conn, person, [a.id for a in theirs], application, kind)
    found = both.on_applications
    on_course = [a for a in theirs if a.course_identifier == course]
    return replace(
        base,
        last_change=participants.latest_change(conn, application.id, provider_id),
        fundable=is_fundable(application, is_previously_funded(application, theirs)),
        declarations_on_application=[d for d in found if d.application_id == application.id],
        reposts=declarations.reposts(found, on_course, provider_id, kind),
        twins=both.twins,
        next_statement=statements.next_output_fee_statement(
            conn, provider_id, application.cohort, today
        ),
        partnered=partnered,
        contracts=contracts.contracts_among(conn, provider_id, application.cohort, course),
    )


def _partner_ids(given: dict[str, Any]) -> list[str]:
    names = ("delivery_partner_id", "secondary_delivery_partner_id")
    return [str(given[n]) for n in names if given.get(n) is not None and given[n] is not False]
