"""`npq-sandbox fixtures export`: the API's own answers, per provider, the same every time."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from npq_sandbox import Settings, create_app
from npq_sandbox.cli import main
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from npq_sandbox.exporting import load_fixtures
from npq_sandbox.store.db import Database

from tests.sandbox.exporting.conftest import export, files

ENDPOINTS = {
    "npq-applications": "/npq-applications",
    "participants-npq": "/participants/npq",
    "participants-npq-outcomes": "/participants/npq/outcomes",
    "participant-declarations": "/participant-declarations",
    "statements": "/statements",
    "delivery-partners": "/delivery-partners",
}
RESOURCES = [
    "applications",
    "participants",
    "outcomes",
    "declarations",
    "statements",
    "delivery-partners",
]


def test_same_seed_and_options_give_the_same_bytes(exported: Path, tmp_path: Path) -> None:
    again = export(tmp_path / "again", "--seed", "3", "--participants", "16")
    assert files(again) == files(exported)


def test_another_seed_gives_other_bytes(exported: Path, tmp_path: Path) -> None:
    other = export(tmp_path / "other", "--seed", "4", "--participants", "16")
    assert files(other) != files(exported)


def test_every_provider_has_every_list_and_resource(exported: Path) -> None:
    for folder in ("ambition-institute", "ucl-institute-of-education"):
        for name in ENDPOINTS:
            assert (exported / folder / name / "page-0001.json").is_file()
        for name in RESOURCES:
            assert (exported / folder / f"{name}.json").is_file()


def test_pages_are_the_bytes_the_api_serves(exported: Path) -> None:
    db = Database(":memory:")
    load_fixtures(exported, db)
    client = create_app(Settings(database=db, testing=True)).test_client()
    provider = LEAD_PROVIDERS[3]
    for folder, path in ENDPOINTS.items():
        pages = sorted((exported / "llse" / folder).iterdir())
        for number, page in enumerate(pages, start=1):
            response = client.get(
                f"/api/v3{path}?page[page]={number}&page[per_page]=100",
                headers={"Authorization": f"Bearer {provider.token}"},
            )
            assert response.get_data() == page.read_bytes(), page


def test_a_resource_file_holds_every_page(exported: Path) -> None:
    folder = exported / "teach-first"
    pages = sorted((folder / "statements").iterdir())
    assert len(pages) > 1
    in_pages = [item for page in pages for item in json.loads(page.read_bytes())["data"]]
    assert json.loads((folder / "statements.json").read_bytes())["data"] == in_pages


def test_yaml_holds_the_same_data(exported: Path, tmp_path: Path) -> None:
    out = export(tmp_path / "yaml", "--seed", "3", "--participants", "16", "--format", "yaml")
    for folder in ("church-of-england", "llse"):
        as_yaml = yaml.safe_load((out / folder / "participants.yaml").read_text())
        assert as_yaml == json.loads((exported / folder / "participants.json").read_bytes())
    assert (out / "llse" / "participants-npq" / "page-0001.yaml").is_file()


def test_csv_gives_one_flat_file_per_resource(exported: Path, tmp_path: Path) -> None:
    out = export(tmp_path / "csv", "--participants", "16", "--seed", "3", "--format", "csv")
    assert sorted(p.name for p in (out / "llse").iterdir()) == sorted(
        f"{name}.csv" for name in RESOURCES
    )
    rows = list(csv.DictReader(io.StringIO((out / "llse" / "participants.csv").read_text())))
    expected = json.loads((exported / "llse" / "participants.json").read_bytes())["data"]
    assert [row["id"] for row in rows] == [item["id"] for item in expected]
    assert {"npq_enrolments.0.course_identifier", "previous_names"} <= set(rows[0])
    withdrawn = [row for row in rows if row.get("npq_enrolments.0.withdrawal.reason")]
    assert withdrawn


def test_provider_option_limits_the_export(tmp_path: Path) -> None:
    out = export(tmp_path / "one", "--participants", "0", "--provider", "Teach First")
    assert sorted(p.name for p in out.iterdir()) == ["_database", "manifest.json", "teach-first"]


@pytest.mark.parametrize(
    "options",
    [["--provider", "Nobody"], ["--format", "xml"], ["--db", "no-such.db"]],
)
def test_bad_options_are_usage_errors(tmp_path: Path, options: list[str]) -> None:
    result = CliRunner().invoke(main, ["fixtures", "export", "--out", str(tmp_path), *options])
    assert result.exit_code == 2


def test_export_refuses_a_directory_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["fixtures", "export", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "not empty" in result.output
    assert (tmp_path / "keep.txt").read_text() == "mine"
