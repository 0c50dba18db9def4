"""Full syncs: every list read through by each of the eight providers, and the memory it leaves."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import requests
from npq_sandbox.domain.reference import LEAD_PROVIDERS
from servers import first_answer, free_port, sandbox_command, started_process

API = "/api/v3"
# Every list a provider's client syncs, read whole, 3,000 records a page (DfE's largest).
LISTS = (
    "/npq-applications",
    "/participants/npq",
    "/participant-declarations",
    "/participants/npq/outcomes",
    "/statements",
    "/delivery-partners",
)
PER_PAGE = 3000


@dataclass(frozen=True)
class Syncs:
    """Seconds each provider's full sync took, in turn, and the server's memory after them."""

    participants: int
    seconds: list[float]
    pss_mib: float


def full_syncs(db: Path, participants: int, workers: int) -> Syncs:
    """Every provider syncs every list in turn, against `serve --workers` with its cache on."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = sandbox_command(db, port, "--workers", str(workers))
    with started_process(command) as (started, process):
        first_answer(base + f"{API}/statements", started)
        seconds = []
        for provider in LEAD_PROVIDERS:
            began = time.perf_counter()
            records = sum(_read_all(base, path, provider.token) for path in LISTS)
            seconds.append(time.perf_counter() - began)
            print(f"  {provider.name}: {records:,} records, {seconds[-1]:.1f} s", flush=True)
        return Syncs(participants, seconds, pss_mib(process.pid))


def _read_all(base: str, path: str, token: str) -> int:
    """Read a list page by page until an empty page; return how many records it held."""
    headers = {"Authorization": f"Bearer {token}"}
    count = 0
    for number in range(1, 100_000):
        url = f"{base}{API}{path}?page%5Bpage%5D={number}&page%5Bper_page%5D={PER_PAGE}"
        answer = requests.get(url, headers=headers, timeout=300)
        answer.raise_for_status()
        found = len(answer.json()["data"])
        count += found
        if found < PER_PAGE:
            return count
    return count


def pss_mib(root: int) -> float:
    """Proportional set size of a process and all its descendants, in MiB (Linux)."""
    total_kib = 0
    for pid in [root, *_descendants(root)]:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("Pss:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        children = parents.get(queue.pop(), [])
        found += children
        queue += children
    return found
