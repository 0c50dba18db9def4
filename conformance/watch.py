"""`npq-conformance watch`: run any command against a fresh sandbox, then audit what it sent.

The command (a provider's own test suite, a sync job) runs once with `NPQ_API_BASE_URL` and
`NPQ_API_TOKEN` set, split as a shell would split it and run without one, as `run` runs a
client. It needs no instructions and writes no results: the audit (`npq_conformance.audit`)
judges its traffic. Its exit status is not judged, but a non-zero one puts the end of its
stderr in the reports; a command still running after `timeout` is stopped, its traffic so far
is judged, and a `command-finished` verdict fails.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from npq_conformance import preflight
from npq_conformance.audit import Progress, audit, quietly
from npq_conformance.client import API_PREFIX
from npq_conformance.judging import Verdict
from npq_conformance.launch import local_sandbox
from npq_conformance.process import NOT_FOUND, ClientCannotStart
from npq_conformance.runner import Outcome, RunRecord


def watch(
    command: str,
    token: str,
    *,
    timeout: float,
    strict: bool = False,
    progress: Progress = quietly,
) -> Outcome:
    """Start a seeded sandbox, run `command` against it as `token`'s provider, audit it.

    Raises preflight.Misconfigured for a token the sandbox refuses, ClientCannotStart for a
    command that cannot be started.
    """
    with local_sandbox() as root, tempfile.TemporaryDirectory(prefix="npq-watch-") as tmp:
        preflight.check(root, [token])
        run = run_command(command, root + API_PREFIX, token, timeout, Path(tmp))
        outcome = audit(root, token, strict=strict, runs=(run,), progress=progress)
    if run.problem and run.problem.startswith("timed out"):
        stopped = Verdict("command-finished", False, f"the command {run.problem} and was stopped")
        outcome = replace(outcome, verdicts=[*outcome.verdicts, stopped])
    return outcome


def run_command(command: str, base_url: str, token: str, timeout: float, folder: Path) -> RunRecord:
    """Run the command once with the API's variables set; keep its output and exit status."""
    argv = shlex.split(command)
    env = {**os.environ, "NPQ_API_BASE_URL": base_url, "NPQ_API_TOKEN": token}
    started = time.perf_counter()
    with open(folder / "stdout.txt", "wb") as stdout, open(folder / "stderr.txt", "wb") as stderr:
        try:
            process = subprocess.Popen(
                argv, env=env, stdout=stdout, stderr=stderr, start_new_session=True
            )
        except (FileNotFoundError, PermissionError, IndexError) as error:
            raise ClientCannotStart(f"cannot start the command {argv!r}: {error}") from None
        status = _wait(process, timeout)
    out, err = ((folder / f"{n}.txt").read_text(errors="replace") for n in ("stdout", "stderr"))
    if status == NOT_FOUND:
        raise ClientCannotStart(f"the command {argv!r} exited 127: {_last_line(err or out)}")
    problem = _problem(status, timeout)
    return RunRecord(1, [], None, problem, out, err, [], time.perf_counter() - started)


def _wait(process: subprocess.Popen[bytes], timeout: float) -> int | None:
    """The command's exit status; None when it was stopped after `timeout` seconds."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the command and anything it started
        process.wait()
        return None


def _problem(status: int | None, timeout: float) -> str | None:
    if status is None:
        return f"timed out after {timeout:g} s"
    return None if status == 0 else f"the command exited with status {status}"


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else "no output"
