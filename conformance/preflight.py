"""Before any scenario: is the target an npq-sandbox the kit can use, with every token?

A wrong `--base-url`, a service container still starting or a token the sandbox refuses is a
CI job's misconfiguration, not the client's non-conformance: `check` finds it before any
scenario runs and says it in one line (`npq-conformance run` exits 2 with it).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

import requests
from npq_conformance.client import KIT, SandboxClient

POLL = 0.2  # seconds between attempts to connect while waiting


class Misconfigured(Exception):
    """The target cannot be used: unreachable, not an npq-sandbox, or refusing a token."""


def check(root: str, tokens: Iterable[str], *, wait: float = 0.0) -> None:
    """Raise Misconfigured unless `root` accepts connections (waiting up to `wait` seconds),
    answers as an npq-sandbox, and accepts each of `tokens`."""
    await_connection(root, wait)
    for token in dict.fromkeys(tokens):
        _check_token(root, token)


def await_connection(root: str, wait: float) -> None:
    """Return once `root`'s host accepts a connection; raise Misconfigured after `wait` s."""
    address, deadline = _address(root), time.monotonic() + wait
    while True:
        try:
            socket.create_connection(address, timeout=5).close()
            return
        except OSError as error:
            if time.monotonic() >= deadline:
                within = f" within {wait:g} s" if wait else ""
                reason = error.strerror or str(error)
                message = f"nothing accepts connections at {root}{within} ({reason})"
                raise Misconfigured(message) from None
        time.sleep(POLL)


def _address(root: str) -> tuple[str, int]:
    parts = urlsplit(root)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = 0
    if parts.scheme not in ("http", "https") or not parts.hostname or not port:
        raise Misconfigured(f"{root!r} is not an http(s) URL such as http://127.0.0.1:8000")
    return parts.hostname, port


def _check_token(root: str, token: str) -> None:
    """The sandbox's clock answers every token it knows; anything else is no npq-sandbox."""
    try:
        response = SandboxClient(root, token).request("GET", "/sandbox/clock", headers=KIT)
    except requests.RequestException as error:
        raise Misconfigured(f"{root} did not answer GET /sandbox/clock ({error})") from None
    if response.status_code == 401 and _json(response) is not None:
        raise Misconfigured(f"the sandbox at {root} refused the token {token!r} (401)")
    if response.status_code != 200 or _kind(response) != "sandbox-clock":
        kind = response.headers.get("Content-Type", "no content type")
        raise Misconfigured(
            f"{root} is not an npq-sandbox: GET /sandbox/clock answered "
            f"{response.status_code} ({kind})"
        )


def _json(response: requests.Response) -> object:
    try:
        found: object = response.json()
    except ValueError:
        return None
    return found


def _kind(response: requests.Response) -> object:
    found = _json(response)
    data = found.get("data") if isinstance(found, dict) else None
    return data.get("type") if isinstance(data, dict) else None
