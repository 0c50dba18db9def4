"""Causal and contractual invariants over every seeded row."""

from __future__ import annotations

from datetime import UTC, datetime, time

from npq_sandbox.domain.reference import (
    COHORTS_BY_ID,
    LEAD_PROVIDERS,
    SCHEDULES_BY_KEY,
    schedules_for,
)
from npq_sandbox.seeding import SEED_NOW

from tests.sandbox.seeding.world import ITEM_STATEMENT, LIVE, PROVIDER_IDS, TIMESTAMPED, World


def test_timestamps_are_whole_seconds_and_never_after_seed_now(populated: World) -> None:
    for name in TIMESTAMPED:
        for row in populated.tables[name]:
            assert row["created_at"] <= row["updated_at"] <= SEED_NOW, (name, row["id"])
            assert row["created_at"].tzinfo is UTC and row["created_at"].microsecond == 0
    assert max(r["created_at"] for r in populated.tables["training_status_changes"]) <= SEED_NOW


def test_each_application_stamps_its_person(populated: World) -> None:
    """Registering, accepting and rejecting stamp the person, as at DfE (docs/rules.md §5.7)."""
    for person in populated.tables["participants"]:
        held = populated.of("applications", "participant_id", person["id"])
        moments = {a[k] for a in held for k in ("created_at", "accepted_at", "updated_at")}
        assert person["updated_at"] in moments | {person["created_at"]}, person["id"]
        assert all(person["updated_at"] >= a["created_at"] for a in held), person["id"]
        accepted = [a["accepted_at"] for a in held if a["accepted_at"] is not None]
        assert all(person["updated_at"] >= at for at in accepted), person["id"]


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
