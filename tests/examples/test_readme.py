"""The README's examples run as written, so the docs cannot rot."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from flask.testing import FlaskClient

from sandbox.domain.reference import LEAD_PROVIDERS
from tests.live import serving

README = (Path(__file__).parents[2] / "README.md").read_text()
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
