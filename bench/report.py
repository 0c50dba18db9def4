"""Rendering the figures as bench/RESULTS.md, each next to its target."""

from __future__ import annotations

from dataclasses import dataclass

from load import Load
from measures import Seeding, Timed

PAGE_OF_100 = "GET /participants/npq (page of 100)"
CONFIGS = ("sandbox", "sandbox --no-cache", "reference")


@dataclass(frozen=True)
class Figures:
    machine: dict[str, str]
    cores: int
    largest: int
    seeding: list[Seeding]
    startup: dict[str, float]
    deep: list[Timed]
    loads: dict[str, dict[str, Load | None]]
    seconds: int


def render(f: Figures) -> str:
    """The whole RESULTS.md text."""
    return "\n".join(
        [
            "# Benchmark results",
            "",
            "Measured by `python bench/run.py` (see [README.md](README.md)); rerun it to refresh.",
            "",
            *(f"- **{key}**: {value}" for key, value in f.machine.items()),
            "",
            *_targets(f),
            *_throughput(f),
            *_seeding(f),
            *_startup(f),
            *_deep(f),
        ]
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _ratio(f: Figures, name: str, config: str) -> float | None:
    ours, ref = f.loads[name].get(config), f.loads[name].get("reference")
    if ours is None or ref is None or not ref.requests_per_second:
        return None
    return ours.requests_per_second / ref.requests_per_second


def _targets(f: Figures) -> list[str]:
    big = next((s for s in f.seeding if s.participants == 100_000), None)
    first, deep = f.deep[0].median_ms, f.deep[1].median_ms
    cached, uncached = _ratio(f, PAGE_OF_100, CONFIGS[0]), _ratio(f, PAGE_OF_100, CONFIGS[1])
    rows = [
        (
            "Page-of-100 throughput / reference (cache on, the default)",
            ">= 0.5",
            _num(cached),
            _verdict(cached is not None and cached >= 0.5),
        ),
        (
            "Page-of-100 throughput / reference (--no-cache)",
            ">= 0.5",
            _num(uncached),
            _verdict(uncached is not None and uncached >= 0.5),
        ),
    ]
    if big is not None:
        rows += [
            (
                "Seeding 100,000 participants",
                "< 20 s",
                f"{big.seconds:.1f} s",
                _verdict(big.seconds < 20),
            ),
            (
                "Peak memory seeding 100,000",
                "< 400 MB",
                f"{big.peak_mib:.0f} MiB",
                _verdict(big.peak_mib * 1.048576 < 400),
            ),
        ]
    rows += [
        (f"First answer after `{cmd}`", "< 1.5 s", f"{s:.2f} s", _verdict(s < 1.5))
        for cmd, s in f.startup.items()
    ]
    rows.append(
        (
            "Deep page (30 of 3,000) / first page of 3,000",
            "<= 2",
            f"{deep / first:.2f}",
            _verdict(deep <= 2 * first),
        )
    )
    return [
        "## Targets",
        "",
        "| Figure | Target | Measured | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
    ]


def _num(value: float | None) -> str:
    return "pending" if value is None else f"{value:.2f}"


def _throughput(f: Figures) -> list[str]:
    head = " | ".join(f"{c} req/s | p50 ms | p99 ms" for c in CONFIGS)
    lines = [
        f"## Throughput ({f.cores} gunicorn workers, wrk {f.seconds} s per run, "
        f"{f.largest:,} participants)",
        "",
        f"| Request | {head} | ratio (cache) | ratio (no cache) | failed |",
        "|---|" + "---|" * (3 * len(CONFIGS) + 3),
    ]
    for name, by_config in f.loads.items():
        cells = [_load_cells(by_config.get(c)) for c in CONFIGS]
        failed = sum(
            x.failures
            for x in by_config.values()
            if x is not None and x is not by_config.get("reference")
        )
        ratios = f"{_num(_ratio(f, name, CONFIGS[0]))} | {_num(_ratio(f, name, CONFIGS[1]))}"
        lines.append(f"| {name} | {' | '.join(cells)} | {ratios} | {failed} |")
    lines += ["", "`pending`: the route does not exist in this build, so nothing was measured.", ""]
    return lines


def _load_cells(load: Load | None) -> str:
    if load is None:
        return "pending | | "
    return f"{load.requests_per_second:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f}"


def _seeding(f: Figures) -> list[str]:
    rows = [f"| {s.participants:,} | {s.seconds:.1f} | {s.peak_mib:.0f} |" for s in f.seeding]
    return [
        "## Seeding (`npq-sandbox seed`, a fresh process each)",
        "",
        "| Participants | Seconds | Peak memory (MiB) |",
        "|---|---|---|",
        *rows,
        "",
    ]


def _startup(f: Figures) -> list[str]:
    rows = [f"| `{cmd}` | {s:.2f} |" for cmd, s in f.startup.items()]
    return [
        f"## Time to first answer (existing database of {f.largest:,} participants)",
        "",
        "| Command | Seconds (median of 3) |",
        "|---|---|",
        *rows,
        "",
    ]


def _deep(f: Figures) -> list[str]:
    rows = [f"| {t.label} | {t.median_ms:.1f} | {t.rows:,} |" for t in f.deep]
    return [
        "## Deep pages (`GET /participants/npq` as Ambition Institute, cache off, one at a time)",
        "",
        "| Page | Median ms | Participants listed |",
        "|---|---|---|",
        *rows,
        "",
        f"With {f.largest:,} participants spread over eight providers, one provider sees fewer",
        "than 30 pages of 3,000, so page 30 is past the end; the last page listing anyone and a",
        "deep page of 100 show what depth costs on pages that list people.",
        "",
    ]
