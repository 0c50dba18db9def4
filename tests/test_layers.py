"""Layers run one way: every import in `sandbox` and `conformance` follows ARCHITECTURE.md's table.

Modules are named here by their folders (`sandbox.store.participants`); the installed names
carry a prefix (`npq_sandbox.store.participants`, see pyproject.toml), which is read as the same.
A module belongs to the layer with the longest matching name in `MAY_IMPORT`. It may import the
standard library, any module of its own layer, and what its row lists: layers of the project (a
name, and everything below it; a name ending in `!` is that module alone, as the kit's
`sandbox!`: the sandbox's public face) and third-party distributions. Anything else is a back edge.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("sandbox", "conformance")
INSTALLED = {f"npq_{folder}": folder for folder in PACKAGES}  # import name -> folder
# The API modules the control plane and the WSGI layers share: parsing, rendering, the
# request's caller and clock. The API's views (one module per resource) are the API's own.
API_SHARED = tuple(
    f"sandbox.api.{name}!"
    for name in ("body", "clock", "context", "errors", "query", "render", "serializers")
)
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "sandbox.domain": (),
    "sandbox.store": ("sandbox.domain", "sqlalchemy"),
    "sandbox.seeding": (
        *("sandbox.domain", "sandbox.store"),
        *("faker", "jsonschema", "sqlalchemy", "yaml"),
    ),
    "sandbox.settings": ("sandbox.store",),
    "sandbox.api": ("sandbox.domain", "sandbox.store", "flask", "sqlalchemy", "werkzeug"),
    "sandbox.middleware": (
        *API_SHARED,
        *("sandbox.domain", "sandbox.store", "sandbox.settings", "werkzeug"),
    ),
    "sandbox.control": (
        *API_SHARED,
        *("sandbox.domain", "sandbox.store", "sandbox.seeding"),
        *("faker", "flask", "sqlalchemy", "werkzeug"),
    ),
    "sandbox.web": (
        *API_SHARED,
        *("sandbox.control.journal!", "sandbox.domain", "sandbox.store"),
        *("flask", "flask_swagger_ui", "werkzeug", "yaml"),
    ),
    "sandbox.pipeline": ("sandbox.middleware", "sandbox.settings", "sandbox.store", "flask"),
    "sandbox.app": (
        *("sandbox.api", "sandbox.control", "sandbox.pipeline", "sandbox.settings"),
        *("sandbox.store", "sandbox.web", "flask"),
    ),
    "sandbox.serving": (
        "sandbox.settings",
        "sandbox.store",
        "sandbox.domain",
        "flask",
        "gevent",
        "gunicorn",
        "werkzeug",
    ),
    "sandbox.exporting": (
        *("sandbox.app", "sandbox.domain", "sandbox.seeding", "sandbox.settings"),
        *("sandbox.store", "flask", "requests", "sqlalchemy", "yaml"),
    ),
    "sandbox.rulebook": ("sandbox.domain",),
    "sandbox.cli": ("sandbox", "click"),
    "sandbox.__main__": ("sandbox.cli",),
    # The package's face: what users and the kit import, gathered from the layers above.
    "sandbox!": (
        "sandbox.app",
        "sandbox.domain",
        "sandbox.seeding",
        "sandbox.settings",
        "sandbox.store",
    ),
    # The kit knows the sandbox only through that face.
    "conformance": (
        "sandbox!",
        *("_typeshed", "click", "jsonschema", "pytest", "requests", "schemathesis", "werkzeug"),
        "yaml",
    ),
}


def _matches(pattern: str, module: str) -> bool:
    if pattern.endswith("!"):
        return module == pattern[:-1]
    return module == pattern or module.startswith(pattern + ".")


def layer_of(module: str) -> str:
    """The row of `MAY_IMPORT` that `module` belongs to: the longest name matching it."""
    rows = [row for row in MAY_IMPORT if _matches(row, module)]
    if not rows:
        raise LookupError(f"{module} belongs to no layer of the table")
    return max(rows, key=len)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def by_folder(module: str) -> str:
    """`module`, named by its folder (`npq_sandbox.api` is `sandbox.api`)."""
    top, dot, rest = module.partition(".")
    return INSTALLED.get(top, top) + dot + rest


def imports_of(source: str, package: str) -> Iterator[str]:
    """The modules `source` imports (named by folder), relative ones resolved against `package`.

    `from p import m` counts as importing `p.m` when `m` is a module of the project.
    """
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (by_folder(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = by_folder(node.module or "")
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                inner = f"{base}.{alias.name}"
                yield inner if _is_module(inner) else base


def back_edges(importer: str, targets: list[str]) -> list[str]:
    """The imports of `importer` that its row of the table does not allow."""
    own = layer_of(importer)
    found = []
    for target in targets:
        top = target.split(".")[0]
        if top in sys.stdlib_module_names or top == "__future__":
            continue
        if top in PACKAGES and layer_of(target) == own:
            continue
        if not any(_matches(allowed, target) for allowed in MAY_IMPORT[own]):
            found.append(f"{importer} -> {target}")
    return found


def _modules() -> Iterator[tuple[str, str, Path]]:
    """(module, package its relative imports start from, path) for every project module."""
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                name = ".".join(parts[:-1])
                yield name, name, path
            else:
                name = ".".join(parts)
                yield name, name.rpartition(".")[0], path


MODULES = list(_modules())


@pytest.mark.parametrize(("module", "package", "path"), MODULES, ids=[m for m, _, _ in MODULES])
def test_module_imports_only_what_its_layer_may(module: str, package: str, path: Path) -> None:
    assert back_edges(module, list(imports_of(path.read_text(), package))) == []


BACK_EDGES = [
    (
        "sandbox.store.applications",
        "sandbox.store",
        "from npq_sandbox.seeding.dataset import Dataset",
    ),
    ("sandbox.store.participants", "sandbox.store", "from ..seeding import reset"),
    ("sandbox.domain.declarations", "sandbox.domain", "import flask"),
    ("sandbox.domain.declarations", "sandbox.domain", "from npq_sandbox.store import rows"),
    ("sandbox.domain.declarations", "sandbox.domain", "import yaml"),
    ("sandbox.control.declarations", "sandbox.control", "from npq_sandbox.api import declarations"),
    ("sandbox.api.applications", "sandbox.api", "from npq_sandbox.control import registrations"),
    (
        "sandbox.middleware.journal",
        "sandbox.middleware",
        "from npq_sandbox.api import participants",
    ),
    ("sandbox.seeding.reset", "sandbox.seeding", "from npq_sandbox.api import context"),
    ("conformance.runner", "conformance", "from npq_sandbox.store.db import Database"),
    ("conformance.live", "conformance", "from npq_sandbox.domain.reference import LEAD_PROVIDERS"),
]


@pytest.mark.parametrize(("module", "package", "source"), BACK_EDGES)
def test_a_back_edge_is_caught(module: str, package: str, source: str) -> None:
    assert back_edges(module, list(imports_of(source, package))) != []


def test_a_back_edge_added_to_a_real_module_is_caught() -> None:
    path = ROOT / "sandbox" / "store" / "participants.py"
    source = path.read_text() + "\nfrom npq_sandbox.seeding import reset\n"
    assert back_edges("sandbox.store.participants", list(imports_of(source, "sandbox.store"))) == [
        "sandbox.store.participants -> sandbox.seeding.reset"
    ]


FORWARD_EDGES = [
    ("sandbox.seeding.reset", "sandbox.seeding", "from npq_sandbox.store import rows"),
    (
        "sandbox.control.declarations",
        "sandbox.control",
        "from npq_sandbox.api.render import render",
    ),
    ("conformance.launch", "conformance", "from npq_sandbox import create_app"),
    ("sandbox.api.applications", "sandbox.api", "from . import context"),
]


@pytest.mark.parametrize(("module", "package", "source"), FORWARD_EDGES)
def test_a_forward_edge_is_allowed(module: str, package: str, source: str) -> None:
    assert back_edges(module, list(imports_of(source, package))) == []


def test_every_row_of_the_table_has_modules() -> None:
    assert set(MAY_IMPORT) - {layer_of(module) for module, _, _ in MODULES} == set()


def test_code_imports_the_installed_names_only() -> None:
    """A bare `sandbox` or `conformance` would be whatever package a provider's project has."""
    bare = [
        f"{module} imports {name}"
        for module, _, path in MODULES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0)
        for name in (
            [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
        )
        if name and name.split(".")[0] in PACKAGES
    ]
    assert bare == []
