"""Answers made of records' stored JSON (`store.derived`), built and kept where missing.

A body is the record's resource serialized as `render` would serialize it inside the
envelope, so `{"data":[` + bodies + `]}` is byte for byte the answer `render` gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response
from npq_sandbox.api.context import connection
from npq_sandbox.api.render import compact, json_answer
from npq_sandbox.domain.errors import NotFound
from npq_sandbox.store import derived
from npq_sandbox.store.derived import Found, Rows

Build = Callable[[list[str]], list[dict[str, Any]]]


def listing(kind: str, viewer: str, rows: Rows, build: Build) -> Response:
    """Answer a page of records (ids, with stored bodies or None); `build` makes the missing."""
    missing = [i for i, body in rows if body is None]
    made = _made(kind, viewer, missing, build) if missing else {}
    return json_answer('{"data":[' + ",".join(body or made[i] for i, body in rows) + "]}")


def one(kind: str, viewer: str, record_id: str, found: Found, build: Build) -> Response:
    """Answer one record as `found` (looked up with its stored body): 404 if not there."""
    if not found.exists:
        raise NotFound()
    body = found.body
    if body is None:
        body = _made(kind, viewer, [record_id], build)[record_id]
    return json_answer('{"data":' + body + "}")


def _made(kind: str, viewer: str, ids: list[str], build: Build) -> dict[str, str]:
    """Build these records' bodies, and keep them if that can be done now."""
    made = {resource["id"]: compact(resource) for resource in build(ids)}
    derived.keep(connection(), kind, viewer, made)
    return made
