"""Each figure the benchmark reports, measured against real processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from servers import HEADERS, first_answer, free_port, running, sandbox_command

API = "/api/v3"
PAGE_OF_100 = f"{API}/participants/npq?page%5Bpage%5D=1&page%5Bper_page%5D=100"


@dataclass(frozen=True)
class Seeding:
    participants: int
    seconds: float
    peak_mib: float


@dataclass(frozen=True)
class Timed:
    """A request's median time over several tries, and how many records it listed."""

    label: str
    path: str
    median_ms: float
    rows: int


def seed(db: Path, participants: int) -> Seeding:
    """Run `npq-sandbox seed` in a child process; its wall time and peak resident memory."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "sandbox", "seed", "--db", str(db)]
    child = subprocess.Popen(
        [*command, "--participants", str(participants)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"seeding {participants} participants failed")
    return Seeding(participants, seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB


def first_request(db: Path, *options: str, tries: int = 3) -> float:
    """Median seconds from starting `npq-sandbox serve` on `db` to its first answer."""
    found = []
    for _ in range(tries):
        port = free_port()
        with running(sandbox_command(db, port, *options)) as started:
            found.append(first_answer(f"http://127.0.0.1:{port}{PAGE_OF_100}", started))
    return statistics.median(found)


def timed(base: str, label: str, path: str, tries: int = 7) -> Timed:
    """Time one request at a time, as a client paging through a list does."""
    spent, rows = [], 0
    for _ in range(tries):
        started = time.perf_counter()
        response = requests.get(base + path, headers=HEADERS, timeout=120)
        spent.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        rows = len(response.json()["data"])
    return Timed(label, path, statistics.median(spent), rows)


def deep_pages(db: Path, workers: int) -> list[Timed]:
    """First, last and far pages of 3,000 and of 100 participants, with the cache off."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(sandbox_command(db, port, "--workers", str(workers), "--no-cache")) as t0:
        first_answer(base + PAGE_OF_100, t0)
        last = _last_page(base, 3000)
        deep = (last - 1) * 30 + 1  # the first page of 100 inside that last page of 3,000
        return [
            timed(base, "page 1 of 3,000", _participants(1, 3000)),
            timed(base, "page 30 of 3,000 (asked)", _participants(30, 3000)),
            timed(base, f"page {last} of 3,000 (last listing any)", _participants(last, 3000)),
            timed(base, "page 1 of 100", _participants(1, 100)),
            timed(base, f"page {deep} of 100", _participants(deep, 100)),
        ]


def _participants(number: int, size: int) -> str:
    return f"{API}/participants/npq?page%5Bpage%5D={number}&page%5Bper_page%5D={size}"


def _last_page(base: str, size: int) -> int:
    """The last page of `size` participants that lists any (one provider sees fewer than 30)."""
    number = 1
    while requests.get(base + _participants(number + 1, size), headers=HEADERS).json()["data"]:
        number += 1
    return number
