"""Running a reference client as the kit does, and reading the sandbox it ran against."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from npq_sandbox.domain.reference import LEAD_PROVIDERS

from tests.live import serving

Json = dict[str, Any]


ROOT = Path(__file__).parents[2]


AMBITION = LEAD_PROVIDERS[0]


# Enough background participants for more than one page (100) of applications and declarations.
PARTICIPANTS = "1000"


@contextmanager
def serve(seeded: tuple[Path, dict[str, str]], tmp_path: Path, *options: str) -> Iterator[str]:
    """Serve a private copy of the seeded database."""
    copy = tmp_path / "sandbox.db"
    shutil.copy(seeded[0], copy)
    with serving(copy, "--participants", PARTICIPANTS, *options) as base_url:
        yield base_url


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
