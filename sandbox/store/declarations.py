"""Declarations and their statement items: what a provider sees, and what its writes move.

A provider sees the declarations it made and those on an application it owns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from npq_sandbox.domain import messages
from npq_sandbox.domain.declarations import Creation
from npq_sandbox.domain.errors import Forbidden, NotFound
from npq_sandbox.domain.listing import Filters, Page
from npq_sandbox.domain.outcomes import OUTCOME_DECLARATION_STATES
from npq_sandbox.domain.records import (
    Application,
    Declaration,
    DeclarationView,
    Participant,
)
from npq_sandbox.domain.reference import PROVIDERS_BY_ID
from npq_sandbox.domain.states import (
    CLAWBACK_ITEM_STATES,
    LIVE_DECLARATION_STATES,
    PAYMENT_ITEM_STATES,
    OutcomeState,
)
from npq_sandbox.store import derived, polling
from npq_sandbox.store.applications import course_and_rebrand
from npq_sandbox.store.outcomes import RECORDED
from npq_sandbox.store.paging import bounded_offset, paged, start_year
from npq_sandbox.store.remembered import remember
from npq_sandbox.store.rows import among_param, ids_param, keyed, maker, records, tuples
from npq_sandbox.store.schema import (
    applications,
    declarations,
    delivery_partners,
    outcomes,
    participants,
    statement_items,
)
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    bindparam,
    literal_column,
    or_,
    select,
    union_all,
)

_LIVE = ids_param(s.value for s in LIVE_DECLARATION_STATES)


def page_rows(conn: Connection, provider_id: str, filters: Filters, page: Page) -> derived.Rows:
    """One page of the declarations the provider sees, each with its stored body (or None)."""
    if filters == Filters():  # the whole list: an index range
        return derived.declarations_page(conn, provider_id, page.size, bounded_offset(page))
    ids = page_ids(conn, provider_id, filters, page)
    return derived.with_bodies(conn, derived.DECLARATION, derived.ANYONE, ids)


def page_ids(conn: Connection, provider_id: str, filters: Filters, page: Page) -> list[str]:
    """The ids of one page of the declarations the provider made or whose application it owns."""
    since = filters.updated_since
    if since is not None and filters == Filters(updated_since=since):  # a client polling
        return polling.changed_ids(conn, provider_id, since, page)
    # The page's ids from indexes alone: sorting every visible row in full to keep a hundred
    # would cost the same on every page, but far more.
    by_time = since is not None and polling.is_recent(conn, since)
    visible = polling.visible_to(provider_id, by_time=by_time)
    query = _filtered(select(declarations.c.id).where(visible), filters)
    query = query.order_by(declarations.c.created_at, declarations.c.id)
    return list(conn.scalars(paged(query, page)).all())


def views_of(conn: Connection, ids: list[str]) -> list[DeclarationView]:
    """These declarations, in this order."""
    keys, rows = keyed(conn, _BY_IDS, {"ids": ids_param(ids)})
    position = keys.index("id")  # the declaration's (its application's is `app_id`)
    by_id = {row[position]: row for row in rows}
    return _views(conn, keys, [by_id[i] for i in ids])


def stored(conn: Connection, provider_id: str, declaration_id: str) -> derived.Found:
    """Whether the provider sees the declaration, and its stored body."""
    return derived.found(conn, _STORED, {"provider": provider_id, "declaration": declaration_id})


def get_declaration(
    conn: Connection, provider_id: str, declaration_id: str
) -> DeclarationView | None:
    """Return one declaration the provider sees, or None."""
    keys, rows = keyed(conn, _ONE, {"provider": provider_id, "declaration": declaration_id})
    views = _views(conn, keys, rows)
    return views[0] if views else None


def own_declaration(conn: Connection, provider_id: str, declaration_id: str) -> DeclarationView:
    """Return a declaration the provider may change: one it sees and made, checked in that order.

    DfE answers "not found" for a declaration the caller cannot see, and refuses a change to
    one another provider made (seen through an application the caller now owns).
    """
    view = get_declaration(conn, provider_id, declaration_id)
    if view is None:
        raise NotFound()
    if view.declaration.lead_provider_id != provider_id:
        raise Forbidden(
            messages.CANNOT_MODIFY_DECLARATION_TITLE, messages.CANNOT_MODIFY_DECLARATION
        )
    return view


def _visible(provider_id: str | ColumnElement[Any]) -> Select[Any]:
    return _joined().where(polling.visible_to(provider_id))


def _joined() -> Select[Any]:
    """Declarations with their applications' columns, prefixed `app_`."""
    columns = [*declarations.c, *(c.label(f"app_{c.name}") for c in applications.c)]
    return select(*columns).join(applications, applications.c.id == declarations.c.application_id)


