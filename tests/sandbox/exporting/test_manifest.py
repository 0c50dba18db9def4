"""An export serves as a mock: each list ends with its empty page, and a manifest maps requests."""

from __future__ import annotations

import json
from pathlib import Path

from npq_sandbox import Settings, create_app
from npq_sandbox.exporting import load_fixtures
from npq_sandbox.store.db import Database

from tests.sandbox.exporting.conftest import export


def test_every_list_ends_with_the_empty_page(exported: Path) -> None:
    for folder in sorted(p for p in (exported / "llse").iterdir() if p.is_dir()):
        pages = sorted(folder.iterdir())
        bodies = [json.loads(page.read_bytes())["data"] for page in pages]
        assert bodies[-1] == [], folder
        assert all(bodies[:-1]), folder


def test_the_manifest_names_every_page_and_the_request_it_answers(exported: Path) -> None:
    manifest = json.loads((exported / "manifest.json").read_bytes())["files"]
    pages = {str(p.relative_to(exported)) for p in exported.rglob("page-*.json")}
    assert set(manifest) == pages
    db = Database(":memory:")
    load_fixtures(exported, db)
    client = create_app(Settings(database=db, testing=True)).test_client()
    for name, request in manifest.items():
        assert request["method"] == "GET"
        response = client.get(
            request["path"],
            query_string=request["query"],
            headers={"Authorization": request["authorization"]},
        )
        assert response.get_data() == (exported / name).read_bytes(), name


def test_an_empty_list_is_one_empty_page(tmp_path: Path) -> None:
    out = export(tmp_path / "out", "--participants", "0", "--provider", "llse")
    pages = sorted((out / "llse" / "participants-npq-outcomes").iterdir())
    assert len(pages) >= 1
    assert json.loads(pages[-1].read_bytes()) == {"data": []}


def test_yaml_pages_are_in_the_manifest_too(tmp_path: Path) -> None:
    out = export(tmp_path / "out", "--participants", "0", "--provider", "llse", "--format", "yaml")
    manifest = json.loads((out / "manifest.json").read_bytes())["files"]
    assert "llse/statements/page-0001.yaml" in manifest
    assert all((out / name).is_file() for name in manifest)
