"""wrk against each target in turn: the sandbox (cache on and off), Prism and the reference."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

import requests
from declarations import started_declarations
from load import POST_SCRIPT, REPEAT_SCRIPT, THREADS, Load, run_wrk
from npq_sandbox.store.db import journal_path
from servers import (
    HEADERS,
    TOKEN,
    first_answer,
    free_port,
    prism_command,
    reference_command,
    running,
    sandbox_command,
)

API = "/api/v3"
PAGE_OF_100 = f"{API}/participants/npq?page%5Bpage%5D=1&page%5Bper_page%5D=100"
# A client polling for a week of changes (seeded data is anchored at 2026-11-02T09:00Z).
UPDATED_SINCE = f"{API}/participant-declarations?filter%5Bupdated_since%5D=2026-10-26T09:00:00Z"
DECLARATIONS = f"{API}/participant-declarations"
MAX_POSTS = 20_000
# Valid declarations on the throughput database, for the profiles (up to 300).
PROFILED_POSTS = "profiled-posts.tsv"
# A valid POST run is this long at most: the 5,700 or so distinct declarations of the largest
# database last 3 s at 1,900 a second. Run out, the rest of a run is repeats, refused and not
# counted, and the figure measures the data, not the server (1,138 a second at 5 s, measured).
POST_SECONDS = 3
# A declaration dated before any schedule opens: refused (422) only after the participant,
# the application and the schedule are read, as most refusals are.
REFUSED_DATE = "2020-01-01T09:00:00Z"

PAGE = "GET /participants/npq (page of 100)"
UPDATED = "GET /participant-declarations?filter[updated_since]"
ONE = "GET /npq-applications/{id} (one record)"
POST_VALID = "POST /participant-declarations (valid, each once)"
POST_REFUSED = "POST /participant-declarations (refused, 422)"
CONFIGS = ("sandbox", "sandbox --no-cache", "Prism", "reference")


@dataclass(frozen=True)
class Request:
    """One benchmarked request: a GET path, or POST bodies (a file of lines, or one line)."""

    method: str
    path: str
    bodies: Path | None = None
    repeated: str | None = None  # "<token>\t<body>", sent again and again
    database: Path | None = None  # the database it runs on, when not the throughput one


def throughput(
    db: Path,
    work: Path,
    asked: dict[str, Request],
    workers: int,
    seconds: int,
    connections: int,
    rounds: int,
) -> dict[str, dict[str, list[Load]]]:
    """Each request against each target in turn, `rounds` times: every run of every target.

    A round takes one request's targets back to back, so a change in the machine's load falls
    on all of them alike; the report compares them round by round (`report.py`).
    """
    bodies = _save_bodies(db, work, asked)
    results: dict[str, dict[str, list[Load]]] = {
        name: {config: [] for config in CONFIGS} for name in asked
    }
    for round_ in range(1, rounds + 1):
        for name, request in asked.items():
            for config in CONFIGS:
                print(f"  round {round_} of {rounds}, {name}: {config}", flush=True)
                load = _one_run(config, request, db, work, workers, bodies, seconds, connections)
                if load is not None:
                    results[name][config].append(load)
    return results


def _one_run(
    config: str,
    request: Request,
    db: Path,
    work: Path,
    workers: int,
    bodies: Path,
    seconds: int,
    connections: int,
) -> Load | None:
    """One wrk run; POSTs go to a fresh copy of the database; the reference has no POSTs."""
    if request.method == "POST" and config == "reference":
        return None
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env: dict[str, str] = {}
    if config == "reference":
        command, env = reference_command(port, workers), {"NPQ_BENCH_BODIES": str(bodies)}
    elif config == "Prism":
        command = prism_command(port)
    else:
        target = request.database or db
        if request.method == "POST":
            target = fresh_copy(target, work / "post.db")
        else:
            without_journal(target)
        options = ["--workers", str(workers)]
        command = sandbox_command(target, port, *options, *_no_cache(config))
    # Nothing left for the kernel to write back while this run is measured, whatever target it
    # is: a valid POST run writes 150 MB of log in 3 s, and a fresh copy is 200 MB. Left to the
    # kernel, they are written back half a minute later, in whichever run is measured then.
    os.sync()
    with running(command, env) as started:
        first_answer(base + PAGE_OF_100, started)
        length = min(seconds, POST_SECONDS) if request.bodies else seconds
        load = run_wrk(base + request.path, TOKEN, length, connections, _script(work, request))
    # Distinct valid bodies run out on a fast target; the repeats are refused and not counted.
    return replace(load, requests_per_second=load.ok_per_second) if request.bodies else load


def _no_cache(config: str) -> list[str]:
    return ["--no-cache"] if config.endswith("--no-cache") else []


def _script(work: Path, request: Request) -> Path | None:
    if request.method != "POST":
        return None
    script = work / "post.lua"
    if request.repeated is not None:
        token, body = request.repeated.split("\t", 1)
        script.write_text(REPEAT_SCRIPT % (json.dumps(token), json.dumps(body)))
    else:
        script.write_text(POST_SCRIPT % (THREADS, request.bodies))
    return script


def fresh_copy(source: Path, target: Path) -> Path:
    """Copy a database file (no server has it open) over any earlier copy, its WAL and journal."""
    _remove(target)
    without_journal(target)
    target.write_bytes(source.read_bytes())
    return target


def without_journal(db: Path) -> None:
    """Remove the request journal beside a database file, so that a run starts with none.

    Every request adds to it, to 100,000 entries: kept from run to run, a later round's
    requests would each be recorded in a fuller journal than the first round's.
    """
    _remove(Path(journal_path(str(db))))


def _remove(db: Path) -> None:
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)


def prepare(db: Path, workers: int, work: Path, posts_db: Path) -> dict[str, Request]:
    """The benchmarked requests, with POST bodies scratch copies of the databases accept.

    The valid declarations come from `posts_db` (the largest database): 10,000 participants
    offer about 700 distinct ones, under a second of load for a fast target.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    scratch = fresh_copy(db, work / "scratch.db")
    with running(sandbox_command(scratch, port, "--workers", str(workers))) as started:
        first_answer(base + PAGE_OF_100, started)
        application = _first(base, f"{API}/npq-applications")
        some = accepted_bodies(base, work / PROFILED_POSTS, limit=300)
        refused = refused_body(base, some.read_text().splitlines()[0])
    scratch = fresh_copy(posts_db, work / "scratch.db")
    with running(sandbox_command(scratch, port, "--workers", str(workers))) as started:
        first_answer(base + PAGE_OF_100, started)
        valid = accepted_bodies(base, work / "declarations.tsv")
    return {
        PAGE: Request("GET", PAGE_OF_100),
        UPDATED: Request("GET", UPDATED_SINCE),
        ONE: Request("GET", f"{API}/npq-applications/{application}"),
        POST_VALID: Request("POST", DECLARATIONS, bodies=valid, database=posts_db),
        POST_REFUSED: Request("POST", DECLARATIONS, repeated=refused),
    }