def _filtered(query: Select[Any], filters: Filters) -> Select[Any]:
    if filters.cohort_years is not None:
        years = [str(y) for y in filters.cohort_years]
        query = query.where(start_year(declarations.c.cohort).in_(years))
    if filters.participant_ids is not None:
        theirs = select(applications.c.id).where(
            applications.c.participant_id.in_(filters.participant_ids)
        )
        query = query.where(declarations.c.application_id.in_(theirs))
    if filters.updated_since is not None:
        query = query.where(declarations.c.updated_at >= filters.updated_since)
    return query


def _views(conn: Connection, keys: tuple[str, ...], rows: Sequence[Any]) -> list[DeclarationView]:
    """Views of `_joined` rows (tuples of the columns named by `keys`)."""
    declaration, application = maker(Declaration, keys), maker(Application, _unprefixed(keys))
    found = [declaration(row) for row in rows]
    apps = [application(row) for row in rows]
    ids = [d.id for d in found]
    items = _statement_items(conn, ids)
    latest = _latest_outcomes(conn, ids)
    names = _partner_names(conn, found)
    return [
        _view(d, a, items.get(d.id, {}), latest.get(d.id), names)
        for d, a in zip(found, apps, strict=True)
    ]


def _view(
    declaration: Declaration,
    application: Application,
    items: dict[str, str],
    outcome: OutcomeState | None,
    names: dict[str, str],
) -> DeclarationView:
    dp, secondary = declaration.delivery_partner_id, declaration.secondary_delivery_partner_id
    return DeclarationView(
        declaration=declaration,
        application=application,
        lead_provider_name=PROVIDERS_BY_ID[declaration.lead_provider_id].name,
        delivery_partner_name=names.get(dp) if dp else None,
        secondary_delivery_partner_name=names.get(secondary) if secondary else None,
        statement_id=items.get("payment"),
        clawback_statement_id=items.get("clawback"),
        latest_outcome=outcome,
    )


