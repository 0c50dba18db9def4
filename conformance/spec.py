"""Is a journaled request valid against openapi.yaml? (method, path, query, JSON body).

The spec is loaded once per file. Schemas are validated with `jsonschema` against a document
that carries the spec's `components`, so `$ref`s resolve as written; OpenAPI 3.0's `nullable`
is turned into a JSON Schema `null` type first.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SPEC_PATH = Path(__file__).resolve().parent / "openapi.yaml"  # shipped with the kit
DEEP = re.compile(r"^([A-Za-z_]+)\[([A-Za-z_]+)\]$")


@dataclass(frozen=True)
class Operation:
    """One documented method + path template, with its parameter and body schemas."""

    method: str
    template: str
    pattern: re.Pattern[str]
    parameters: dict[str, dict[str, Any]]
    body: dict[str, Any] | None


@functools.cache
def operations(spec_path: Path = SPEC_PATH) -> tuple[tuple[Operation, ...], dict[str, Any]]:
    """The spec's operations and its (nullable-converted) components, loaded once."""
    spec = _nullable(yaml.safe_load(spec_path.read_text(encoding="utf-8")))
    found = []
    for template, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                found.append(
                    _operation(
                        spec, method.upper(), template, [*shared, *op.get("parameters", [])], op
                    )
                )
    return tuple(found), {"components": spec.get("components", {})}


def _operation(
    spec: dict[str, Any], method: str, template: str, params: list[Any], op: dict[str, Any]
) -> Operation:
    resolved = [_deref(spec, p) for p in params]
    query = {p["name"]: p for p in resolved if p.get("in") == "query"}
    content = _deref(spec, op.get("requestBody", {})).get("content", {})
    body = content.get("application/json", {}).get("schema")
    regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return Operation(method, template, re.compile(f"^{regex}/?$"), query, body)


def _deref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _nullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    converted = {k: _nullable(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def problems(
    method: str, path: str, query: dict[str, Any], body: Any, spec_path: Path = SPEC_PATH
) -> list[str]:
    """What is wrong with one request, as short phrases (empty when it is valid)."""
    ops, root = operations(spec_path)
    # Literal segments win over templates (/participants/npq/outcomes is not an {id}).
    candidates = sorted(
        (op for op in ops if op.pattern.match(path)), key=lambda op: op.template.count("{")
    )
    if not candidates:
        return [f"no documented path matches {path}"]
    matched = next((op for op in candidates if op.method == method), None)
    if matched is None:
        return [f"{method} is not documented for {candidates[0].template}"]
    return [*_query_problems(matched, query, root), *_body_problems(matched, body, root)]


def _query_problems(op: Operation, query: dict[str, Any], root: dict[str, Any]) -> list[str]:
    found = []
    for key, value in query.items():
        schema = _parameter_schema(op, key, root)
        if schema is None:
            found.append(f"undocumented query parameter {key}")
            continue
        error = _first_error({**root, **schema}, _coerce(value, schema, root))
        if error:
            found.append(f"query parameter {key}={value}: {error}")
    return found


def _parameter_schema(op: Operation, key: str, root: dict[str, Any]) -> dict[str, Any] | None:
    deep = DEEP.match(key)
    if key in op.parameters and not deep:
        return dict(op.parameters[key].get("schema", {}))
    if deep and deep.group(1) in op.parameters:
        parent = _deref(root, op.parameters[deep.group(1)].get("schema", {}))
        properties = parent.get("properties", {})
        return dict(properties[deep.group(2)]) if deep.group(2) in properties else None
    return None


def _coerce(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """Query values are strings; read them as the type the schema asks for."""
    kind = _deref(root, schema).get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except (TypeError, ValueError):
        return value
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    return value


def _body_problems(op: Operation, body: Any, root: dict[str, Any]) -> list[str]:
    if op.body is None or body is None:
        return []
    if isinstance(body, str):
        return ["the body is not JSON"]
    error = _first_error({**root, **op.body}, body)
    return [f"body: {error}"] if error else []


def _first_error(schema: dict[str, Any], instance: Any) -> str | None:
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message
