"""Where an uncached request's time goes: cProfile over the app, in-process, cache off.

python bench/profiles.py DB BODIES APPLICATION_ID   # a seeded copy, valid POST lines
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from npq_sandbox.app import create_app
from npq_sandbox.settings import Settings

API = "/api/v3"
TOP = 12


@dataclass(frozen=True)
class Profile:
    """One request kind: its mean in-process time and the profile's top lines by own time."""

    label: str
    mean_ms: float
    top: list[str]


def profile_all(db: Path, valid: Path, refused: str, application: str) -> list[Profile]:
    """Profile a page of 100, one record, valid POSTs (each once) and a refused POST."""
    app = create_app(Settings(database=str(db), cache=False))
    client = app.test_client()
    posts = valid.read_text().splitlines()
    page = f"{API}/participants/npq?page%5Bpage%5D=1&page%5Bper_page%5D=100"
    token = posts[0].split("\t", 1)[0]
    kinds = {
        "GET page of 100 participants": [("GET", page, token, None)] * 100,
        "GET one application": [("GET", f"{API}/npq-applications/{application}", token, None)]
        * 300,
        "POST valid declaration": [("POST", *_split(line)) for line in posts[:300]],
        "POST refused declaration (422)": [("POST", *_split(refused))] * 300,
    }
    return [_profile(client, label, calls) for label, calls in kinds.items()]


def _split(line: str) -> tuple[str, str, str]:
    token, body = line.split("\t", 1)
    return f"{API}/participant-declarations", token, body


def _profile(client: object, label: str, calls: list[tuple[str, str, str, str | None]]) -> Profile:
    send = client.open  # type: ignore[attr-defined]
    method, path, token, body = calls[-1]
    send(path, method=method, data=body, headers=_headers(token))  # warm up (one wasted POST)
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for method, path, token, body in calls[:-1]:
        send(path, method=method, data=body, headers=_headers(token))
    profiler.disable()
    mean = (time.perf_counter() - began) * 1000 / max(1, len(calls) - 1)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(TOP)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return Profile(label, mean, lines[start : start + TOP + 1])


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


if __name__ == "__main__":
    from throughput import refused_line

    database, bodies = Path(sys.argv[1]), Path(sys.argv[2])
    first_line = bodies.read_text().splitlines()[0]
    for found in profile_all(database, bodies, refused_line(first_line), sys.argv[3]):
        print(f"## {found.label}: {found.mean_ms:.2f} ms", *found.top, sep="\n")
