"""Tables of the sandbox database (SQLAlchemy Core). Reference data lives in the domain."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC and gives back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """Parse SQLite's stored text as UTC in one step where the dialect stores text.

        A page converts hundreds of timestamps: parsing then `replace(tzinfo=)` cost ten times
        what parsing the text with its offset appended does.
        """
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        parse = datetime.fromisoformat

        def process(value: str | None) -> datetime | None:
            return None if value is None else parse(f"{value}+00:00")

        return process


metadata = MetaData()
_id = lambda: Column("id", String(36), primary_key=True)  # noqa: E731


def _timestamps() -> list[Column[Any]]:
    return [
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
    ]


participants = Table(
    "participants",
    metadata,
    _id(),
    Column("full_name", String, nullable=False),
    Column("email", String),
    Column("trn", String),
    Column("trn_verified", Boolean, nullable=False),
    Column("previous_names", JSON, nullable=False),
    *_timestamps(),
    Index("ix_participants_created", "created_at", "id"),
    Index("ix_participants_trn", "trn"),
)

participant_id_changes = Table(
    "participant_id_changes",
    metadata,
    _id(),
    Column("from_participant_id", String(36), nullable=False, index=True),
    Column("to_participant_id", String(36), ForeignKey("participants.id"), nullable=False),
    # The person the change belongs to: the `to` person until that person is merged on.
    Column("participant_id", String(36), ForeignKey("participants.id"), nullable=False, index=True),
    *_timestamps(),
)

applications = Table(
    "applications",
    metadata,
    _id(),
    Column("participant_id", String(36), ForeignKey("participants.id"), nullable=False, index=True),
    Column("lead_provider_id", String(36), nullable=False),
    Column("course_identifier", String, nullable=False),
    Column("cohort", String(5), nullable=False),
    Column("status", String, nullable=False),
    Column("reason_for_rejection", String),
    Column("training_status", String),
    Column("schedule_identifier", String),
    Column("accepted_at", UTCDateTime),
    Column("eligible_for_funding", Boolean, nullable=False),
    Column("funded_by_policy", Boolean, nullable=False),
    Column("funded_place", Boolean),
    Column("teacher_catchment", String),
    Column("teacher_catchment_country", String),
    Column("teacher_catchment_iso_country_code", String),
    Column("targeted_delivery_funding_eligibility", Boolean, nullable=False),
    Column("school_urn", String),
    Column("school_ukprn", String),
    Column("private_childcare_provider_urn", String),
    Column("itt_provider", String),
    Column("employer_name", String),
    Column("employment_role", String),
    Column("headteacher_status", String),
    Column("funding_choice", String),
    Column("works_in_school", Boolean),
    Column("lead_mentor", Boolean, nullable=False),
    Column("works_as_senco", String),
    Column("senco_start_date", Date),
    *_timestamps(),
    Index("ix_applications_provider_created", "lead_provider_id", "created_at", "id"),
    Index("ix_applications_provider_status", "lead_provider_id", "status", "participant_id"),
)

training_status_changes = Table(
    "training_status_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("application_id", String(36), ForeignKey("applications.id"), nullable=False, index=True),
    Column("lead_provider_id", String(36), nullable=False),
    Column("state", String, nullable=False),
    Column("reason", String),
    Column("created_at", UTCDateTime, nullable=False),
)

delivery_partners = Table(
    "delivery_partners",
    metadata,
    _id(),
    Column("name", String, nullable=False),
    *_timestamps(),
)

delivery_partnerships = Table(
    "delivery_partnerships",
    metadata,
    Column("delivery_partner_id", String(36), ForeignKey("delivery_partners.id"), primary_key=True),
    Column("lead_provider_id", String(36), primary_key=True),
    Column("cohort", String(5), primary_key=True),
    Index("ix_partnerships_provider", "lead_provider_id", "delivery_partner_id"),
)

statements = Table(
    "statements",
    metadata,
    _id(),
    Column("lead_provider_id", String(36), nullable=False),
    Column("cohort", String(5), nullable=False),
    Column("month", Integer, nullable=False),
    Column("year", Integer, nullable=False),
    Column("deadline_date", Date, nullable=False),
    Column("payment_date", Date, nullable=False),
    Column("output_fee", Boolean, nullable=False),
    Column("state", String, nullable=False),
    *_timestamps(),
    Index("ix_statements_provider", "lead_provider_id", "output_fee", "payment_date"),
    # Where a declaration's payment goes (`statements.next_output_fee_statement`): the first
    # open one of a provider's cohort from today, read off in the order asked, not sorted.
    Index("ix_statements_next", "lead_provider_id", "cohort", "deadline_date", "id"),
)

declarations = Table(
    "declarations",
    metadata,
    _id(),
    Column("application_id", String(36), ForeignKey("applications.id"), nullable=False, index=True),
    Column("lead_provider_id", String(36), nullable=False),
    Column("cohort", String(5), nullable=False),
    Column("declaration_type", String, nullable=False),
    Column("declaration_date", UTCDateTime, nullable=False),
    Column("state", String, nullable=False),
    Column("state_reason", String),
    Column("superseded_by_id", String(36)),
    Column("delivery_partner_id", String(36)),
    Column("secondary_delivery_partner_id", String(36)),
    *_timestamps(),
    Index("ix_declarations_provider_created", "lead_provider_id", "created_at", "id"),
    Index("ix_declarations_updated", "updated_at"),
)

statement_items = Table(
    "statement_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("statement_id", String(36), ForeignKey("statements.id"), nullable=False),
    Column("declaration_id", String(36), ForeignKey("declarations.id"), nullable=False, index=True),
    Column("state", String, nullable=False),
)

outcomes = Table(
    "outcomes",
    metadata,
    _id(),
    Column("declaration_id", String(36), ForeignKey("declarations.id"), nullable=False, index=True),
    Column("state", String, nullable=False),
    Column("completion_date", Date, nullable=False),
    *_timestamps(),
)

# A provider's contracts, one row per (cohort, course): DfE gates declarations and schedule
# changes on them (docs/rules.md §4.4); the control plane adds and removes rows.
contracts = Table(
    "contracts",
    metadata,
    Column("lead_provider_id", String(36), primary_key=True),
    Column("cohort", String(5), primary_key=True),
    Column("course_identifier", String, primary_key=True),
)

# --- The sandbox's own state (not DfE's) ---------------------------------------------------

# How the data was seeded, so a reset can rebuild exactly the same rows.
sandbox_settings = Table(
    "sandbox_settings",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", JSON, nullable=False),
)

# A lead provider's sandbox clock: "now" for its requests is the real time plus this offset.
sandbox_clocks = Table(
    "sandbox_clocks",
    metadata,
    Column("lead_provider_id", String(36), primary_key=True),
    Column("offset_seconds", Integer, nullable=False),
)

# Faults a lead provider asked for (sandbox.domain.faults); `remaining` None means unlimited.
faults = Table(
    "faults",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lead_provider_id", String(36), nullable=False, index=True),
    Column("method", String, nullable=False),
    Column("path", String, nullable=False),
    Column("status", Integer),
    Column("lost_response", Boolean, nullable=False),
    Column("times", Integer),
    Column("probability", Float, nullable=False),
    Column("latency_ms", Float, nullable=False),
    Column("retry_after", Integer, nullable=False),
    Column("remaining", Integer),
    sqlite_autoincrement=True,
)

# The request journal lives in a database of its own (`Database.journal`): recording a request
# must not count as a change to the data, which the answer cache and the write lock watch.
journal_metadata = MetaData()

# Each /api/v3 request of a lead provider and its answer (sandbox.middleware.journal). AUTOINCREMENT
# so that an id, once shown, is never reused after a reset.
journal = Table(
    "journal",
    journal_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lead_provider_id", String(36), nullable=False),
    Column("time", UTCDateTime, nullable=False),
    Column("method", String, nullable=False),
    Column("path", String, nullable=False),
    Column("query", JSON, nullable=False),
    Column("query_string", String, nullable=False),
    Column("request_body", Text),  # as sent (decoded as UTF-8); parsed when read
    Column("request_size", Integer, nullable=False),
    Column("status", Integer, nullable=False),
    Column("response_body", Text),
    Column("response_size", Integer, nullable=False),
    Column("duration_ms", Float, nullable=False),
    Column("fault", JSON),
    Index("ix_journal_provider", "lead_provider_id", "id"),
    sqlite_autoincrement=True,
)

# Each /api/v3 request that came without a token or with one that is no provider's, apart from
# every provider's journal, with what its Authorization header held (never the whole token).
unrecognised_requests = Table(
    "unrecognised_requests",
    journal_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("time", UTCDateTime, nullable=False),
    Column("credential", String),  # e.g. "Bearer amb… (13 characters)"; None: no header
    Column("method", String, nullable=False),
    Column("path", String, nullable=False),
    Column("query", JSON, nullable=False),
    Column("query_string", String, nullable=False),
    Column("request_body", Text),
    Column("request_size", Integer, nullable=False),
    Column("status", Integer, nullable=False),
    Column("response_body", Text),
    Column("response_size", Integer, nullable=False),
    Column("duration_ms", Float, nullable=False),
    Column("fault", JSON),  # always None: faults are a provider's; kept so rows read alike
    sqlite_autoincrement=True,
)

# --- Derived data: rebuilt from the tables above, never seeded nor exported ------------------

derived_metadata = MetaData()

# Each record's JSON resource as the API answers it, kept until a write to anything it shows
# (SQLite triggers, `store.rendered`): a page is then its stored bodies joined, not hundreds of
# rows converted and serialized. `viewer` is the provider a participant is shown to ('' for
# applications and declarations, which look the same to whoever may see them).
rendered = Table(
    "rendered",
    derived_metadata,
    Column("kind", String, primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("viewer", String(36), primary_key=True),
    Column("body", Text, nullable=False),
    # A rowid table: a body of a kilobyte fits in a table page, where a WITHOUT ROWID table
    # (an index's pages) spills it to an overflow page of its own: measured at 100,000
    # participants, 2.2 times the size, and a page of applications ten times slower.
)

# Who sees whom: one row per provider holding an accepted application of the person, with the
# person's `created_at` (its stored text) so that a provider's page of participants in list
# order is one index range, not a walk of everyone testing each. Kept by triggers likewise.
seen_participants = Table(
    "seen_participants",
    derived_metadata,
    Column("lead_provider_id", String(36), primary_key=True),
    Column("participant_id", String(36), primary_key=True),
    Column("created_at", String, nullable=False),
    Index("ix_seen_participants_order", "lead_provider_id", "created_at", "participant_id"),
    Index("ix_seen_participants_person", "participant_id"),
    sqlite_with_rowid=False,
)

# Declarations a provider sees only through an application it owns, another provider having
# made them (after a transfer; a handful), in list order, kept by triggers likewise: with the
# provider's own, in their index's order, a page of the whole list is a merge of two ranges.
foreign_declarations = Table(
    "foreign_declarations",
    derived_metadata,
    Column("lead_provider_id", String(36), primary_key=True),
    Column("created_at", String, primary_key=True),
    Column("declaration_id", String(36), primary_key=True),
    sqlite_with_rowid=False,
)

# Bump when a table, column or index changes: an older database file is then rebuilt and
# re-seeded.
SCHEMA_VERSION = 11

# SQLite's `PRAGMA application_id` of every file the sandbox creates ("NPQS"): only a file that
# carries it, or an older sandbox's file (see `store.db`), is ever rebuilt.
APPLICATION_ID = 0x4E505153
