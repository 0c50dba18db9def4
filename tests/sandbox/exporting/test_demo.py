"""The committed demo export (`fixtures/demo`) is exactly what the exporter writes today."""

from __future__ import annotations

from pathlib import Path

from tests.sandbox.exporting.conftest import export, files

DEMO = Path(__file__).parents[3] / "fixtures" / "demo"
# The command in fixtures/README.md that made the demo; change both together.
DEMO_OPTIONS = [
    "--seed",
    "1",
    "--participants",
    "24",
    "--provider",
    "ambition-institute",
    "--provider",
    "best-practice-network",
]


def test_demo_export_is_golden(tmp_path: Path) -> None:
    regenerated = export(tmp_path / "demo", *DEMO_OPTIONS)
    expected = files(DEMO)
    assert sorted(files(regenerated)) == sorted(expected)
    for name, content in files(regenerated).items():
        assert content == expected[name], f"fixtures/demo/{name} is stale: regenerate it"


def test_readme_points_to_the_demo() -> None:
    readme = (DEMO.parents[1] / "README.md").read_text()
    assert "fixtures/demo" in readme
    assert " ".join(DEMO_OPTIONS) in (DEMO.parent / "README.md").read_text()