def _first(base: str, path: str) -> str:
    found: str = requests.get(base + path, headers=HEADERS).json()["data"][0]["id"]
    return found


def accepted_bodies(base: str, out: Path, limit: int = MAX_POSTS) -> Path:
    """Declarations that the scratch database accepted, one per line, each valid once.

    Each wrk run gets another fresh copy; `MAX_POSTS` is plenty for a run (past it, the
    stream starts again and the repeats count as failed).
    """
    candidates = started_declarations(base)
    accepted = []
    for line in candidates[: limit * 2]:
        if len(accepted) < limit and _status(base, line) == 200:
            accepted.append(line)
    if not accepted:
        raise RuntimeError("no declaration was accepted: nothing valid to POST")
    out.write_text("\n".join(accepted) + "\n")
    return out


def refused_line(valid: str) -> str:
    """A valid line with its date moved before every schedule."""
    token, body = valid.split("\t", 1)
    parsed = json.loads(body)
    parsed["data"]["attributes"]["declaration_date"] = REFUSED_DATE
    return f"{token}\t{json.dumps(parsed)}"


def refused_body(base: str, valid: str) -> str:
    """A valid line with its date moved before every schedule, checked to be refused (422)."""
    line = refused_line(valid)
    status = _status(base, line)
    if status != 422:
        raise RuntimeError(f"the refused declaration was answered {status}, not 422")
    return line


def _status(base: str, line: str) -> int:
    token, body = line.split("\t", 1)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return requests.post(base + DECLARATIONS, data=body, headers=headers).status_code


def _save_bodies(db: Path, work: Path, asked: dict[str, Request]) -> Path:
    """Save, for the reference app, the sandbox's own answer to each GET."""
    index: dict[str, str] = {}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(sandbox_command(db, port)) as started:
        first_answer(base + PAGE_OF_100, started)
        for number, request in enumerate(asked.values()):
            if request.method == "GET":
                answer = requests.get(base + request.path, headers=HEADERS)
                (work / f"body-{number}.json").write_bytes(answer.content)
                index[f"GET {request.path.split('?')[0]}"] = f"body-{number}.json"
    (work / "bodies.json").write_text(json.dumps(index))
    return work / "bodies.json"
