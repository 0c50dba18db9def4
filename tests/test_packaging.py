"""What pyproject.toml installs: every package folder, under its prefixed name."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _setuptools() -> dict[str, object]:
    found: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"][
        "setuptools"
    ]
    return found


def test_every_package_folder_is_installed_under_its_prefixed_name() -> None:
    config = _setuptools()
    folders = config["package-dir"]
    assert isinstance(folders, dict)
    expected = {
        ".".join((name, *init.parent.relative_to(ROOT / folder).parts))
        for name, folder in folders.items()
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert set(config["packages"]) == expected  # type: ignore[arg-type]


def test_the_installed_names_are_prefixed() -> None:
    assert _setuptools()["package-dir"] == {
        "npq_sandbox": "sandbox",
        "npq_conformance": "conformance",
    }
