"""Benchmark the sandbox: seeding, start-up, deep pages, and throughput against a reference.

    python bench/run.py                 # everything; writes bench/RESULTS.md
    python bench/run.py --seconds 5 --sizes 1000,10000 --no-write   # a quick look

Needs the sandbox installed (`make test` creates .venv) and wrk (`sudo apt-get install -y wrk`).
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
from load import require_wrk
from report import Figures, render

HERE = Path(__file__).resolve().parent


def main() -> None:
    args = _arguments()
    require_wrk()
    work = Path(tempfile.mkdtemp(prefix="npq-bench-"))
    try:
        figures = measure(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = render(figures)
    print(text)
    if args.write:
        (HERE / "RESULTS.md").write_text(text)
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
    print("throughput (wrk) ...", flush=True)
    loads = measures.throughput(big, work, cores, args.seconds, args.connections)
    return Figures(machine, cores, max(args.sizes), seeding, startup, deep, loads, args.seconds)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1000, 10000, 100000],
        help="participant counts to seed, comma-separated; the largest serves the rest",
    )
    parser.add_argument("--no-write", dest="write", action="store_false", help="print only")
    return parser.parse_args()


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
