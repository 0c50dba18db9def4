"""The gate: one request that may write at a time in the app per process, its body read first."""

from __future__ import annotations

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from npq_sandbox.middleware.gate import Gate
from npq_sandbox.middleware.wsgi import StartResponse


class Counting:
    """A WSGI app that notes how many requests it runs at once, and echoes the body."""

    def __init__(self) -> None:
        self.running = self.most = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(0.01)  # long enough for the other threads to arrive
            body = environ["wsgi.input"].read()
        finally:
            with self._lock:
                self.running -= 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [body]


class Arriving(io.RawIOBase):
    """A request body whose bytes arrive only when `arrived` is set."""

    def __init__(self, data: bytes) -> None:
        self.arrived = threading.Event()
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        assert self.arrived.wait(5)
        return self._data.readinto(buffer)


def environ(body: bytes | io.RawIOBase = b"", method: str = "POST") -> dict[str, Any]:
    stream = io.BytesIO(body) if isinstance(body, bytes) else body
    length = len(body) if isinstance(body, bytes) else 5
    return {"REQUEST_METHOD": method, "wsgi.input": stream, "CONTENT_LENGTH": str(length)}


def answer(app: Gate, env: dict[str, Any]) -> tuple[str, bytes]:
    started: list[str] = []
    body = b"".join(app(env, lambda status, _headers, _exc=None: started.append(status)))
    return started[0], body


def test_requests_from_many_threads_run_the_app_one_at_a_time() -> None:
    app = Counting()
    gate = Gate(app, max_body=None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda i: answer(gate, environ(b"%d" % i)), range(24)))
    assert answers == [("200 OK", b"%d" % i) for i in range(24)]
    assert app.most == 1


def test_a_body_still_arriving_does_not_hold_up_other_requests() -> None:
    gate = Gate(Counting(), max_body=None)
    slow = Arriving(b"hello")
    with ThreadPoolExecutor(max_workers=1) as pool:
        waiting = pool.submit(answer, gate, environ(slow))
        time.sleep(0.05)  # the slow request is reading its body
        assert answer(gate, environ(b"quick")) == ("200 OK", b"quick")
        assert not waiting.done()
        slow.arrived.set()
        assert waiting.result(timeout=5) == ("200 OK", b"hello")


def test_a_failing_request_lets_the_next_one_in() -> None:
    def failing(_environ: dict[str, Any], _start: StartResponse) -> list[bytes]:
        raise RuntimeError("boom")

    gate = Gate(failing, max_body=None)
    for _ in range(2):  # the second would wait forever if the first kept the gate
        with pytest.raises(RuntimeError, match="boom"):
            answer(gate, environ())


def test_a_request_may_call_the_app_again_on_its_own_thread() -> None:
    """As the dashboard's views do, calling the API through the whole pipeline."""
    inner = Counting()

    def app(env: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        if env.get("nested"):
            return inner(env, start_response)
        status, body = answer(gate, {**environ(b"inner"), "nested": True})
        start_response(status, [])
        return [b"outer " + body]

    gate = Gate(app, max_body=None)
    answers: list[tuple[str, bytes]] = []
    # A daemon thread: were the gate to deadlock, the test fails instead of hanging.
    thread = threading.Thread(target=lambda: answers.append(answer(gate, environ())), daemon=True)
    thread.start()
    thread.join(timeout=5)
    assert answers == [("200 OK", b"outer inner")]


def test_reads_are_not_held_up_by_a_request_that_may_write() -> None:
    entered, leave = threading.Event(), threading.Event()

    def app(env: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        if env["REQUEST_METHOD"] == "POST":
            entered.set()
            assert leave.wait(5)
        start_response("200 OK", [])
        return [env["REQUEST_METHOD"].encode()]

    gate = Gate(app, max_body=None)
    with ThreadPoolExecutor(max_workers=1) as pool:
        writing = pool.submit(answer, gate, environ(b"x"))
        assert entered.wait(5)  # the POST holds the gate
        for method in ("GET", "HEAD", "OPTIONS"):
            assert answer(gate, environ(method=method)) == ("200 OK", method.encode())
        leave.set()
        assert writing.result(timeout=5) == ("200 OK", b"POST")
