"""Rails' format suffix: `/api/v3/statements.json` routes as `/api/v3/statements`.

DfE's routes are Rails resources, each of which takes an optional `.:format` at the end of its
path, and its controllers answer JSON whatever the format names (they never ask for one). So
`.json`, or any other single suffix such as `.xml`, reaches the same call with the same answer.
The suffix is taken off just before routing: the journal and faults see the path as sent.

Rules: docs/rules.md §0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from npq_sandbox.middleware.wsgi import API_PREFIX, StartResponse, WsgiApp

# A last segment with something before its one dot: Rails' `:format` holds no `/` or `.`.
_SUFFIX = re.compile(r"(?<=[^/.])\.[^/.]+\Z")


class FormatSuffix:
    """WSGI middleware routing a `/api/v3` path with a format suffix as the path without it."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(API_PREFIX):
            return self.app(environ, start_response)
        # A copy: the layers outside read the environ after the call and see the path as sent.
        return self.app({**environ, "PATH_INFO": without_suffix(path)}, start_response)


def without_suffix(path: str) -> str:
    """The path without a final `.format` (`/statements.json` -> `/statements`)."""
    return _SUFFIX.sub("", path, count=1)
