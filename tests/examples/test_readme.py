"""The README's examples run as written, so the docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from flask.testing import FlaskClient

from sandbox.domain.reference import LEAD_PROVIDERS

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
