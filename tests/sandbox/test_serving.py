"""Serving: slow clients cannot stall other providers, and a stopped server keeps its journal."""

from __future__ import annotations

import fcntl
import signal
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from npq_sandbox.store.db import Database
from npq_sandbox.store.schema import journal

from tests.helpers import AMBITION, BEST_PRACTICE, body
from tests.live import serving

SLOW = f"Bearer {AMBITION.token}"
OTHER = {"Authorization": f"Bearer {BEST_PRACTICE.token}"}


# Without the journal, which reads a body before anything else does, the gate reads it.
@pytest.mark.parametrize("options", [["--workers", "2"], [], ["--no-journal"]])
def test_slow_clients_and_latency_faults_do_not_stall_another_provider(
    tmp_path: Path, options: list[str]
) -> None:
    with serving(tmp_path / "s.db", *options) as base_url, ExitStack() as slow:
        address = urlsplit(base_url)
        host, port = address.hostname or "", address.port or 0
        fault = body(path="/api/v3/statements", latency_ms=30_000, times=2)
        root = base_url.removesuffix("/api/v3")
        added = requests.post(
            f"{root}/sandbox/faults", json=fault, headers={"Authorization": SLOW}, timeout=5
        )
        assert added.status_code == 200
        for _ in range(2):  # held 30 s each by the latency fault
            slow.enter_context(_sent(host, port, _request("/api/v3/statements")))
        for _ in range(2):  # never finish their request line
            slow.enter_context(_trickling(host, port, _request("/api/v3/participants")))
        for _ in range(2):  # send their head at once, then never finish their body
            upload = _upload("/api/v3/participant-declarations", b'{"data": {}}')
            slow.enter_context(_trickling(host, port, upload, at_once=len(upload) - 8))
        time.sleep(1)  # every slow connection has reached a worker
        started = time.monotonic()
        answers = [
            requests.get(f"{base_url}/statements", headers=OTHER, timeout=5).status_code
            for _ in range(6)
        ]
        elapsed = time.monotonic() - started
    assert answers == [200] * 6
    assert elapsed < 10


def test_a_worker_serves_reads_while_another_process_holds_the_write_lock(tmp_path: Path) -> None:
    # As while a reset runs in another worker: the waiting write holds up none of the reads.
    path = tmp_path / "s.db"
    with serving(path, "--workers", "1") as base_url, ExitStack() as held:
        lock = held.enter_context(open(f"{path}-lock", "a+b"))
        fcntl.flock(lock, fcntl.LOCK_EX)
        root = base_url.removesuffix("/api/v3")
        fault = body(path="/api/v3/statements", status=503, times=1)
        writing = ThreadPoolExecutor(1)
        held.callback(writing.shutdown)
        write = writing.submit(
            requests.post, f"{root}/sandbox/faults", json=fault, headers=OTHER, timeout=30
        )
        time.sleep(0.5)  # the write is waiting for the lock
        answers = [
            requests.get(f"{base_url}/participants/npq", headers=OTHER, timeout=5).status_code
            for _ in range(3)
        ]
        assert not write.done()
        fcntl.flock(lock, fcntl.LOCK_UN)
        assert write.result().status_code == 200
    assert answers == [200] * 3


@pytest.mark.parametrize("options", [["--workers", "2"], []])
def test_a_server_stopped_by_sigterm_keeps_its_journal(tmp_path: Path, options: list[str]) -> None:
    path = tmp_path / "s.db"
    with serving(path, *options, stop=signal.SIGTERM) as base_url:
        _flood(base_url, requests_each=10, clients=8)
    db = Database(str(path))
    with db.journal.transaction() as conn:
        recorded = conn.execute(journal.select()).all()
    db.dispose()
    assert len(recorded) == 80


def _flood(base_url: str, requests_each: int, clients: int) -> None:
    """Send requests from several threads at once, so that entries are queued when it ends."""

    def client() -> None:
        with requests.Session() as session:
            for _ in range(requests_each):
                answer = session.get(f"{base_url}/statements", headers=OTHER, timeout=10)
                assert answer.status_code == 200

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _request(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {SLOW}\r\n\r\n".encode()


def _upload(path: str, content: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: {SLOW}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(content)}\r\n\r\n"
    )
    return head.encode() + content


@contextmanager
def _sent(host: str, port: int, request: bytes) -> Iterator[None]:
    """Send a whole request and leave its answer unread until the end."""
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(request)
        yield


@contextmanager
def _trickling(host: str, port: int, request: bytes, at_once: int = 0) -> Iterator[None]:
    """Send a request's first bytes, then a byte every 0.2 s, in a thread that stops when the
    block ends."""
    stop = threading.Event()
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(request[:at_once])

        def trickle() -> None:
            for byte in request[at_once:-4]:  # the request never ends
                if stop.wait(0.2):
                    return
                with suppress(OSError):  # the server may give up on it first
                    sock.send(bytes([byte]))

        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)
