"""The domain layer stays free of frameworks and of the outer layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).parents[3] / "sandbox" / "domain"
FORBIDDEN = ("flask", "werkzeug", "sqlalchemy", "sandbox.api", "sandbox.store")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_no_framework(path: Path) -> None:
    bad = [
        n for n in _imports(path) if n.split(".")[0] in FORBIDDEN[:3] or n.startswith(FORBIDDEN[3:])
    ]
    assert bad == []
