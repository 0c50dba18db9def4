"""The README's examples run as written, so the docs cannot rot."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from npq_sandbox.domain import messages as m
from npq_sandbox.domain.reference import LEAD_PROVIDERS

from tests.examples.calls import AMBITION, ROOT, Json, run_client
from tests.live import serving

README = (ROOT / "README.md").read_text()
# `-g` stops curl reading the brackets of `filter[...]` as a glob.
CURL = re.compile(r'curl -g -H "Authorization: Bearer ([\w-]+)" \\\n\s*"(http[^"]+)"')


def test_readme_curl_examples_answer(client: FlaskClient) -> None:
    examples = CURL.findall(README)
    assert examples
    for token, url in examples:
        parts = urlsplit(url)
        response = client.get(
            f"{parts.path}?{parts.query}", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, url
        assert response.get_json()["data"]


def test_readme_lists_every_token() -> None:
    for provider in LEAD_PROVIDERS:
        assert f"| {provider.name} | `{provider.token}` |" in README


def _block_after(marker: str) -> str:
    """The first ```sh block following `marker` in the README."""
    rest = README[README.index(marker) :]
    return rest.split("```sh\n", 1)[1].split("```", 1)[0]


def test_readme_drives_a_declaration_to_paid_and_voids_it(tmp_path: Path) -> None:
    script = _block_after("Drive Ambition Institute's seeded eligible declaration")
    assert len(script.strip().splitlines()) == 3
    with serving(tmp_path / "sandbox.db") as base_url:
        root = base_url.removesuffix("/api/v3")
        run = subprocess.run(
            ["bash", "-c", script.replace("http://127.0.0.1:8000", root)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    answers = [json.loads(line) for line in run.stdout.replace("}{", "}\n{").splitlines()]
    states = [answer["data"]["attributes"]["state"] for answer in answers]
    assert states == ["payable", "paid", "awaiting-clawback"]


def readme_json(after: str) -> Json:
    """The first JSON block after `after` in the README's provider section."""
    rest = README[README.index(after) :]
    block: Json = json.loads(rest.split("```json\n", 1)[1].split("```", 1)[0])
    return block


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
