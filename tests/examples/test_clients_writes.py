"""The reference clients' writes: the careful one believes the API, the naive one itself."""

from __future__ import annotations

from pathlib import Path

from npq_sandbox.domain import messages as m

from tests.examples.calls import Json, course_of, refusal_instructions, run_client


def test_careful_surfaces_the_apis_refusals(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("careful", base_url, tmp_path, *refusal_instructions(cases))

    assert results["results"] == [
        {
            "id": "r0",
            "outcome": "refused",
            "error": m.ALREADY_REJECTED,
            "record": {"id": cases["rejected_by_provider_application"], "status": "rejected"},
        },
        {
            "id": "r1",
            "outcome": "refused",
            # Every detail of the answer, one a line, in the API's order.
            "error": "\n".join(
                (m.SET_FUNDED_PLACE, m.CANNOT_CHANGE_REJECTED, m.ALREADY_HAD_ACCEPTED)
            ),
            "record": {"id": cases["rejected_other_accepted_application"], "status": "rejected"},
        },
        {
            "id": "r2",
            "outcome": "refused",
            "error": m.DECLARATION_ALREADY_VOIDED,
            "record": {"id": cases["declaration_voided"], "state": "voided"},
        },
    ]


def test_naive_hides_the_apis_refusals(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("naive", base_url, tmp_path, *refusal_instructions(cases))

    generic = "Request failed with status 422"
    assert results["results"] == [
        {"id": f"r{index}", "outcome": "refused", "error": generic} for index in range(3)
    ]


def void_paid(cases: dict[str, str]) -> list[Json]:
    return [
        {"id": "v1", "action": "void_declaration", "declaration_id": cases["declaration_paid"]},
    ]


def test_careful_believes_the_api_after_voiding_a_paid_declaration(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("careful", base_url, tmp_path, *void_paid(cases))

    record = {"id": cases["declaration_paid"], "state": "awaiting-clawback"}
    assert results["results"] == [{"id": "v1", "outcome": "done", "record": record}]
    assert results["view"]["declarations"] == {cases["declaration_paid"]: "awaiting-clawback"}


def test_naive_believes_itself_after_voiding_a_paid_declaration(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("naive", base_url, tmp_path, *void_paid(cases))

    record = {"id": cases["declaration_paid"], "state": "voided"}
    assert results["results"] == [{"id": "v1", "outcome": "done", "record": record}]
    assert results["view"]["declarations"] == {cases["declaration_paid"]: "voided"}


def test_careful_changes_training_status_as_the_api_answers(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    active, deferred, withdrawn = (
        cases[name]
        for name in ("active_participant", "deferred_participant", "withdrawn_participant")
    )

    def change(step: str, action: str, participant: str, **attributes: str) -> Json:
        course = course_of(base_url, participant)
        return {
            "id": step,
            "action": action,
            "participant_id": participant,
            "course_identifier": course,
            **attributes,
        }

    results = run_client(
        "careful",
        base_url,
        tmp_path,
        change("p1", "resume_participant", deferred),
        change("p2", "defer_participant", deferred, reason="parental-leave"),
        change("p3", "defer_participant", active, reason="parental-leave"),
        change("p4", "withdraw_participant", withdrawn, reason="other"),
    )

    assert [result.get("record") for result in results["results"]] == [
        {"id": deferred, "training_status": "active"},
        {"id": deferred, "training_status": "deferred"},
        {"id": active, "training_status": "active"},
        {"id": withdrawn, "training_status": "withdrawn"},
    ]
    assert [result.get("error") for result in results["results"]] == [
        None,
        None,
        m.DEFER_WITHOUT_DECLARATIONS,
        m.ALREADY_WITHDRAWN,
    ]
    assert results["view"]["participants"] == {
        deferred: "deferred",
        active: "active",
        withdrawn: "withdrawn",
    }
