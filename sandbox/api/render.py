"""Success responses in DfE's envelope, and the exact JSON bytes of every answer."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response, jsonify
from flask.json.provider import DefaultJSONProvider
from npq_sandbox.domain.errors import NotFound

T = TypeVar("T")


class JsonBytes(DefaultJSONProvider):
    """Flask's JSON, compact and in the given key order, without the newline Flask appends.

    DfE's bodies end at the closing brace, and a client comparing bytes or lengths sees the
    difference; `jsonify` (success, error and control-plane answers alike) goes through here.
    """

    sort_keys = False
    compact = True

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """Serialize the arguments as `jsonify` does, with no trailing newline."""
        body = self.dumps(self._prepare_response_obj(args, kwargs), separators=(",", ":"))
        return Response(body, mimetype=self.mimetype)


def render(data: Any) -> Response:
    """Wrap a resource or a list of them as `{"data": ...}` with status 200."""
    return jsonify({"data": data})


def found_or_404(record: T | None) -> T:
    if record is None:
        raise NotFound()
    return record
