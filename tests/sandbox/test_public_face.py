"""The sandbox's public face: `npq_sandbox.__all__` is sorted, resolves, and holds what is used."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import npq_sandbox

ROOT = Path(__file__).parents[2]
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _imported_from_sandbox(source: str) -> Iterator[str]:
    """The names `source` imports with `from npq_sandbox import ...`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "npq_sandbox" and not node.level:
            yield from (alias.name for alias in node.names)


def _users() -> Iterator[tuple[str, str]]:
    """(where, source) of the code outside the sandbox that imports it: the kit and the README."""
    for path in sorted((ROOT / "conformance").rglob("*.py")):
        yield str(path.relative_to(ROOT)), path.read_text()
    for number, block in enumerate(PYTHON_BLOCK.findall((ROOT / "README.md").read_text())):
        yield f"README.md block {number + 1}", block


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions, each alphabetically (as ruff sorts `__all__`)."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_each_name_resolves() -> None:
    assert npq_sandbox.__all__ == sorted(npq_sandbox.__all__, key=_isort_key)
    for name in npq_sandbox.__all__:
        assert hasattr(npq_sandbox, name), name


def test_every_name_the_kit_and_readme_import_is_public() -> None:
    missing = {
        f"{where}: {name}"
        for where, source in _users()
        for name in _imported_from_sandbox(source)
        if name not in npq_sandbox.__all__
    }
    assert missing == set()


def test_the_kit_imports_something_from_the_face() -> None:
    """The check above reads real imports (it would pass vacuously on none)."""
    found = {name for _, source in _users() for name in _imported_from_sandbox(source)}
    assert {"create_app", "Settings", "find_provider"} <= found


def test_a_missing_name_is_noticed() -> None:
    source = "from npq_sandbox import create_app, not_public\n"
    assert [n for n in _imported_from_sandbox(source) if n not in npq_sandbox.__all__] == [
        "not_public"
    ]
