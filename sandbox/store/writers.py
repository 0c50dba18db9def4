"""The writers' queue of a database file: one writer at a time, across processes, woken at once."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable


def _block(descriptor: int) -> None:
    fcntl.flock(descriptor, fcntl.LOCK_EX)


# How a writer waits while another process holds the lock: blocking its thread, or, where a
# thread serves many connections (`serving.make_cooperative`), somewhere that leaves it free.
wait_for_lock: Callable[[int], None] = _block


class WriterQueue:
    """Writers to one database file wait here, in every process, before taking SQLite's lock.

    SQLite's busy handler polls a held write lock, sleeping up to 100 ms between tries, so under
    concurrent writes most of a writer's time is spent asleep after the lock was freed. A
    blocking `flock` on a sibling file (`sandbox.db-lock`) wakes the next writer at once; the
    thread lock keeps a process's own threads, which share its file description, in line.
    """

    def __init__(self, path: str) -> None:
        self._path = f"{path}-lock"
        self._threads = threading.Lock()
        self._file: tuple[int, int] | None = None  # (pid, descriptor): not inherited by a fork

    def acquire(self) -> None:
        self._threads.acquire()
        try:
            descriptor = self._descriptor()
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another process writes
                wait_for_lock(descriptor)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._descriptor(), fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _descriptor(self) -> int:
        if self._file is None or self._file[0] != os.getpid():
            self._file = (os.getpid(), os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644))
        return self._file[1]

    def close(self) -> None:
        """Close this process's descriptor (between transactions: no lock is held)."""
        if self._file is not None and self._file[0] == os.getpid():
            os.close(self._file[1])
        self._file = None
