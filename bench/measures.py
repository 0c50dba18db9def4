"""Each figure the benchmark reports, measured against real processes."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from declarations import started_declarations
from load import POST_SCRIPT, THREADS, Load, run_wrk
from servers import (
    HEADERS,
    TOKEN,
    first_answer,
    free_port,
    reference_command,
    running,
    sandbox_command,
)

API = "/api/v3"
PAGE_OF_100 = f"{API}/participants/npq?page%5Bpage%5D=1&page%5Bper_page%5D=100"
# A client polling for a week of changes (seeded data is anchored at 2026-11-02T09:00Z).
UPDATED_SINCE = f"{API}/participant-declarations?filter%5Bupdated_since%5D=2026-10-26T09:00:00Z"
DECLARATIONS = f"{API}/participant-declarations"
MAX_POSTS = 4000


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


def throughput(
    db: Path, work: Path, workers: int, seconds: int, connections: int
) -> dict[str, dict[str, Load | None]]:
    """wrk against the sandbox (cache on and off) and the reference, per request kind."""
    requests_ = _requests(db, workers)
    bodies = _save_bodies(db, work, requests_)
    results: dict[str, dict[str, Load | None]] = {name: {} for name in requests_}
    for config, command in _configs(db, workers).items():
        for name, (method, path, post_file) in requests_.items():
            results[name][config] = _one_run(
                command, config, method, path, post_file, db, work, bodies, seconds, connections
            )
    return results


def _configs(db: Path, workers: int) -> dict[str, list[str]]:
    return {
        "sandbox": ["--workers", str(workers)],
        "sandbox --no-cache": ["--workers", str(workers), "--no-cache"],
        "reference": ["--workers", str(workers)],
    }


def _one_run(
    options: list[str],
    config: str,
    method: str,
    path: str,
    post_file: Path | None,
    db: Path,
    work: Path,
    bodies: Path,
    seconds: int,
    connections: int,
) -> Load | None:
    """One wrk run; POSTs go to a fresh copy of the database, and only if the route exists."""
    if method == "POST" and post_file is None:
        return None
    target = db
    if method == "POST" and config != "reference":
        target = fresh_copy(db, work / "post.db")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    if config == "reference":
        command, env = (
            reference_command(port, int(options[1]) if options else 1),
            {"NPQ_BENCH_BODIES": str(bodies)},
        )
    else:
        command, env = sandbox_command(target, port, *options), {}
    with running(command, env) as started:
        first_answer(base + PAGE_OF_100, started)
        script = _post_script(work, post_file) if method == "POST" else None
        return run_wrk(base + path, TOKEN, seconds, connections, script)


def fresh_copy(source: Path, target: Path) -> Path:
    """Copy a database file (no server has it open) over any earlier copy and its WAL."""
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    target.write_bytes(source.read_bytes())
    return target


def _post_script(work: Path, post_file: Path | None) -> Path:
    script = work / "post.lua"
    script.write_text(POST_SCRIPT % (THREADS, post_file))
    return script


def _requests(db: Path, workers: int) -> dict[str, tuple[str, str, Path | None]]:
    """The four benchmarked requests; the POST body file only if the route exists."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    scratch = fresh_copy(db, db.parent / "scratch.db")
    with running(sandbox_command(scratch, port, "--workers", str(workers))) as started:
        first_answer(base + PAGE_OF_100, started)
        application = _first(base, f"{API}/npq-applications")
        post_file = _post_bodies(base, scratch, db.parent / "declarations.tsv")
    return {
        "GET /participants/npq (page of 100)": ("GET", PAGE_OF_100, None),
        "GET /participant-declarations?filter[updated_since]": ("GET", UPDATED_SINCE, None),
        "GET /npq-applications/{id}": ("GET", f"{API}/npq-applications/{application}", None),
        "POST /participant-declarations": ("POST", DECLARATIONS, post_file),
    }


def _first(base: str, path: str) -> str:
    found: str = requests.get(base + path, headers=HEADERS).json()["data"][0]["id"]
    return found


def _post_bodies(base: str, db: Path, out: Path) -> Path | None:
    """Declarations that a scratch copy of `db` accepted; None if the route is not there yet.

    Each is valid once, so the wrk run gets another fresh copy; `MAX_POSTS` is plenty for a
    run (past it, the stream starts again and the repeats count as failed).
    """
    probe = requests.post(base + DECLARATIONS, headers=HEADERS, json={}, timeout=10)
    if probe.status_code == 404:
        return None
    candidates = started_declarations(base)
    accepted = [line for line in candidates[: MAX_POSTS * 2] if _accepted(base, line)]
    out.write_text("\n".join(accepted[:MAX_POSTS]) + "\n")
    return out


def _accepted(base: str, line: str) -> bool:
    token, body = line.split("\t", 1)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return requests.post(base + DECLARATIONS, data=body, headers=headers).status_code == 200


def _save_bodies(db: Path, work: Path, requests_: dict[str, tuple[str, str, Path | None]]) -> Path:
    """Save, for the reference app, a body as large as the sandbox's answer to each request."""
    index: dict[str, str] = {}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(sandbox_command(db, port)) as started:
        first_answer(base + PAGE_OF_100, started)
        for number, (method, path, _) in enumerate(requests_.values()):
            one = requests.get(base + (path if method == "GET" else DECLARATIONS), headers=HEADERS)
            body = one.content
            if method == "POST":  # a created declaration is answered as one resource
                body = json.dumps({"data": one.json()["data"][0]}, separators=(",", ":")).encode()
            (work / f"body-{number}.json").write_bytes(body)
            index[f"{method} {path.split('?')[0]}"] = f"body-{number}.json"
    (work / "bodies.json").write_text(json.dumps(index))
    return work / "bodies.json"
