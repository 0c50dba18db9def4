"""Driving wrk (https://github.com/wg/wrk) and reading its report."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "wrk is missing: install it with `sudo apt-get install -y wrk` (Debian/Ubuntu)"
# wrk's Lua hook that POSTs each line of a file once: "<token>\t<json body>". Each of wrk's
# threads takes every THREADS-th line from its own offset, so no two send the same one.
THREADS = 2
POST_SCRIPT = """
local threads, count = %d, 0
function setup(thread)
  thread:set("offset", count)
  count = count + 1
end
local bodies = {}
for line in io.lines("%s") do
  local token, body = line:match("([^\t]+)\t(.*)")
  bodies[#bodies + 1] = {token, body}
end
local i = nil
request = function()
  i = (i or offset) + threads
  local pick = bodies[(i - threads) %% #bodies + 1]
  local headers = {}
  headers["Authorization"] = "Bearer " .. pick[1]
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", nil, headers, pick[2])
end
"""
# wrk's Lua hook that POSTs one body again and again (a refused declaration changes nothing).
REPEAT_SCRIPT = """
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. %s
wrk.headers["Content-Type"] = "application/json"
wrk.body = %s
"""


@dataclass(frozen=True)
class Load:
    """What wrk measured: throughput, latency percentiles and answers that were not 2xx/3xx."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failures: int
    # Answers that were 2xx/3xx per second: when a run outlasts its distinct POST bodies, the
    # repeats are refused (cheaply) and must not count as throughput.
    ok_per_second: float = 0.0


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(INSTALL_HINT)
    return found


def run_wrk(
    url: str, token: str, seconds: int, connections: int, script: Path | None = None
) -> Load:
    """Run wrk against `url` for `seconds`; parse its --latency report."""
    command = [require_wrk(), "--latency", "-t", str(THREADS), "-c", str(connections)]
    command += ["-d", f"{seconds}s"]
    command += ["-H", f"Authorization: Bearer {token}"]
    if script is not None:
        command += ["-s", str(script)]
    report = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return parse(report)


def parse(report: str) -> Load:
    """Read requests/s, p50, p99 and non-2xx/3xx answers from wrk's text report."""
    rps = float(_find(r"Requests/sec:\s+([\d.]+)", report))
    failures = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", report)
    errors = re.search(r"Socket errors:.*timeout (\d+)", report)
    total = int(_find(r"(\d+) requests in", report))
    elapsed = _millis(_find(r"requests in ([\d.]+\w+),", report)) / 1000
    failed = (int(failures.group(1)) if failures else 0) + (int(errors.group(1)) if errors else 0)
    return Load(
        requests_per_second=rps,
        p50_ms=_millis(_find(r"\s50%\s+([\d.]+\w+)", report)),
        p99_ms=_millis(_find(r"\s99%\s+([\d.]+\w+)", report)),
        failures=failed,
        ok_per_second=max(0, total - failed) / elapsed if elapsed else 0.0,
    )


def _find(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"wrk's report has no {pattern!r}:\n{text}")
    return match.group(1)


def _millis(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
