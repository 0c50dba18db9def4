"""Success responses in DfE's envelope, and the exact JSON bytes of every answer."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response, current_app, jsonify
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
        return json_answer(self.text(self._prepare_response_obj(args, kwargs)))

    def text(self, data: Any) -> str:
        """The JSON text of `data` as every answer writes it: no spaces, keys in given order."""
        return self.dumps(data, separators=(",", ":"))


def compact(data: Any) -> str:
    """`data` as the app's answers write JSON (a part of one, such as a stored record's body)."""
    provider: JsonBytes = current_app.json  # type: ignore[assignment]
    return provider.text(data)


def json_answer(body: str) -> Response:
    """An answer of JSON text already written (200, unless its caller sets another status)."""
    return Response(body, mimetype="application/json")


def render(data: Any) -> Response:
    """Wrap a resource or a list of them as `{"data": ...}` with status 200."""
    return jsonify({"data": data})


def found_or_404(record: T | None) -> T:
    if record is None:
        raise NotFound()
    return record
