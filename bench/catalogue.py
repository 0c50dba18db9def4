"""Time a full `npq-conformance run` of the scenario catalogue with the careful Python client.

    .venv/bin/python bench/catalogue.py              # about a minute; rewrites its block
    .venv/bin/python bench/catalogue.py --no-write   # print only

The figure is the wall time of the whole command, from start to exit, on a sandbox the kit
starts itself, as a provider's CI would run it. Only the block between `<!-- catalogue -->` and
`<!-- /catalogue -->` in RESULTS.md is rewritten (added at the end when missing); `run.py`
writes the rest of the file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
CAREFUL = HERE.parent / "examples" / "clients" / "careful.py"
KIT = Path(sys.executable).parent / "npq-conformance"
TARGET_SECONDS = 60.0
BLOCK = re.compile(r"<!-- catalogue -->.*?<!-- /catalogue -->", re.DOTALL)
SLOWEST = 3


def measure(command: str) -> tuple[float, dict[str, Any]]:
    """Run the whole catalogue with `command` as the client; its wall time and JSON report."""
    with tempfile.TemporaryDirectory(prefix="npq-bench-") as tmp:
        report = Path(tmp) / "report.json"
        argv = [str(KIT), "run", "--client", command, "--report", str(report)]
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != 0 or not report.exists():
            sys.exit(f"the run did not pass (exit {done.returncode}):\n{done.stdout[-2000:]}")
        return seconds, json.loads(report.read_text())


def block(seconds: float, report: dict[str, Any], load: str) -> str:
    """The RESULTS.md block for one measurement."""
    scenarios = report["scenarios"]
    slowest = sorted(scenarios, key=lambda s: -s["seconds"])[:SLOWEST]
    named = ", ".join(f"`{s['name']}` ({s['seconds']:.1f} s)" for s in slowest)
    verdict = "met" if seconds < TARGET_SECONDS else "**missed**"
    return "\n".join(
        [
            "<!-- catalogue -->",
            "## The conformance catalogue",
            "",
            f"`npq-conformance run` of all {len(scenarios)} scenarios with the careful Python "
            f"client (`python bench/catalogue.py`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
            f"{os.cpu_count()} cores, load before {load}):",
            "",
            "| Figure | Target | Measured | |",
            "|---|---|---|---|",
            f"| Whole catalogue, wall time | < {TARGET_SECONDS:.0f} s | {seconds:.1f} s | "
            f"{verdict} |",
            "",
            f"Slowest: {named}.",
            "<!-- /catalogue -->",
        ]
    )


def write(text: str, path: Path = RESULTS) -> None:
    """Replace the catalogue block of `path` with `text` (append it when there is none)."""
    current = path.read_text() if path.exists() else ""
    if BLOCK.search(current):
        updated = BLOCK.sub(lambda _: text, current)
    else:
        updated = current.rstrip("\n") + ("\n\n" if current else "") + text
    path.write_text(updated.rstrip("\n") + "\n")


def main() -> int:
    """Measure, print, and (unless --no-write) rewrite the block in RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", default=shlex.join([sys.executable, str(CAREFUL)]))
    parser.add_argument("--no-write", action="store_true", help="print only")
    options = parser.parse_args()
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"running the catalogue on {platform.node()} (load {load})...", flush=True)
    seconds, report = measure(options.client)
    text = block(seconds, report, load)
    print(text)
    if not options.no_write:
        write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
