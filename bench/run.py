"""Benchmark the sandbox: seeding, start-up, deep pages, and throughput against a reference.

    NPQ_DFE_SPEC=path/to/dfe-npq-api-v3.yaml python bench/run.py    # writes bench/RESULTS.md
    python bench/run.py --seconds 3 --rounds 1 --sizes 1000,10000 --no-write   # a quick look

Needs the sandbox installed (`make test` creates .venv), Prism (`make bench-setup`), wrk
(`sudo apt-get install -y wrk`) and DfE's published v3 OpenAPI file in `NPQ_DFE_SPEC`.
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import measures
import profiles
import syncs
import throughput
from load import require_wrk
from report import Figures, render, with_kept_blocks
from servers import dfe_spec

HERE = Path(__file__).resolve().parent


def main() -> None:
    args = _arguments()
    require_wrk()
    dfe_spec()
    work = Path(tempfile.mkdtemp(prefix="npq-bench-"))
    try:
        figures = measure(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = HERE / "RESULTS.md"
    text = with_kept_blocks(render(figures), results.read_text() if results.exists() else "")
    print(text)
    if args.write:
        results.write_text(text)
        print(f"Wrote {HERE / 'RESULTS.md'}")


def measure(work: Path, args: argparse.Namespace) -> Figures:
    """Take every figure, in an order that reuses the largest seeded database."""
    machine = _machine()
    cores = os.cpu_count() or 1
    seeding = []
    for size in args.sizes:
        print(f"seeding {size:,} participants ...", flush=True)
        seeding.append(measures.seed(work / f"seed-{size}.db", size))
    big = work / f"seed-{max(args.sizes)}.db"
    print("time to first request ...", flush=True)
    startup = {
        "npq-sandbox serve": measures.first_request(big),
        f"npq-sandbox serve --workers {cores}": measures.first_request(
            big, "--workers", str(cores)
        ),
    }
    print("deep pages ...", flush=True)
    deep = measures.deep_pages(big, cores)
    small = work / f"seed-{args.throughput_size}.db"
    print(f"throughput (wrk, {args.throughput_size:,} participants) ...", flush=True)
    asked = throughput.prepare(small, cores, work, big)
    loads = throughput.throughput(
        small, work, asked, cores, args.seconds, args.connections, args.rounds
    )
    print("profiles (cache off, in-process) ...", flush=True)
    found = _profiles(small, work, asked)
    print(f"full syncs by every provider ({max(args.sizes):,}, then {args.throughput_size:,}) ...")
    synced = [syncs.full_syncs(big, max(args.sizes), cores)]
    synced.append(syncs.full_syncs(small, args.throughput_size, cores))
    return Figures(
        machine, cores, max(args.sizes), args.throughput_size, seeding, startup, deep, loads,
        args.seconds, args.connections, args.rounds, found, synced,
    )  # fmt: skip


def _profiles(db: Path, work: Path, asked: dict[str, throughput.Request]) -> list[profiles.Profile]:
    refused = asked[throughput.POST_REFUSED].repeated
    application = asked[throughput.ONE].path.rsplit("/", 1)[1]
    copy = throughput.fresh_copy(db, work / "profile.db")
    assert refused is not None
    return profiles.profile_all(copy, work / throughput.PROFILED_POSTS, refused, application)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="times every target is measured for each request; figures are the medians",
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument(
        "--throughput-size",
        type=int,
        default=10000,
        help="participants in the database wrk and the profiles use (one of --sizes)",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1000, 10000, 100000],
        help="participant counts to seed, comma-separated; the largest serves the rest",
    )
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.throughput_size not in args.sizes:
        parser.error("--throughput-size must be one of --sizes")
    return args


def _machine() -> dict[str, str]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
        "load before": " ".join(f"{n:.2f}" for n in os.getloadavg()),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    main()
