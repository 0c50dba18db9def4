"""Starting and stopping the servers the benchmark measures."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
TOKEN = "ambition-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sandbox_command(db: Path, port: int, *options: str) -> list[str]:
    """`npq-sandbox serve` on an existing database, as a user runs it."""
    return [
        sys.executable,
        "-m",
        "sandbox",
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
        *options,
    ]


def reference_command(port: int, workers: int) -> list[str]:
    """The reference app under the same server and worker count as the sandbox."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(HERE),
        "--log-level",
        "warning",
        "reference:app",
    ]


@contextmanager
def running(command: list[str], env: dict[str, str] | None = None) -> Iterator[float]:
    """Start a server; yield its start time (perf_counter); stop it at the end.

    SIGTERM, not Ctrl+C: a benchmark started in the background has SIGINT ignored, and its
    children inherit that.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    try:
        yield started
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def first_answer(url: str, started: float, timeout: float = 60.0) -> float:
    """Poll `url` until it answers 200; return the seconds since `started`."""
    while time.perf_counter() - started < timeout:
        try:
            if requests.get(url, headers=HEADERS, timeout=5).status_code == 200:
                return time.perf_counter() - started
        except requests.ConnectionError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"{url} did not answer within {timeout} s")
