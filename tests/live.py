"""A real `npq-sandbox serve` process, for tests that need real sockets and threads."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NPQ = [sys.executable, "-m", "npq_sandbox"]


@contextmanager
def serving(db_path: Path, *options: str, stop: int = signal.SIGINT) -> Iterator[str]:
    """Run `npq-sandbox serve` on a free port and yield its base URL (ending in /api/v3).

    The server is stopped with the signal `stop` when the block ends.
    """
    with subprocess.Popen(
        [*NPQ, "serve", "--db", str(db_path), "--port", "0", "--participants", "4", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        try:
            assert process.stdout is not None
            for line in process.stdout:
                found = re.search(r"(http://127\.0\.0\.1:\d+/api/v3)", line)
                if found:
                    yield found.group(1)
                    break
            else:
                raise AssertionError("the server did not say where it listens")
        finally:
            process.send_signal(stop)
            # Under --workers, gunicorn's master stops each worker before it exits.
            process.wait(timeout=20)
