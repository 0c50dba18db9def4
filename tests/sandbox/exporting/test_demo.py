"""The committed demo export (`fixtures/demo`) is exactly what its recipe makes today."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import PROVIDERS
from tests.sandbox.exporting.conftest import export, files

FIXTURES = Path(__file__).parents[3] / "fixtures"
DEMO = FIXTURES / "demo"
# The one command in fixtures/README.md that made the demo; change both together.
DEMO_OPTIONS = ["--recipe", "fixtures/demo.recipe.yaml", "--seed", "1"]


def test_demo_export_is_golden(tmp_path: Path) -> None:
    options = [str(FIXTURES.parent / DEMO_OPTIONS[1]), *DEMO_OPTIONS[2:]]
    regenerated = export(tmp_path / "demo", "--recipe", *options)
    expected = files(DEMO)
    assert sorted(files(regenerated)) == sorted(expected)
    for name, content in files(regenerated).items():
        assert content == expected[name], f"fixtures/demo/{name} is stale: regenerate it"


def test_the_demo_holds_only_the_providers_it_names() -> None:
    named = {"ambition-institute", "best-practice-network"}
    assert {p.name for p in DEMO.iterdir() if p.is_dir()} == named | {"_database"}
    ids = {p.id for p in PROVIDERS if p.slug in named}
    for table in ("applications", "statements", "delivery_partnerships"):
        dumped = json.loads((DEMO / "_database" / f"{table}.json").read_bytes())
        column = dumped["columns"].index("lead_provider_id")
        assert {row[column] for row in dumped["rows"]} == ids, table


def test_readme_shows_the_one_command() -> None:
    readme = (FIXTURES / "README.md").read_text()
    command = "npq-sandbox fixtures export " + " ".join(DEMO_OPTIONS) + " --out fixtures/demo"
    assert command in readme
    assert "fixtures/demo" in (FIXTURES.parent / "README.md").read_text()
