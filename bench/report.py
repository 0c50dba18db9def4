"""Rendering the figures as bench/RESULTS.md, each next to its target."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from load import Load
from measures import Seeding, Timed
from profiles import Profile
from syncs import Syncs
from throughput import CONFIGS, ONE, PAGE, POST_REFUSED, POST_VALID

SANDBOX, UNCACHED, PRISM, REFERENCE = CONFIGS
KEPT = ("<!-- catalogue -->", "<!-- /catalogue -->")


@dataclass(frozen=True)
class Figures:
    machine: dict[str, str]
    cores: int
    largest: int
    loaded: int
    seeding: list[Seeding]
    startup: dict[str, float]
    deep: list[Timed]
    # Every run of every target for each request, in round order (`throughput.throughput`).
    loads: dict[str, dict[str, list[Load]]]
    seconds: int
    connections: int
    rounds: int
    profiles: list[Profile]
    syncs: list[Syncs]


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
            *_profiles(f),
            *_syncs(f),
            *_seeding(f),
            *_startup(f),
            *_deep(f),
        ]
    )


def with_kept_blocks(text: str, previous: str) -> str:
    """`text`, followed by the marked catalogue block of the previous RESULTS.md, if any."""
    opening, closing = KEPT
    if opening not in previous or closing not in previous:
        return text
    start, end = previous.index(opening), previous.index(closing) + len(closing)
    return f"{text.rstrip()}\n\n{previous[start:end]}\n"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _ratios(f: Figures, name: str, config: str, peer: str) -> list[float]:
    """Round by round, `config`'s req/s over `peer`'s, measured moments apart."""
    ours, theirs = f.loads[name].get(config, []), f.loads[name].get(peer, [])
    return [
        a.requests_per_second / b.requests_per_second
        for a, b in zip(ours, theirs, strict=False)
        if b.requests_per_second
    ]


def _ratio(f: Figures, name: str, config: str, peer: str) -> float | None:
    """The median of the rounds' ratios: the machine's drift between rounds cancels out."""
    found = _ratios(f, name, config, peer)
    return statistics.median(found) if found else None


def _spread(values: list[float], shown: str = "{:.2f}") -> str:
    """The lowest and highest of the rounds, when there were several."""
    if len(values) < 2:
        return ""
    low, high = shown.format(min(values)), shown.format(max(values))
    return f" ({low} to {high} over {len(values)} rounds)"


def _median(runs: list[Load]) -> Load | None:
    """Each figure's median over the rounds (each may come from another round)."""
    if not runs:
        return None
    return Load(
        requests_per_second=statistics.median(r.requests_per_second for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        failures=round(statistics.median(r.failures for r in runs)),
    )


def _ratio_row(f: Figures, label: str, name: str, config: str, peer: str, at_least: float) -> tuple:
    found = _ratio(f, name, config, peer)
    ok = found is not None and found >= at_least
    shown = _num(found) + _spread(_ratios(f, name, config, peer))
    return (label, f">= {at_least}", shown, _verdict(ok))


def _p99_row(f: Figures, label: str, name: str) -> tuple:
    runs = f.loads[name].get(SANDBOX, [])
    p99 = None if not runs else statistics.median(r.p99_ms for r in runs)
    shown = "pending" if p99 is None else f"{p99:.1f} ms"
    shown += _spread([r.p99_ms for r in runs], "{:.1f} ms")
    return (
        f"{name}: p99 at {f.connections} connections",
        "< 50 ms",
        shown,
        _verdict(p99 is not None and p99 < 50),
    )


def _targets(f: Figures) -> list[str]:
    rows = [
        _ratio_row(f, "Page of 100, --no-cache / Prism", PAGE, UNCACHED, PRISM, 1.0),
        _ratio_row(f, "One record, --no-cache / Prism", ONE, UNCACHED, PRISM, 1.5),
        _ratio_row(f, "POST valid declarations / Prism", POST_VALID, SANDBOX, PRISM, 1.5),
        _p99_row(f, "POST valid declarations", POST_VALID),
        _ratio_row(f, "POST refused declaration / Prism", POST_REFUSED, SANDBOX, PRISM, 1.5),
        _p99_row(f, "POST refused declaration", POST_REFUSED),
        _ratio_row(f, "Page of 100, cache on / reference", PAGE, SANDBOX, REFERENCE, 0.5),
        *_sync_rows(f),
        *_other_rows(f),
    ]
    return [
        "## Targets",
        "",
        "| Figure | Target | Measured | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
    ]


def _sync_rows(f: Figures) -> list[tuple]:
    rows = []
    for synced in f.syncs:
        later = max(synced.seconds[1:], default=0.0)
        rows.append(
            (
                f"Full sync at {synced.participants:,}, slowest provider after the first",
                "< 10 s",
                f"{later:.1f} s",
                _verdict(later < 10),
            )
        )
    if f.syncs:
        last = f.syncs[-1]
        rows.append(
            (
                f"PSS of `serve --workers {f.cores}` after full syncs at {last.participants:,}",
                "<= 150 MiB",
                f"{last.pss_mib:.0f} MiB",
                _verdict(last.pss_mib <= 150),
            )
        )
    return rows


def _other_rows(f: Figures) -> list[tuple]:
    big = next((s for s in f.seeding if s.participants == 100_000), None)
    first, deep = f.deep[0].median_ms, f.deep[1].median_ms
    rows = []
    if big is not None:
        seconds, mib = big.seconds, big.peak_mib
        rows += [
            ("Seeding 100,000 participants", "< 20 s", f"{seconds:.1f} s", _verdict(seconds < 20)),
            (
                "Peak memory seeding 100,000",
                "< 400 MB",
                f"{mib:.0f} MiB",
                _verdict(mib * 1.048576 < 400),
            ),
        ]
    rows += [
        (f"First answer after `{cmd}`", "< 1.5 s", f"{s:.2f} s", _verdict(s < 1.5))
        for cmd, s in f.startup.items()
    ]
    label = "Deep page (30 of 3,000) / first page of 3,000"
    rows.append((label, "<= 2", f"{deep / first:.2f}", _verdict(deep <= 2 * first)))
    return rows


def _num(value: float | None, missing: str = "pending") -> str:
    return missing if value is None else f"{value:.2f}"


def _throughput(f: Figures) -> list[str]:
    head = " | ".join(f"{c} req/s | p50 ms | p99 ms" for c in CONFIGS)
    lines = [
        f"## Throughput ({f.cores} gunicorn workers, wrk -t2 -c{f.connections}, {f.seconds} s "
        f"per run, {f.loaded:,} participants, targets taken in turn for each request, "
        f"{f.rounds} round{'' if f.rounds == 1 else 's'})",
        "",
        "Each figure is the median of the rounds; each ratio is the median of the rounds' ratios,",
        "both targets of a ratio measured moments apart.",
        "",
        f"| Request | {head} | cache / Prism | no cache / Prism | cache / reference | failed |",
        "|---|" + "---|" * (3 * len(CONFIGS) + 4),
    ]
    for name, by_config in f.loads.items():
        cells = [_load_cells(_median(by_config.get(c, []))) for c in CONFIGS]
        ratios = " | ".join(
            _num(_ratio(f, name, c, p), missing="—")
            for c, p in ((SANDBOX, PRISM), (UNCACHED, PRISM), (SANDBOX, REFERENCE))
        )
        lines.append(f"| {name} | {' | '.join(cells)} | {ratios} | {_failed(name, by_config)} |")
    lines += [
        "",
        "`failed`: the sandbox's answers that were not 2xx, and timeouts, in a median run (for",
        "the refused POST, every answer is the expected 422, so none is counted). The valid POSTs",
        "run at most 3 s on the largest database, whose distinct declarations last that long;",
        "their req/s counts only 2xx answers (repeats past the last one are refused and show in",
        "`failed`).",
        "`—`: not measured (the reference replays GETs only).",
        "",
    ]
    return lines


def _failed(name: str, by_config: dict[str, list[Load]]) -> str:
    if name == POST_REFUSED:
        return "—"
    medians = (_median(by_config.get(c, [])) for c in (SANDBOX, UNCACHED))
    return str(sum(x.failures for x in medians if x is not None))


def _load_cells(load: Load | None) -> str:
    if load is None:
        return "— | | "
    return f"{load.requests_per_second:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f}"


def _profiles(f: Figures) -> list[str]:
    lines = [
        f"## Profiles (cProfile, in-process, cache off, {f.loaded:,} participants)",
        "",
        "Mean time per request under the profiler, and the top functions by own time.",
        "",
    ]
    for found in f.profiles:
        lines += [f"### {found.label}: {found.mean_ms:.2f} ms", "", "```", *found.top, "```", ""]
    return lines


def _syncs(f: Figures) -> list[str]:
    lines = [
        f"## Full syncs (`serve --workers {f.cores}`, cache on, every list read whole, "
        "in pages of 3,000)",
        "",
        "| Participants | Seconds per provider, in turn | PSS after (MiB) |",
        "|---|---|---|",
    ]
    for synced in f.syncs:
        each = ", ".join(f"{s:.1f}" for s in synced.seconds)
        lines.append(f"| {synced.participants:,} | {each} | {synced.pss_mib:.0f} |")
    return [*lines, ""]


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
