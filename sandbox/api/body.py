"""Request bodies as DfE's Rails controllers read them: `{"data": {"attributes": {...}}}`.

Rails parses a body only when it is sent as JSON; any other content type leaves the parameters
empty, as here. Strong parameters keep only the permitted attributes with scalar values, so an
object or array where a scalar belongs is dropped, as if the attribute were missing.

Rules: docs/rules.md §2.3.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from flask import g, request
from npq_sandbox.domain import messages
from npq_sandbox.domain.errors import BadRequest

_SCALARS = (str, int, float, bool, type(None))
_LENGTH = re.compile(r"\d+", re.ASCII)


def check_length() -> None:
    """Refuse a `Content-Length` that is not a number of bytes, as gunicorn does itself."""
    given = request.headers.get("Content-Length")
    if given is not None and not _LENGTH.fullmatch(given.strip()):
        raise BadRequest(messages.SANDBOX_BAD_CONTENT_LENGTH)


def _document() -> Any:
    """The parsed JSON body, or None when there is none or it is not sent as JSON."""
    if "npq_body" not in g:
        g.npq_body = _parse()
    return g.npq_body


def _parse() -> Any:
    if not request.is_json:
        return None
    try:
        raw = request.get_data(cache=True)
    except OSError:  # a chunked body whose framing is broken
        raise BadRequest(messages.SANDBOX_UNREADABLE_BODY) from None
    if not raw.strip():
        return None
    try:
        document = json.loads(raw)
        # A lone surrogate (`"\ud800"`) parses, but no database can store it: refuse it here.
        # ASCII without an escape writes none; most bodies are such, and skip the encoding.
        if not raw.isascii() or b"\\u" in raw:
            json.dumps(document, ensure_ascii=False).encode()
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
        # DfE answers malformed JSON with a bare 400 and an empty body; a JSON body with the
        # same status tells a client more and breaks no client that handles the 400.
        raise BadRequest(messages.SANDBOX_MALFORMED_JSON) from None
    return document


def has_data() -> bool:
    """Tell whether the body carries a `data` key (accept and change-funded-place need this)."""
    document = _document()
    return isinstance(document, dict) and "data" in document


def attributes(permitted: Iterable[str]) -> dict[str, Any]:
    """Return the permitted attributes; a missing or empty `data.attributes` is DfE's 400.

    Most of DfE's calls require `attributes` first and filter them after, so attributes that
    are all unknown (`fundedPlace`) leave an empty set that the call's rules then judge.
    """
    document = _document()
    data = document.get("data") if isinstance(document, dict) else None
    given = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(given, dict) or not given:
        raise BadRequest(messages.INVALID_DATA_STRUCTURE)
    return {
        name: given[name]
        for name in permitted
        if name in given and isinstance(given[name], _SCALARS)
    }


def permitted_attributes(permitted: Iterable[str]) -> dict[str, Any]:
    """Return the permitted attributes, refusing (400) a body they leave nothing of.

    Accept and change funded place filter the attributes first and require them after, so
    attributes holding only keys they do not permit (`funded-place`, `fundedPlace`) or only
    objects and lists are DfE's 400 too, not a validation 422.
    """
    kept = attributes(permitted)
    if not kept:
        raise BadRequest(messages.INVALID_DATA_STRUCTURE)
    return kept
