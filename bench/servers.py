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
PRISM = HERE / ".prism" / "node_modules" / ".bin" / "prism"
SPEC_VARIABLE = "NPQ_DFE_SPEC"
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


def dfe_spec() -> Path:
    """DfE's published v3 OpenAPI file, which Prism serves; named by `NPQ_DFE_SPEC`."""
    given = os.environ.get(SPEC_VARIABLE, "")
    if not given:
        raise SystemExit(
            f"{SPEC_VARIABLE} is not set: point it at DfE's published v3 OpenAPI file "
            "(downloaded from DfE's API docs site), which Prism serves as the peer"
        )
    spec = Path(given)
    if not spec.is_file():
        raise SystemExit(f"{SPEC_VARIABLE}={given}: no such file")
    return spec


def prism_command(port: int) -> list[str]:
    """Stoplight Prism mocking DfE's spec, as a provider would run it without the sandbox."""
    if not PRISM.exists():
        raise SystemExit(f"Prism is not installed at {PRISM}: run `make bench-setup`")
    return [str(PRISM), "mock", "--host", "127.0.0.1", "--port", str(port), str(dfe_spec())]


@contextmanager
def running(command: list[str], env: dict[str, str] | None = None) -> Iterator[float]:
    """Start a server; yield its start time (perf_counter); stop it at the end."""
    with started_process(command, env) as (started, _process):
        yield started


@contextmanager
def started_process(
    command: list[str], env: dict[str, str] | None = None
) -> Iterator[tuple[float, subprocess.Popen[bytes]]]:
    """Start a server; yield its start time and its process; stop it at the end.

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
        yield started, process
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
