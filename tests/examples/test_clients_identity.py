"""The reference clients when DfE's side changes who a request is for: a merged participant id,
a token refused for a while."""

from __future__ import annotations

from pathlib import Path

from npq_sandbox.domain import messages as m

from tests.examples.calls import Json, control, course_of, fault, journal, run_client


def resume_merged(base_url: str, cases: dict[str, str]) -> Json:
    """Resume the seeded participant by the id DfE merged away (still in a provider's records)."""
    return {
        "id": "m1",
        "action": "resume_participant",
        "participant_id": cases["merged_from_participant_id"],
        "course_identifier": course_of(base_url, cases["merged_participant"]),
    }


def test_careful_follows_a_merged_id_to_the_participant_dfe_kept(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("careful", base_url, tmp_path, resume_merged(base_url, cases))

    # The kept participant is active: the API's answer to resuming them, not "Resource not found".
    assert results["results"] == [
        {
            "id": "m1",
            "outcome": "refused",
            "error": m.ALREADY_ACTIVE,
            "record": {"id": cases["merged_participant"], "training_status": "active"},
        }
    ]
    resumed = [e["path"] for e in journal(base_url, "PUT", "/api/v3/participants/npq/*/resume")]
    kept, old = cases["merged_participant"], cases["merged_from_participant_id"]
    assert resumed == [f"/api/v3/participants/npq/{p}/resume" for p in (old, kept)]
    assert results["view"]["participants"] == {kept: "active"}


def test_careful_follows_a_chain_of_merges_to_the_live_id(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    old, middle = cases["merged_from_participant_id"], cases["merged_participant"]
    kept = cases["active_participant"]
    step = resume_merged(base_url, cases)  # the course is the middle person's, moved to kept
    merge = {"from_participant_id": middle, "to_participant_id": kept}
    control(base_url, "POST", "/sandbox/participants/merge", {"data": {"attributes": merge}})
    results = run_client("careful", base_url, tmp_path, step)

    # `old` answers 410 naming `middle`, which answers 410 naming `kept`: the resume goes there.
    assert results["results"][0]["record"] == {"id": kept, "training_status": "active"}
    reads = [
        e["path"].rsplit("/", 1)[1] for e in journal(base_url, "GET", "/api/v3/participants/npq/*")
    ]
    assert (old, middle, kept) in zip(reads, reads[1:], reads[2:], strict=False)
    resumed = [e["path"] for e in journal(base_url, "PUT", "/api/v3/participants/npq/*/resume")]
    assert resumed == [f"/api/v3/participants/npq/{p}/resume" for p in (old, kept)]


def test_naive_stops_at_the_merged_ids_404(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("naive", base_url, tmp_path, resume_merged(base_url, cases))

    error = "Request failed with status 404"
    assert results["results"] == [{"id": "m1", "outcome": "refused", "error": error}]


def accept_twice(cases: dict[str, str]) -> list[Json]:
    step = {"action": "accept_application", "application_id": cases["pending_application_2025a"]}
    return [{"id": "a1", **step, "funded_place": True}, {"id": "a2", **step, "funded_place": True}]


def test_careful_reports_a_refused_token_once_and_carries_on(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    fault(base_url, method="POST", path="/api/v3/npq-applications/*/accept", status=401)
    results = run_client("careful", base_url, tmp_path, *accept_twice(cases))

    application = cases["pending_application_2025a"]
    assert results["results"] == [
        {
            "id": "a1",
            "outcome": "refused",
            "error": m.ACCESS_DENIED,
            "record": {"id": application, "status": "pending"},
        },
        {"id": "a2", "outcome": "done", "record": {"id": application, "status": "accepted"}},
    ]
    assert [e["status"] for e in journal(base_url, "POST", "/api/v3/npq-applications/*")] == [
        401,
        200,
    ]


def test_naive_retries_a_refused_token_until_it_works(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    fault(base_url, method="POST", path="/api/v3/npq-applications/*/accept", status=401)
    results = run_client("naive", base_url, tmp_path, *accept_twice(cases))

    assert [r["outcome"] for r in results["results"]] == ["done", "refused"]
    sent = journal(base_url, "POST", "/api/v3/npq-applications/*")
    assert [e["status"] for e in sent][:2] == [401, 200]
