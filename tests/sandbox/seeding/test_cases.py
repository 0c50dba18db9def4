"""Every guaranteed case exists for every lead provider, in its named state."""

from __future__ import annotations

from npq_sandbox.domain.reference import (
    COHORTS_BY_ID,
    COURSES,
    Funding,
)

from tests.sandbox.seeding.world import LIVE, PROVIDER_IDS, World

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
