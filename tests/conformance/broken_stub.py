"""A deliberately broken implementation of the API: the sandbox with two operations spoiled.

`GET /api/v3/statements` answers each statement's `year` as a number (the contract says a
string) and `PUT /api/v3/participant-declarations/{id}/void` always answers a 500; every other
operation is the sandbox's own answer, so a contract run must name exactly those two.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
SERVER_ERROR = {"errors": [{"title": "Internal server error", "detail": "Broken on purpose"}]}


def broken(app: WSGIApp) -> WSGIApp:
    """Wrap `app` so that the list of statements and voiding a declaration are broken."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        if request.method == "PUT" and request.path.endswith("/void"):
            response = Response(json.dumps(SERVER_ERROR), 500, content_type="application/json")
        else:
            response = Response.from_app(app, environ)
            if request.path.rstrip("/") == "/api/v3/statements" and response.status_code == 200:
                response.set_data(_numeric_years(response.get_data()))
        return response(environ, start_response)

    return wsgi


def _numeric_years(body: bytes) -> bytes:
    document = json.loads(body)
    for statement in document["data"]:
        statement["attributes"]["year"] = int(statement["attributes"]["year"])
    return json.dumps(document).encode()
