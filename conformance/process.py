"""One run of a provider's client: the protocol's files and environment, and what came back.

The client command is split as a shell would split it (`shlex.split`) but run without a
shell, so quoting works and nothing else does: wrap it in `sh -c '...'` for pipes or
redirections. A command that cannot be started raises `ClientCannotStart` (so does a shell's
exit status 127, "command not found").

Each run gets the protocol's variables: `NPQ_API_BASE_URL`, `NPQ_API_TOKEN`, `NPQ_SCENARIO`,
`NPQ_INSTRUCTIONS`, `NPQ_RESULTS`, `NPQ_RUN` (1, 2, ... within a scenario) and, on a
scenario's first run only, `NPQ_FRESH=1`: the sandbox was reset, so a client that keeps state
between runs (a database) must forget what it stored. A results file that breaks the
protocol's schema (`npq_conformance.protocol`) is a problem naming where, as a missing one is.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from npq_conformance import protocol

NOT_FOUND = 127
TAIL_LINES = 20  # how much of a crashing client's stderr a report shows
Json = dict[str, Any]


def tail(text: str) -> str:
    """The last lines of a client's stderr, as every report shows them."""
    return "\n".join(text.rstrip().splitlines()[-TAIL_LINES:])


class ClientCannotStart(Exception):
    """The client command does not exist or cannot be executed."""


@dataclass(frozen=True)
class ClientReport:
    """What one run of the client left: its results file (or why there is none), its output."""

    results: Json | None
    problem: str | None
    stdout: str
    stderr: str
    seconds: float


class ClientRun:
    """Run number `number` of the provider's client for one scenario, in its own `folder`."""

    def __init__(self, command: str, folder: Path, timeout: float, *, number: int = 1) -> None:
        self.argv = shlex.split(command)
        self.folder, self.timeout, self.number = folder, timeout, number
        folder.mkdir(parents=True)

    def run(
        self, instructions: list[Json], *, scenario: str, base_url: str, token: str
    ) -> ClientReport:
        """Write the instructions, run the client, read what it wrote."""
        given, results = self.folder / "instructions.json", self.folder / "results.json"
        given.write_text(json.dumps({"scenario": scenario, "instructions": instructions}, indent=2))
        env = {
            **os.environ,
            "NPQ_API_BASE_URL": base_url,
            "NPQ_API_TOKEN": token,
            "NPQ_SCENARIO": scenario,
            "NPQ_INSTRUCTIONS": str(given),
            "NPQ_RESULTS": str(results),
            "NPQ_RUN": str(self.number),
        }
        env.pop("NPQ_FRESH", None)
        if self.number == 1:
            env["NPQ_FRESH"] = "1"
        started = time.perf_counter()
        status = self._execute(env)
        seconds = time.perf_counter() - started
        found: Json | None = None
        problem: str | None = f"timed out after {self.timeout:g} s"
        if status is not None:
            found, problem = _read_results(results, status, self._last_words())
        return ClientReport(found, problem, self._read("stdout"), self._read("stderr"), seconds)

    def _execute(self, env: dict[str, str]) -> int | None:
        try:
            with (
                open(self.folder / "stdout.txt", "wb") as stdout,
                open(self.folder / "stderr.txt", "wb") as stderr,
            ):
                process = subprocess.Popen(
                    self.argv, env=env, stdout=stdout, stderr=stderr, start_new_session=True
                )
        except (FileNotFoundError, PermissionError, IndexError) as error:
            raise ClientCannotStart(f"cannot start the client {self.argv!r}: {error}") from None
        try:
            status = process.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the client and anything it started
            process.wait()
            return None
        if status == NOT_FOUND:
            raise ClientCannotStart(f"the client {self.argv!r} exited 127: {self._last_words()}")
        return status

    def _read(self, stream: str) -> str:
        return (self.folder / f"{stream}.txt").read_text(errors="replace")

    def _last_words(self) -> str:
        """The last line the client wrote: on stderr, else on stdout."""
        for stream in ("stderr", "stdout"):
            lines = self._read(stream).strip().splitlines()
            if lines:
                return lines[-1]
        return "no output"


def _read_results(path: Path, status: int, last_words: str) -> tuple[Json | None, str | None]:
    if not path.exists():
        return (
            None,
            f"the client wrote no results file (exit status {status}; last output: {last_words})",
        )
    try:
        found = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        return None, f"the results file is not valid JSON ({error})"
    broken = protocol.problem("results", found)
    if broken:
        return None, f"the results file breaks the protocol's schema at {broken}"
    return found, None
