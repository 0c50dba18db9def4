"""The reference clients speak the kit's protocol to a real sandbox and do what they promise.

Each test serves a fresh copy of one seeded database, writes an instructions file, runs a client
as `npq-conformance run` would (a subprocess with the protocol's environment variables) and
reads its results file: the careful client's answers are right, the naive one's wrong in the
ways it means to be.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from sandbox.domain import messages as m
from sandbox.domain.reference import LEAD_PROVIDERS
from sandbox.seeding import seed_database
from sandbox.store.db import Database
from tests.live import serving

Json = dict[str, Any]
ROOT = Path(__file__).parents[2]
AMBITION = LEAD_PROVIDERS[0]
# Enough background participants for more than one page (100) of applications and declarations.
PARTICIPANTS = "1000"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One seeded database file per module, and Ambition Institute's cases in it."""
    path = tmp_path_factory.mktemp("seeded") / "sandbox.db"
    db = Database(str(path))
    cases = seed_database(db, participants=int(PARTICIPANTS)).cases[AMBITION.id]
    db.dispose()
    return path, cases


@pytest.fixture
def cases(seeded: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return seeded[1]


@contextmanager
def _serve(seeded: tuple[Path, dict[str, str]], tmp_path: Path, *options: str) -> Iterator[str]:
    """Serve a private copy of the seeded database."""
    copy = tmp_path / "sandbox.db"
    shutil.copy(seeded[0], copy)
    with serving(copy, "--participants", PARTICIPANTS, *options) as base_url:
        yield base_url


@pytest.fixture
def base_url(seeded: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[str]:
    """A sandbox of its own for each test, so one client's writes never meet another's."""
    with _serve(seeded, tmp_path) as url:
        yield url


def run_client(name: str, base_url: str, tmp_path: Path, *instructions: Json) -> Json:
    """Run one client on `instructions` as the kit does; return its results file."""
    instructions_file, results_file = tmp_path / "instructions.json", tmp_path / "results.json"
    instructions_file.write_text(json.dumps({"scenario": "test", "instructions": instructions}))
    env = {
        **os.environ,
        "NPQ_API_BASE_URL": base_url,
        "NPQ_API_TOKEN": AMBITION.token,
        "NPQ_SCENARIO": "test",
        "NPQ_INSTRUCTIONS": str(instructions_file),
        "NPQ_RESULTS": str(results_file),
    }
    script = ROOT / "examples" / "clients" / f"{name}.py"
    subprocess.run([sys.executable, str(script)], env=env, check=True, timeout=120)
    results: Json = json.loads(results_file.read_text())
    return results


def api(base_url: str, method: str, path: str, body: Json | None = None) -> Json:
    headers = {"Authorization": f"Bearer {AMBITION.token}"}
    response = requests.request(method, base_url + path, json=body, headers=headers, timeout=30)
    while response.status_code == 429:  # only where a test turns the rate limit on
        time.sleep(int(response.headers["Retry-After"]))
        response = requests.request(method, base_url + path, json=body, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    answer: Json = response.json()
    return answer


def every_page(base_url: str, path: str) -> list[Json]:
    records, page = [], 1
    while data := api(base_url, "GET", f"{path}?page[page]={page}")["data"]:
        records.extend(data)
        page += 1
    return records


def statuses(records: list[Json], key: str) -> dict[str, str]:
    return {record["id"]: record["attributes"][key] for record in records}


def course_of(base_url: str, participant_id: str) -> str:
    participant = api(base_url, "GET", f"/participants/npq/{participant_id}")["data"]
    course: str = participant["attributes"]["npq_enrolments"][0]["course_identifier"]
    return course


def by_id(results: Json) -> dict[str, Json]:
    return {result["id"]: result for result in results["results"]}


def control(base_url: str, method: str, path: str, body: Json | None = None) -> Json:
    """Call the sandbox's control plane, which lives beside the API."""
    return api(base_url.removesuffix("/api/v3"), method, path, body)


def fault(base_url: str, **attributes: Any) -> None:
    control(base_url, "POST", "/sandbox/faults", {"data": {"attributes": attributes}})


def journal(base_url: str, method: str, path: str) -> list[Json]:
    """The requests the client sent, oldest first: method and path glob as the journal filters."""
    query = f"?filter[method]={method}&filter[path]={path}&page[per_page]=3000"
    entries = control(base_url, "GET", f"/sandbox/journal{query}")["data"]
    return [entry["attributes"] for entry in entries]


def test_careful_reads_every_page_into_its_view(base_url: str, tmp_path: Path) -> None:
    results = run_client("careful", base_url, tmp_path, {"id": "s1", "action": "sync"})

    applications = statuses(every_page(base_url, "/npq-applications"), "status")
    declarations = statuses(every_page(base_url, "/participant-declarations"), "state")
    assert len(applications) > 100 and len(declarations) > 100
    assert results["results"] == [{"id": "s1", "outcome": "done"}]
    assert results["view"]["applications"] == applications
    assert results["view"]["declarations"] == declarations


def test_naive_reads_only_the_first_page(base_url: str, tmp_path: Path) -> None:
    results = run_client("naive", base_url, tmp_path, {"id": "s1", "action": "sync"})

    first_page = api(base_url, "GET", "/npq-applications")["data"]
    assert results["view"]["applications"] == statuses(first_page, "status")
    assert len(results["view"]["applications"]) == 100


REFUSALS = (
    ("reject_application", "application_id", "rejected_by_provider_application"),
    ("accept_application", "application_id", "rejected_other_accepted_application"),
    ("void_declaration", "declaration_id", "declaration_voided"),
)


def refusal_instructions(cases: dict[str, str]) -> list[Json]:
    return [
        {"id": f"r{index}", "action": action, key: cases[case]}
        for index, (action, key, case) in enumerate(REFUSALS)
    ]


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


def test_careful_waits_when_throttled(seeded: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    # Four requests a second: a full sync (three lists, two pages or more each) must wait.
    with _serve(seeded, tmp_path, "--rate-limit", "4/1") as base_url:
        results = run_client("careful", base_url, tmp_path, {"id": "s1", "action": "sync"})
        applications = statuses(every_page(base_url, "/npq-applications"), "status")

    assert results["results"] == [{"id": "s1", "outcome": "done"}]
    assert results["view"]["applications"] == applications


def readme_json(after: str) -> Json:
    """The first JSON block after `after` in the README's provider section."""
    rest = README[README.index(after) :]
    block: Json = json.loads(rest.split("```json\n", 1)[1].split("```", 1)[0])
    return block


README = (ROOT / "README.md").read_text()
README_DECLARATION_ID = "0b6e1c9a-5d0f-4a8e-9d43-7f2f2b8c1e55"


def test_readme_protocol_example_is_what_the_careful_client_does(
    base_url: str, tmp_path: Path
) -> None:
    instructions = readme_json("The instructions are steps to perform in order")
    expected = readme_json("Your client writes one result per step")

    results = run_client("careful", base_url, tmp_path, *instructions["instructions"])

    # The README shows a made-up id for the new declaration, and only part of the view.
    new_id = results["results"][1]["record"]["id"]
    expected = json.loads(json.dumps(expected).replace(README_DECLARATION_ID, new_id))
    assert results["results"] == expected["results"]
    for kind, shown in expected["view"].items():
        shown.pop("...")
        assert shown.items() <= results["view"][kind].items()


# A stand-in for a provider's own integration, built on the careful client, for the README's
# adapter to call as it would call a provider's module.
MY_CLIENT = """
import sys
sys.path.insert(0, {clients!r})
from careful import Api, Client, Refused

PARTICIPANT_VERBS = {{
    "defer_participant": "defer",
    "resume_participant": "resume",
    "withdraw_participant": "withdraw",
    "change_schedule": "change-schedule",
}}


def connect(base_url, token):
    return Client(Api(base_url, token))


def view(client):
    return client.view()


def __getattr__(action):
    if action in PARTICIPANT_VERBS:
        return lambda client, **params: client.change_participant(
            PARTICIPANT_VERBS[action], **params
        )
    return lambda client, **params: getattr(client, action)(**params)
"""


def test_readme_adapter_runs_as_written(base_url: str, tmp_path: Path) -> None:
    adapter = README[README.index("### A ten-line adapter") :]
    (tmp_path / "adapter.py").write_text(adapter.split("```python\n", 1)[1].split("```", 1)[0])
    clients = str(ROOT / "examples" / "clients")
    (tmp_path / "my_client.py").write_text(MY_CLIENT.format(clients=clients))
    instructions = readme_json("The instructions are steps to perform in order")
    (tmp_path / "instructions.json").write_text(json.dumps(instructions))
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "NPQ_API_BASE_URL": base_url,
        "NPQ_API_TOKEN": AMBITION.token,
        "NPQ_SCENARIO": instructions["scenario"],
        "NPQ_INSTRUCTIONS": str(tmp_path / "instructions.json"),
        "NPQ_RESULTS": str(tmp_path / "results.json"),
    }
    subprocess.run([sys.executable, "adapter.py"], cwd=tmp_path, env=env, check=True, timeout=60)

    results = json.loads((tmp_path / "results.json").read_text())
    assert [(r["id"], r["outcome"], r.get("error")) for r in results["results"]] == [
        ("1", "done", None),
        ("2", "done", None),
        ("3", "refused", m.ALREADY_WITHDRAWN),
    ]
    assert results["results"][1]["record"]["state"] == "eligible"
    participant = instructions["instructions"][2]["participant_id"]
    assert results["view"]["participants"][participant] == "withdrawn"


def test_careful_asks_only_for_changes_on_the_second_sync(base_url: str, tmp_path: Path) -> None:
    sync = {"action": "sync", "resources": ["applications"]}
    run_client("careful", base_url, tmp_path, {"id": "s1", **sync}, {"id": "s2", **sync})

    entries = journal(base_url, "GET", "/api/v3/npq-applications")
    first = [e for e in entries if "filter[updated_since]" not in e["query"]]
    second = [e for e in entries if "filter[updated_since]" in e["query"]]
    assert entries == first + second
    for sync in (first, second):
        assert [e["query"]["page[page]"] for e in sync] == [str(n + 1) for n in range(len(sync))]
        assert sync[-1]["response_body"] == {"data": []}
    assert second[0]["query"]["filter[updated_since]"].endswith("Z")


def test_naive_syncs_everything_every_time(base_url: str, tmp_path: Path) -> None:
    sync = {"action": "sync", "resources": ["applications"]}
    run_client("naive", base_url, tmp_path, {"id": "s1", **sync}, {"id": "s2", **sync})

    queries = [entry["query"] for entry in journal(base_url, "GET", "/api/v3/npq-applications")]
    assert queries == [{}, {}]


def lost_declaration(base_url: str, cases: dict[str, str]) -> Json:
    """A backdated declaration for the withdrawn participant, whose answer will be lost."""
    fault(base_url, method="POST", path="/api/v3/participant-declarations", lost_response=True)
    started = api(
        base_url, "GET", f"/participant-declarations/{cases['withdrawn_started_declaration']}"
    )
    attributes = started["data"]["attributes"]
    return {
        "id": "d1",
        "action": "submit_declaration",
        "participant_id": cases["withdrawn_participant"],
        "course_identifier": attributes["course_identifier"],
        "declaration_type": "retained-1",
        "declaration_date": "2026-06-18T10:00:00Z",  # before the withdrawal
        "delivery_partner_id": attributes["delivery_partner_id"],
    }


def retained(base_url: str, participant_id: str) -> list[Json]:
    query = f"?filter[participant_id]={participant_id}"
    declarations = api(base_url, "GET", f"/participant-declarations{query}")["data"]
    return [d for d in declarations if d["attributes"]["declaration_type"] == "retained-1"]


def test_careful_reports_the_declaration_a_lost_response_created(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("careful", base_url, tmp_path, lost_declaration(base_url, cases))

    [made] = retained(base_url, cases["withdrawn_participant"])
    record = {"id": made["id"], "state": "eligible"}
    assert results["results"] == [{"id": "d1", "outcome": "done", "record": record}]
    assert results["view"]["declarations"] == {made["id"]: "eligible"}
    posts = journal(base_url, "POST", "/api/v3/participant-declarations")
    assert [post["status"] for post in posts] == [200, 422]


def test_naive_reports_a_lost_declaration_as_refused(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    results = run_client("naive", base_url, tmp_path, lost_declaration(base_url, cases))

    generic = "Request failed with status 422"
    assert results["results"] == [{"id": "d1", "outcome": "refused", "error": generic}]
    assert len(retained(base_url, cases["withdrawn_participant"])) == 1


def test_careful_never_retries_a_refusal(
    base_url: str, cases: dict[str, str], tmp_path: Path
) -> None:
    run_client("careful", base_url, tmp_path, *refusal_instructions(cases))

    assert len(journal(base_url, "POST", "/api/v3/npq-applications/*")) == 2
    assert len(journal(base_url, "PUT", "/api/v3/participant-declarations/*")) == 1


def test_naive_storms_every_refusal(base_url: str, cases: dict[str, str], tmp_path: Path) -> None:
    run_client("naive", base_url, tmp_path, *refusal_instructions(cases))

    assert len(journal(base_url, "POST", "/api/v3/npq-applications/*")) == 2 * 4
    assert len(journal(base_url, "PUT", "/api/v3/participant-declarations/*")) == 4


def test_careful_waits_retry_after_on_429_and_retries_a_503(base_url: str, tmp_path: Path) -> None:
    fault(base_url, method="GET", path="/api/v3/npq-applications", status=429, retry_after=1)
    fault(base_url, method="GET", path="/api/v3/participant-declarations", status=503)
    results = run_client("careful", base_url, tmp_path, {"id": "s1", "action": "sync"})

    assert results["results"] == [{"id": "s1", "outcome": "done"}]
    assert results["view"]["applications"] == statuses(
        every_page(base_url, "/npq-applications"), "status"
    )
    assert results["view"]["declarations"] == statuses(
        every_page(base_url, "/participant-declarations"), "state"
    )
    throttled, retried = journal(base_url, "GET", "/api/v3/npq-applications")[:2]
    assert (throttled["status"], retried["status"]) == (429, 200)
    waited = datetime.fromisoformat(retried["time"]) - datetime.fromisoformat(throttled["time"])
    assert waited >= timedelta(seconds=1)


def test_naive_retries_a_429_at_once_and_gives_up(base_url: str, tmp_path: Path) -> None:
    fault(base_url, method="GET", path="/api/v3/npq-applications", status=429, times=4)
    results = run_client("naive", base_url, tmp_path, {"id": "s1", "action": "sync"})

    generic = "Request failed with status 429"
    assert results["results"] == [{"id": "s1", "outcome": "refused", "error": generic}]
    assert len(journal(base_url, "GET", "/api/v3/npq-applications")) == 4


def test_careful_syncs_by_the_servers_clock_not_its_own(base_url: str, tmp_path: Path) -> None:
    # The sandbox's clock is four weeks behind this machine's, so changes are stamped then.
    control(
        base_url, "PUT", "/sandbox/clock", {"data": {"attributes": {"now": "2026-11-02T09:00:00Z"}}}
    )
    register = {"course_identifier": "npq-headship", "cohort": "2025"}
    first = control(
        base_url, "POST", "/sandbox/npq-applications", {"data": {"attributes": register}}
    )
    person = first["data"][0]["attributes"]["participant_id"]
    again = {**register, "participant_id": person}
    second = control(base_url, "POST", "/sandbox/npq-applications", {"data": {"attributes": again}})
    accepted, rejected = first["data"][0]["id"], second["data"][0]["id"]
    sync = {"action": "sync", "resources": ["applications"]}
    accept = {"action": "accept_application", "application_id": accepted, "funded_place": True}

    results = run_client(
        "careful",
        base_url,
        tmp_path,
        {"id": "s1", **sync},
        {"id": "a", **accept},
        {"id": "s2", **sync},
    )

    # Accepting one rejected the other; only the second sync can have shown it.
    assert results["view"]["applications"][accepted] == "accepted"
    assert results["view"]["applications"][rejected] == "rejected"
    since = {
        entry["query"].get("filter[updated_since]")
        for entry in journal(base_url, "GET", "/api/v3/npq-applications")
    }
    assert len(since - {None}) == 1
    assert min(since - {None}) < "2026-11-02T09:00:00Z"
