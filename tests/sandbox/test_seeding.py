"""The seeder: determinism, every guaranteed case in its state, and causal invariants.

These tests read the tables directly; what the API shows of the same data is tested over HTTP
in `tests/sandbox/api/test_seed_states.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any

import pytest
from sqlalchemy import select

from sandbox.domain.reference import (
    COHORTS_BY_ID,
    COURSES,
    LEAD_PROVIDERS,
    SCHEDULES_BY_KEY,
    Funding,
    schedules_for,
)
from sandbox.seeding import SEED_NOW, progress_total, seed_database
from sandbox.store.db import Database
from sandbox.store.schema import metadata

Row = dict[str, Any]
PROVIDER_IDS = [p.id for p in LEAD_PROVIDERS]
LIVE = {"submitted", "eligible", "payable", "paid"}
# The statement state a fundable declaration in each state sits on ("submitted" has no item).
ITEM_STATEMENT = {"eligible": "open", "payable": "payable", "paid": "paid"}
TIMESTAMPED = [
    "participants",
    "participant_id_changes",
    "applications",
    "delivery_partners",
    "statements",
    "declarations",
    "outcomes",
]
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _dump(db: Database) -> dict[str, list[Row]]:
    """Return every table's rows as dicts, ordered by primary key."""
    with db.transaction() as conn:
        return {
            table.name: [
                dict(row._mapping)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }


class World:
    """Every table of a freshly seeded database, with lookups by id and by a column's value."""

    def __init__(self, participants: int) -> None:
        db = Database(":memory:")
        self.summary = seed_database(db, seed=1, participants=participants)
        self.tables = _dump(db)
        self._ids = {
            name: {row["id"]: row for row in rows}
            for name, rows in self.tables.items()
            if rows and "id" in rows[0]
        }
        self._groups: dict[tuple[str, str], dict[Any, list[Row]]] = {}

    def get(self, table: str, ident: str) -> Row:
        return self._ids[table][ident]

    def of(self, table: str, column: str, value: Any) -> list[Row]:
        """Return the rows whose `column` is `value`, oldest first (ids are random)."""
        if (table, column) not in self._groups:
            groups: dict[Any, list[Row]] = defaultdict(list)
            for row in sorted(self.tables[table], key=lambda r: r.get("created_at", _EPOCH)):
                groups[row[column]].append(row)
            self._groups[(table, column)] = groups
        return self._groups[(table, column)].get(value, [])

    def enrolments(self, provider_id: str, person_id: str) -> list[Row]:
        """Return the accepted applications that make a person visible to a provider."""
        return [
            a
            for a in self.of("applications", "participant_id", person_id)
            if a["lead_provider_id"] == provider_id and a["status"] == "accepted"
        ]

    def items(self, declaration_id: str) -> list[tuple[str, str]]:
        """Return (item state, statement state) for each of a declaration's statement items."""
        return [
            (i["state"], self.get("statements", i["statement_id"])["state"])
            for i in self.of("statement_items", "declaration_id", declaration_id)
        ]

    def partnered(self, partner_id: str | None, provider_id: str, cohort: str) -> bool:
        wanted = {
            "delivery_partner_id": partner_id,
            "lead_provider_id": provider_id,
            "cohort": cohort,
        }
        return wanted in self.tables["delivery_partnerships"]

    def providers(self) -> Iterator[tuple[str, str, dict[str, str]]]:
        """Yield each provider id, the next provider's id (Q) and the provider's cases."""
        for index, provider_id in enumerate(PROVIDER_IDS):
            other = PROVIDER_IDS[(index + 1) % len(PROVIDER_IDS)]
            yield provider_id, other, self.summary.cases[provider_id]


@pytest.fixture(scope="module")
def bare() -> World:
    return World(participants=0)


@pytest.fixture(scope="module")
def populated() -> World:
    return World(participants=400)


@pytest.fixture(params=["bare", "populated"])
def world(request: pytest.FixtureRequest) -> World:
    """Guaranteed cases must hold with and without the background population."""
    found: World = request.getfixturevalue(request.param)
    return found


def _seeded(seed: int, participants: int = 60) -> dict[str, list[Row]]:
    db = Database(":memory:")
    seed_database(db, seed=seed, participants=participants)
    return _dump(db)


# --- determinism and the call itself -------------------------------------------------------


def test_same_seed_gives_identical_rows() -> None:
    assert _seeded(7) == _seeded(7)


def test_another_seed_gives_other_rows() -> None:
    first, other = _seeded(1, 0), _seeded(2, 0)
    assert all(first[name] != other[name] for name in ("participants", "applications"))


def test_reseeding_replaces_every_row() -> None:
    db = Database(":memory:")
    first, again = seed_database(db, participants=16), seed_database(db, participants=16)
    assert first == again
    assert {name: len(rows) for name, rows in _dump(db).items()} == again.counts


def test_progress_adds_up_to_the_announced_total() -> None:
    steps: list[int] = []
    seed_database(Database(":memory:"), participants=37, progress=steps.append)
    assert sum(steps) == progress_total(37) and min(steps) > 0


# --- guaranteed cases -----------------------------------------------------------------------

EXPECTED_CASES = {
    "pending_application",
    "accepted_application",
    "rejected_by_provider_application",
    "rejected_other_accepted_application",
    "competing_pending_application",
    "active_participant",
    "deferred_participant",
    "withdrawn_participant",
    "merged_from_participant_id",
    "merged_participant",
    "declaration_submitted",
    "declaration_eligible",
    "declaration_ineligible",
    "declaration_payable",
    "declaration_paid",
    "declaration_voided",
    "declaration_awaiting_clawback",
    "declaration_clawed_back",
    "transferred_declaration",
    "outcome_passed",
    "outcome_failed",
    "outcome_voided",
    "statement_open",
    "statement_payable",
    "statement_paid",
    "non_output_fee_statement",
    "delivery_partner",
    "delivery_partner_2025a_only",
}
APPLICATION_CASES = {  # name: (status, reason for rejection, cohort or None for any)
    "pending_application": ("pending", None, "2025a"),
    "pending_application_2023a": ("pending", None, "2023a"),
    "pending_application_2026a": ("pending", None, "2026a"),
    "accepted_application": ("accepted", None, None),
    "rejected_by_provider_application": ("rejected", "rejected_by_provider", None),
    "registration_expired_application": ("rejected", "registration_expired", None),
    "rejected_other_accepted_application": (
        "rejected",
        "other_application_in_this_cohort_accepted",
        None,
    ),
    "competing_pending_application": ("pending", None, "2025a"),
}


def test_every_provider_has_every_case(world: World) -> None:
    assert set(world.summary.cases) == set(PROVIDER_IDS)
    for _, _, cases in world.providers():
        assert cases.keys() >= EXPECTED_CASES


def test_applications_in_every_status(world: World) -> None:
    for provider_id, _, cases in world.providers():
        for name, (status, reason, cohort) in APPLICATION_CASES.items():
            found = world.get("applications", cases[name])
            assert (found["lead_provider_id"], found["status"], found["reason_for_rejection"]) == (
                provider_id,
                status,
                reason,
            ), name
            assert cohort in (None, found["cohort"]), name
        assert (
            world.get("applications", cases["pending_application_2026a"])["funded_place"] is False
        )
        pending = world.get("applications", cases["pending_application"])
        old = _merged_into(world, cases["pending_merged_from_participant_id"])
        assert old == pending["participant_id"]


def _merged_into(world: World, old_id: str) -> str:
    """Return whom a merged-away id now points to; the old id is no participant of its own."""
    [change] = world.of("participant_id_changes", "from_participant_id", old_id)
    assert old_id not in world._ids["participants"]
    return str(change["to_participant_id"])


def test_lost_competing_and_multiple_applications(world: World) -> None:
    for provider_id, other_id, cases in world.providers():
        lost = world.get("applications", cases["rejected_other_accepted_application"])
        assert [
            (a["course_identifier"], a["cohort"])
            for a in world.enrolments(other_id, lost["participant_id"])
        ] == [(lost["course_identifier"], lost["cohort"])]
        ours = world.get("applications", cases["competing_pending_application"])
        pair = world.of("applications", "participant_id", ours["participant_id"])
        assert {
            (a["lead_provider_id"], a["status"], a["course_identifier"], a["cohort"]) for a in pair
        } == {(p, "pending", ours["course_identifier"], "2025a") for p in (provider_id, other_id)}
        three = world.of("applications", "participant_id", cases["multi_application_participant"])
        assert {a["lead_provider_id"] for a in three} == {provider_id}
        assert sorted(a["status"] for a in three) == ["accepted", "rejected", "rejected"]
        assert len({a["course_identifier"] for a in three}) == 3


def test_participants_in_every_training_status(world: World) -> None:
    for provider_id, _, cases in world.providers():
        for name, status in (
            ("active_participant", "active"),
            ("merged_participant", "active"),
            ("deferred_participant", "deferred"),
            ("withdrawn_participant", "withdrawn"),
        ):
            statuses = [e["training_status"] for e in world.enrolments(provider_id, cases[name])]
            assert statuses == [status], name
        merged = _merged_into(world, cases["merged_from_participant_id"])
        assert merged == cases["merged_participant"]


def test_deferral_and_withdrawal_follow_a_started_declaration(world: World) -> None:
    for provider_id, _, cases in world.providers():
        for kind, reason in (
            ("deferred", "parental-leave"),
            ("withdrawn", "personal-reason-moving-school"),
        ):
            rows = world.of(
                "training_status_changes", "application_id", cases[f"{kind}_application"]
            )
            assert [(r["state"], r["reason"]) for r in rows] == [("active", None), (kind, reason)]
            assert {r["lead_provider_id"] for r in rows} == {provider_id}
            started = world.get("declarations", cases[f"{kind}_started_declaration"])
            assert started["declaration_type"] == "started"
            assert started["created_at"] < rows[-1]["created_at"]
        assert (
            world.get("declarations", cases["deferred_started_declaration"])["state"] == "eligible"
        )


def test_participants_cover_every_course_and_funding_mode(bare: World) -> None:
    for provider_id, _, cases in bare.providers():
        active = [
            a
            for a in bare.tables["applications"]
            if a["lead_provider_id"] == provider_id
            and a["status"] == "accepted"
            and a["training_status"] == "active"
        ]
        assert {a["course_identifier"] for a in active} == set(COURSES)
        modes = {(COHORTS_BY_ID[a["cohort"]].funding, a["funded_place"]) for a in active}
        assert modes >= {
            (Funding.FULL, None),
            (Funding.CAPPED, True),
            (Funding.CAPPED, False),
            (Funding.ZERO, False),
        }
        for name, place in (
            ("accepted_full_application", None),
            ("accepted_capped_funded_application", True),
            ("accepted_capped_unfunded_application", False),
            ("accepted_zero_application", False),
        ):
            assert bare.get("applications", cases[name])["funded_place"] is place


def test_variety_of_people_and_answers(world: World) -> None:
    for _, _, cases in world.providers():
        assert world.get("participants", cases["participant_without_email"])["email"] is None
        unverified = world.get("participants", cases["participant_unverified_trn"])
        assert unverified["trn"] and unverified["trn_verified"] is False
        scottish = world.get("applications", cases["application_outside_england"])
        assert (scottish["teacher_catchment"], scottish["teacher_catchment_iso_country_code"]) == (
            "scotland",
            "GBR",
        )
        abroad = world.get("applications", cases["application_another_country"])
        iso = abroad["teacher_catchment_iso_country_code"]
        assert abroad["teacher_catchment"] == "another" and len(iso) == 3 and iso != "GBR"
        childcare = world.get("applications", cases["application_private_childcare"])
        assert childcare["private_childcare_provider_urn"].startswith("EY")


EXPECTED_DECLARATIONS = {  # name: (state, [(item state, statement state), ...])
    "declaration_submitted": ("submitted", []),
    "declaration_eligible": ("eligible", [("eligible", "open")]),
    "declaration_payable": ("payable", [("payable", "payable")]),
    "declaration_paid": ("paid", [("paid", "paid")]),
    "declaration_voided": ("voided", [("voided", "open")]),
    "declaration_ineligible": ("ineligible", [("ineligible", "open")]),
    "declaration_awaiting_clawback": (
        "awaiting_clawback",
        [("paid", "paid"), ("awaiting_clawback", "open")],
    ),
    "declaration_clawed_back": ("clawed_back", [("paid", "paid"), ("clawed_back", "paid")]),
}


def test_declarations_in_every_state(world: World) -> None:
    for provider_id, _, cases in world.providers():
        for name, (state, items) in EXPECTED_DECLARATIONS.items():
            found = world.get("declarations", cases[name])
            owner = world.get("applications", found["application_id"])["lead_provider_id"]
            assert (found["state"], world.items(found["id"])) == (state, items), name
            assert found["lead_provider_id"] == owner == provider_id
            assert found["cohort"] in {"2024a", "2025a"}
            assert world.partnered(found["delivery_partner_id"], provider_id, found["cohort"])
        submitted = world.get("declarations", cases["declaration_submitted"])
        assert world.get("applications", submitted["application_id"])["funded_place"] is False


def test_ineligible_declaration_duplicates_a_same_trn_declaration(world: World) -> None:
    for _, _, cases in world.providers():
        duplicate = world.get("declarations", cases["declaration_ineligible"])
        original = world.get("declarations", duplicate["superseded_by_id"])
        applications = [
            world.get("applications", d["application_id"]) for d in (duplicate, original)
        ]
        people = [world.get("participants", a["participant_id"]) for a in applications]
        assert people[0]["id"] != people[1]["id"] and people[0]["trn"] == people[1]["trn"]
        assert all(p["trn_verified"] for p in people) and original["state"] in LIVE
        assert original["declaration_type"] == duplicate["declaration_type"]
        assert applications[0]["course_identifier"] == applications[1]["course_identifier"]


def test_outcomes_and_transferred_declaration(world: World) -> None:
    for provider_id, other_id, cases in world.providers():
        for name, states in (
            ("passed", ["passed"]),
            ("failed", ["failed"]),
            ("voided", ["passed", "voided"]),
        ):
            declaration = world.get(
                "declarations", world.get("outcomes", cases[f"outcome_{name}"])["declaration_id"]
            )
            outcomes = world.of("outcomes", "declaration_id", declaration["id"])
            assert [o["state"] for o in outcomes] == states
            assert (declaration["declaration_type"], declaration["lead_provider_id"]) == (
                "completed",
                provider_id,
            )
        assert world.get("declarations", cases["outcome_voided_declaration"])["state"] == "voided"
        moved = world.get("declarations", cases["transferred_declaration"])
        application = world.get("applications", moved["application_id"])
        assert (moved["lead_provider_id"], application["lead_provider_id"]) == (
            other_id,
            provider_id,
        )
        assert world.enrolments(provider_id, application["participant_id"])


def test_statements_and_delivery_partners(world: World) -> None:
    for provider_id, _, cases in world.providers():
        for state in ("open", "payable", "paid"):
            statement = world.get("statements", cases[f"statement_{state}"])
            assert (statement["state"], statement["output_fee"], statement["lead_provider_id"]) == (
                state,
                True,
                provider_id,
            )
        hidden = world.get("statements", cases["non_output_fee_statement"])
        assert (hidden["output_fee"], hidden["lead_provider_id"]) == (False, provider_id)
        assert all(
            world.partnered(cases["delivery_partner"], provider_id, cohort)
            for cohort in COHORTS_BY_ID
        )
        only = world.of(
            "delivery_partnerships", "delivery_partner_id", cases["delivery_partner_2025a_only"]
        )
        assert [(p["lead_provider_id"], p["cohort"]) for p in only] == [(provider_id, "2025a")]


def test_invisible_records(world: World) -> None:
    for provider_id, _, cases in world.providers():
        assert (
            world.get("applications", cases["invisible_application"])["lead_provider_id"]
            != provider_id
        )
        assert not world.enrolments(provider_id, cases["invisible_participant"])
        declaration = world.get("declarations", cases["invisible_declaration"])
        owner = world.get("applications", declaration["application_id"])["lead_provider_id"]
        assert provider_id not in {declaration["lead_provider_id"], owner}
        partnerships = world.of(
            "delivery_partnerships", "delivery_partner_id", cases["unpartnered_delivery_partner"]
        )
        assert provider_id not in {p["lead_provider_id"] for p in partnerships}


# --- invariants over every row ----------------------------------------------------------------


def test_timestamps_are_whole_seconds_and_never_after_seed_now(populated: World) -> None:
    for name in TIMESTAMPED:
        for row in populated.tables[name]:
            assert row["created_at"] <= row["updated_at"] <= SEED_NOW, (name, row["id"])
            assert row["created_at"].tzinfo is UTC and row["created_at"].microsecond == 0
    assert max(r["created_at"] for r in populated.tables["training_status_changes"]) <= SEED_NOW


def test_applications_are_causal(populated: World) -> None:
    for application in populated.tables["applications"]:
        person = populated.get("participants", application["participant_id"])
        assert person["created_at"] <= application["created_at"]
        history = populated.of("training_status_changes", "application_id", application["id"])
        assert all(c["created_at"] <= application["updated_at"] for c in history)
        if application["status"] != "accepted":
            continue
        assert application["created_at"] < application["accepted_at"] <= application["updated_at"]
        valid = schedules_for(application["cohort"], application["course_identifier"])
        assert application["schedule_identifier"] in {s.identifier for s in valid}
        assert (history[0]["state"], history[0]["created_at"]) == (
            "active",
            application["accepted_at"],
        )


def test_declarations_are_dated_within_their_schedule(populated: World) -> None:
    for declaration in populated.tables["declarations"]:
        application = populated.get("applications", declaration["application_id"])
        schedule = SCHEDULES_BY_KEY[(application["cohort"], application["schedule_identifier"])]
        starts = datetime.combine(schedule.applies_from, time(), tzinfo=UTC)
        assert starts <= declaration["declaration_date"] <= declaration["created_at"]
        assert application["accepted_at"] < declaration["created_at"]
        assert declaration["cohort"] == application["cohort"]
        assert declaration["declaration_type"] in schedule.allowed_declaration_types
        for outcome in populated.of("outcomes", "declaration_id", declaration["id"]):
            assert outcome["completion_date"] == declaration["declaration_date"].date()
            assert declaration["created_at"] <= outcome["created_at"]


def test_status_changes_follow_the_declarations(populated: World) -> None:
    for application in populated.tables["applications"]:
        rows = populated.of("training_status_changes", "application_id", application["id"])
        if not rows or rows[-1]["state"] == "active":
            continue
        made = populated.of("declarations", "application_id", application["id"])
        assert made and rows[-1]["created_at"] > max(d["created_at"] for d in made)
        if rows[-1]["state"] == "withdrawn":
            assert any(d["declaration_type"] == "started" for d in made)


def test_no_live_duplicates_per_application_and_type(populated: World) -> None:
    live = [
        (d["application_id"], d["declaration_type"])
        for d in populated.tables["declarations"]
        if d["state"] in LIVE
    ]
    assert len(live) == len(set(live))


def test_items_sit_on_output_fee_statements_of_the_declaration(populated: World) -> None:
    for item in populated.tables["statement_items"]:
        statement = populated.get("statements", item["statement_id"])
        declaration = populated.get("declarations", item["declaration_id"])
        assert statement["output_fee"] is True
        assert (statement["lead_provider_id"], statement["cohort"]) == (
            declaration["lead_provider_id"],
            declaration["cohort"],
        )


def test_declaration_states_follow_funding_and_statements(populated: World) -> None:
    for declaration in populated.tables["declarations"]:
        application = populated.get("applications", declaration["application_id"])
        fundable = application["eligible_for_funding"] and application["funded_place"] is not False
        state, items = declaration["state"], populated.items(declaration["id"])
        assert state != "submitted" or (not fundable and items == [])
        assert state not in ITEM_STATEMENT or (
            fundable and items == [(state, ITEM_STATEMENT[state])]
        )


def test_delivery_partners_follow_the_catchment_rules(populated: World) -> None:
    for declaration in populated.tables["declarations"]:
        application = populated.get("applications", declaration["application_id"])
        if application["teacher_catchment"] != "england":
            assert declaration["delivery_partner_id"] is None
            assert declaration["secondary_delivery_partner_id"] is None
        elif COHORTS_BY_ID[declaration["cohort"]].start_year >= 2024:
            assert populated.partnered(
                declaration["delivery_partner_id"],
                declaration["lead_provider_id"],
                declaration["cohort"],
            )


def test_reference_data(bare: World) -> None:
    ambition = {
        p["delivery_partner_id"]
        for p in bare.tables["delivery_partnerships"]
        if p["lead_provider_id"] == PROVIDER_IDS[0]
    }
    assert (len(ambition), len(bare.tables["delivery_partners"])) == (101, 108)
    statements = bare.tables["statements"]
    assert len(statements) == len(LEAD_PROVIDERS) * len(COHORTS_BY_ID) * 36
    for statement in statements:
        last = (statement["month"], statement["year"]) == (1, int(statement["cohort"][:4]) + 3)
        assert statement["output_fee"] == (statement["month"] in {3, 6, 9, 12} or last)
        assert 23 <= statement["deadline_date"].day == statement["payment_date"].day <= 26


def test_people_and_registration_answers(populated: World) -> None:
    for person in populated.tables["participants"]:
        assert person["trn"] is None or (len(person["trn"]) == 7 and person["trn"].isdigit())
        assert isinstance(person["previous_names"], list)
    for application in populated.tables["applications"]:
        assert application["course_identifier"] == "npq-senco" or (
            application["works_as_senco"],
            application["senco_start_date"],
        ) == (None, None)
        for column, size in (("school_urn", 6), ("school_ukprn", 8)):
            value = application[column]
            assert value is None or (value[0] == "1" and len(value) == size)