def _unprefixed(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The application's column names in a `_joined` row; the declaration's become blank."""
    return tuple(key[4:] if key.startswith("app_") else "" for key in keys)


def _statement_items(conn: Connection, ids: list[str]) -> dict[str, dict[str, str]]:
    """Map each declaration to the statement paying it and the one clawing it back."""
    found: dict[str, dict[str, str]] = {}
    for declaration_id, statement_id, state in tuples(conn, _ITEMS, {"ids": ids_param(ids)}):
        kind = (
            "payment"
            if state in PAYMENT_ITEM_STATES
            else "clawback"
            if state in CLAWBACK_ITEM_STATES
            else None
        )
        if kind:
            found.setdefault(declaration_id, {})[kind] = statement_id
    return found


def _latest_outcomes(conn: Connection, ids: list[str]) -> dict[str, OutcomeState]:
    rows = tuples(conn, _OUTCOMES, {"ids": ids_param(ids)})
    return {declaration_id: OutcomeState(state) for declaration_id, state in rows}


def _partner_names(conn: Connection, found: list[Declaration]) -> dict[str, str]:
    ids = {i for d in found for i in (d.delivery_partner_id, d.secondary_delivery_partner_id) if i}
    if not ids:
        return {}
    rows = tuples(conn, _PARTNER_NAMES, {"ids": ids_param(ids)})
    return {partner_id: name for partner_id, name in rows}


def declarations_on_application(conn: Connection, application_id: str) -> list[Declaration]:
    """Every declaration on an application, whoever made it, oldest first."""
    return records(conn, Declaration, _ON_APPLICATION, {"application": application_id})


def declarations_on_statement(conn: Connection, statement_id: str) -> list[Declaration]:
    """Return the declarations with an item on a statement, oldest first."""
    attached = select(statement_items.c.declaration_id).where(
        statement_items.c.statement_id == statement_id
    )
    return _oldest_first(conn, select(declarations).where(declarations.c.id.in_(attached)))


def created_view(conn: Connection, created: Creation, application: Application) -> DeclarationView:
    """The view of a declaration just inserted, built from what was saved, not read back.

    It is exactly what `get_declaration` would read: the records were saved as they are, and
    the application is the one the declaration was made on. Only the partners' names are read.
    """
    declaration = created.declaration
    items: dict[str, str] = {}
    for item in created.items:  # as `_statement_items` reads them, in insertion order
        if item.state in PAYMENT_ITEM_STATES:
            items["payment"] = item.statement_id
        elif item.state in CLAWBACK_ITEM_STATES:
            items["clawback"] = item.statement_id
    latest = created.outcome.state if created.outcome is not None else None
    names = _partner_names(conn, [declaration])
    return _view(declaration, application, items, latest, names)


class Declared(NamedTuple):
    """What a declaration POST checks against: the person's declarations, and their twins'."""

    on_applications: list[Declaration]  # on the person's applications, whoever made them
    twins: list[Declaration]  # see `declared`


def declared(
    conn: Connection,
    person: Participant,
    application_ids: list[str],
    application: Application,
    kind: Any,
) -> Declared:
    """Every declaration on the person's applications (`application_ids`), and their twins.

    Twins are the live, not superseded declarations of this type and course (or its rebrand)
    by others with the person's TRN. Both oldest first, and read in one statement: a POST that
    loses its race for the write lock replays one read of declarations, not two.
    """
    params = {
        "ids": ids_param(application_ids),
        "trn": person.trn or None,  # a blank TRN has no twins
        "person": person.id,
        "kind": str(kind),
        "courses": ids_param(course_and_rebrand(application.course_identifier)),
        "live": _LIVE,
    }
    keys, rows = keyed(conn, _DECLARED, params)
    make = maker(Declaration, keys)
    found = Declared([], [])
    for row in rows:
        (found.on_applications if row[-1] else found.twins).append(make(row))
    return found


def reposts(
    found: Iterable[Declaration], theirs: Iterable[Application], provider_id: str, kind: Any
) -> list[Declaration]:
    """The caller's live declarations of this type among `found`, on exactly these applications.

    `found` are the declarations on a person's applications, oldest first; `theirs` those of
    the applications for exactly the declared course.
    """
    on_course = {a.id for a in theirs}
    return [
        d
        for d in found
        if d.application_id in on_course
        and d.lead_provider_id == provider_id
        and d.declaration_type == str(kind)
        and d.state in LIVE_DECLARATION_STATES
    ]


def result_declarations(
    conn: Connection, provider_id: str, person_id: str, course: str
) -> list[Declaration]:
    """The person's completed declarations for the course that can carry a result, newest first.

    Those the caller made, and those on an application the caller now owns.
    """
    query = _of_person(person_id, course).where(
        or_(
            declarations.c.lead_provider_id == provider_id,
            applications.c.lead_provider_id == provider_id,
        ),
        declarations.c.declaration_type == "completed",
        declarations.c.state.in_([s.value for s in OUTCOME_DECLARATION_STATES]),
    )
    query = query.order_by(declarations.c.created_at.desc(), declarations.c.id.desc())
    return records(conn, Declaration, query)


# Statements a declaration POST runs, built once (values are bound parameters): building and
# keying a statement cost more than SQLite's running it.
_BY_IDS = _joined().where(among_param(declarations.c.id, "ids"))
_STORED = select(
    declarations.c.id, derived.body_of(derived.DECLARATION, derived.ANYONE, declarations.c.id)
).where(declarations.c.id == bindparam("declaration"), polling.visible_to(bindparam("provider")))
_ONE = _visible(bindparam("provider")).where(declarations.c.id == bindparam("declaration"))
_ITEMS = (
    select(
        statement_items.c.declaration_id, statement_items.c.statement_id, statement_items.c.state
    )
    .where(among_param(statement_items.c.declaration_id, "ids"))
    .order_by(statement_items.c.id)
)
_OUTCOMES = (
    select(outcomes.c.declaration_id, outcomes.c.state)
    .where(among_param(outcomes.c.declaration_id, "ids"))
    .order_by(*RECORDED)  # oldest first: the last row per declaration is its latest
)
_PARTNER_NAMES = remember(  # partners seldom change: answered from memory meanwhile
    select(delivery_partners.c.id, delivery_partners.c.name).where(
        among_param(delivery_partners.c.id, "ids")
    )
)
_OLDEST_FIRST = (declarations.c.created_at, declarations.c.id)
_ON_APPLICATION = (
    select(declarations)
    .where(declarations.c.application_id == bindparam("application"))
    .order_by(*_OLDEST_FIRST)
)
# `declared`'s: each row's last column tells the person's own (1) from a twin's (0).
_DECLARED = union_all(
    select(declarations, literal_column("1").label("own")).where(
        among_param(declarations.c.application_id, "ids")
    ),
    select(declarations, literal_column("0").label("own"))
    .join(applications, applications.c.id == declarations.c.application_id)
    .join(participants, participants.c.id == applications.c.participant_id)
    .where(
        participants.c.trn == bindparam("trn"),
        participants.c.id != bindparam("person"),
        among_param(applications.c.course_identifier, "courses"),
        declarations.c.declaration_type == bindparam("kind"),
        declarations.c.superseded_by_id.is_(None),
        among_param(declarations.c.state, "live"),
    ),
).order_by(literal_column("created_at"), literal_column("id"))


def _of_person(person_id: str, course: str) -> Select[Any]:
    """Declarations on the person's applications for exactly this course."""
    return (
        select(declarations)
        .join(applications, applications.c.id == declarations.c.application_id)
        .where(
            applications.c.participant_id == person_id,
            applications.c.course_identifier == course,
        )
    )


def _oldest_first(conn: Connection, query: Select[Any]) -> list[Declaration]:
    query = query.order_by(declarations.c.created_at, declarations.c.id)
    return records(conn, Declaration, query)
