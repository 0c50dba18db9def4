"""Success responses in DfE's envelope."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response, jsonify
from npq_sandbox.domain.errors import NotFound

T = TypeVar("T")


def render(data: Any) -> Response:
    """Wrap a resource or a list of them as `{"data": ...}` with status 200."""
    return jsonify({"data": data})


def found_or_404(record: T | None) -> T:
    if record is None:
        raise NotFound()
    return record
