"""Requests written byte by byte, as a hostile client sends them, and the data file's digest."""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TOKEN = "ambition-token"


@dataclass(frozen=True)
class Reply:
    """A raw answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes

    def document(self) -> Any:
        """The body as JSON (raises when it is not)."""
        return json.loads(self.body)


def request(
    method: str,
    target: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    json_body: bool = True,
) -> bytes:
    """A whole HTTP/1.1 request, with the token, a JSON content type and a correct length."""
    given = {"Authorization": f"Bearer {TOKEN}"}
    if json_body and body:
        given["Content-Type"] = "application/json"
    if body:
        given["Content-Length"] = str(len(body))
    given.update(headers or {})
    return head(method, target, given) + body


def head(method: str, target: str, headers: dict[str, str]) -> bytes:
    """A request line and headers, ending the head; headers are sent as Latin-1."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def send(base_url: str, raw: bytes) -> Reply:
    """Send raw bytes to the server of `base_url` and read its whole answer."""
    where = urlsplit(base_url)
    chunks: list[bytes] = []
    with socket.create_connection((where.hostname, where.port), timeout=15) as conn:
        # A server may answer and close before reading all it was sent (a 413): what it
        # answered is still there to read, though the connection may then be reset.
        with contextlib.suppress(OSError):
            conn.sendall(raw)
            conn.shutdown(socket.SHUT_WR)
        with contextlib.suppress(ConnectionResetError):
            while chunk := conn.recv(65536):
                chunks.append(chunk)
    return _parse(b"".join(chunks))


def _parse(raw: bytes) -> Reply:
    head_part, _, body = raw.partition(b"\r\n\r\n")
    lines = head_part.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    if "chunked" in headers.get("transfer-encoding", ""):
        body = _unchunk(body)
    return Reply(int(lines[0].split()[1]), headers.get("content-type", ""), body)


def _unchunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, body = out + rest[:size], rest[size + 2 :]
    return out


def digest(db_path: Path) -> str:
    """A digest of every row of the data file (not its journal), read as SQLite dumps it."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        text = "\n".join(conn.iterdump())
    finally:
        conn.close()
    return hashlib.sha256(text.encode()).hexdigest()
