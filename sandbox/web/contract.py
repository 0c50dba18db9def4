"""Our contract, `openapi.yaml`, as the sandbox serves it and as the dashboard reads it.

The served copy names the serving sandbox as its only server, so that the docs' "try it out"
calls this sandbox whatever address or port it was started on.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).resolve().parent / "openapi.yaml"  # shipped with the package


@cache
def document() -> dict[str, Any]:
    """The contract, parsed once (callers must not change it)."""
    with SPEC_PATH.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def served(root_url: str) -> dict[str, Any]:
    """The contract with the serving sandbox (`root_url`, e.g. http://127.0.0.1:8000) as server."""
    spec = copy.deepcopy(document())
    spec["servers"] = [{"url": root_url.rstrip("/"), "description": "This sandbox"}]
    return spec


def operation(method: str, path: str) -> dict[str, Any]:
    """The contract's operation for `method` on a path template, or an empty one."""
    found: dict[str, Any] = document()["paths"].get(path, {}).get(method.lower(), {})
    return found


def resolve(node: Any) -> Any:
    """Follow a local `$ref` (`#/components/...`) to what it names, repeatedly."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def attributes_schema(method: str, path: str) -> dict[str, Any]:
    """The properties of an operation's `data.attributes`, each resolved; empty without a body."""
    body = resolve(operation(method, path).get("requestBody", {}))
    schema = resolve(body.get("content", {}).get("application/json", {}).get("schema", {}))
    data = resolve(schema.get("properties", {}).get("data", {}))
    attributes = resolve(data.get("properties", {}).get("attributes", {}))
    properties = attributes.get("properties", {})
    return {name: resolve(value) for name, value in properties.items()}
