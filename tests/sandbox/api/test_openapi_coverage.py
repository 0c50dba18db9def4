"""`openapi.yaml` documents every route the app serves, and every operation is well formed."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from flask import Flask

from tests.sandbox.api.openapi_support import SPEC

DOCUMENT: dict[str, Any] = yaml.safe_load(SPEC.read_text())
METHODS = ("get", "put", "post", "delete", "patch")
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method in METHODS
]
LABELS = [f"{method} {path}" for method, path, _ in OPERATIONS]
CONTROL_PLANE = "Sandbox control plane"
SERVER_DATE = {"$ref": "#/components/parameters/ServerDate"}


def _shape(path: str) -> str:
    """A path with every parameter blanked, so `{id}` and `<application_id>` compare equal."""
    return re.sub(r"\{[^}]+\}|<[^>]+>", "{}", path)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=LABELS)
def test_operation_is_named_tagged_and_refuses_strangers(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    declared_tags = {tag["name"] for tag in DOCUMENT["tags"]}
    assert re.fullmatch(r"[a-z][A-Za-z]+", operation.get("operationId", ""))
    assert operation.get("tags") and set(operation["tags"]) <= declared_tags
    if operation.get("security", DOCUMENT.get("security")):
        assert operation["responses"]["401"] == {"$ref": "#/components/responses/Unauthorised"}


def test_operation_ids_are_unique() -> None:
    ids = [operation["operationId"] for _, _, operation in OPERATIONS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=LABELS)
def test_api_and_control_plane_are_kept_apart(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    if path.startswith("/sandbox/"):
        assert operation["tags"] == [CONTROL_PLANE]
        assert SERVER_DATE not in operation.get("parameters", [])
    else:
        assert path.startswith("/api/v3/")
        assert CONTROL_PLANE not in operation["tags"]
        assert SERVER_DATE in operation["parameters"]


def test_every_served_route_is_documented(app: Flask) -> None:
    documented = {(method, _shape(path)) for method, path, _ in OPERATIONS}
    served = {
        (method, _shape(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/v3/", "/sandbox/"))
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert served, "the app serves no API routes"
    assert served <= documented, sorted(served - documented)
