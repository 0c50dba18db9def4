"""Refusing a request whose Host the sandbox does not answer to (DNS rebinding).

Every token is public, so a web page that rebinds its own name to the sandbox's address could
drive the sandbox from a browser. Browsers always send the page's name as `Host`: answering
only loopback names, the address served and the names given (`serve --allowed-host`) stops
that. Served on a wildcard address (0.0.0.0, ::), any IP address is the address served; a
rebinding page has a name, never a bare address.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from typing import Any

from npq_sandbox.domain import messages as m
from npq_sandbox.middleware.wsgi import StartResponse, WsgiApp, plain_answer

LOOPBACK = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("0.0.0.0", "::")


class AllowedHosts:
    """WSGI middleware answering a JSON 400 to a request for a Host not allowed."""

    def __init__(self, app: WsgiApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self._names = {_name(host) for host in (*LOOPBACK, *allowed)}
        self._any_address = any(_name(host) in WILDCARDS for host in allowed)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # A request without a Host header is no browser's: it cannot come from a rebound page.
        host = environ.get("HTTP_HOST")
        if host is None or self.allows(host):
            return self.app(environ, start_response)
        entry = {"title": m.BAD_REQUEST_TITLE, "detail": m.SANDBOX_HOST_REFUSED}
        body = json.dumps({"errors": [entry]}, separators=(",", ":")).encode()
        answer = plain_answer(400, body, "application/json", None)
        start_response(answer.status, answer.headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [answer.body]

    def allows(self, host: str) -> bool:
        """Whether a `Host` header's value (a name or address, maybe a port) is answered."""
        name = _name(host)
        return name in self._names or (self._any_address and _is_address(name))


def _name(host: str) -> str:
    """The name or address of a `Host` value, without its port, brackets or final dot."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
