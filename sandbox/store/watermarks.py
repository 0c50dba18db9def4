"""How far each process's journal writer has got, in a small file every worker maps.

A journal writer queues entries in memory and writes them in batches (`journal.JournalWriter`),
so a worker reading the journal could miss what another worker queued a moment ago. Each
writer therefore keeps two counters in a slot of this file (`sandbox.requests.db-writers`
beside `sandbox.requests.db`): entries it has queued, and entries it has written. A reader
notes every other slot's queued count, then waits until each writer has written as many: the
journal then holds every request answered before the read began, whichever worker served it.

Counting costs a request one store into shared memory, no system call. A slot belongs to a
process (its id and, where the system tells it, its start time) and a writer; a slot whose
process has ended is free, so a killed worker holds up no reader, even once its id is another
process's (a container restarted on the same folder gives its workers the same ids). With
every slot taken (tests that build many apps on one file in one process), a writer goes
without one: its own process still sees its entries at once, others within its linger.
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
import struct
import time
from collections.abc import Iterator

SLOTS = 64
# Process id, its start time (0: unknown), entries queued, entries written. A file of another
# size was laid out by an older sandbox, and is started afresh.
SLOT = struct.Struct("<qqqq")
SIZE = SLOTS * SLOT.size
POLL = 0.001  # seconds between a reader's looks at a writer it waits for


class Watermarks:
    """The shared file of one journal database: a slot per running writer."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._map: tuple[int, mmap.mmap] | None = None  # (pid, map): not used across a fork
        self._me = (0, 0)  # this process: (id, start time), learnt with its map

    def claim(self) -> int | None:
        """Take a free slot for a writer of this process, counters at zero.

        None if every slot is taken, or the file cannot be had (its folder was removed):
        the writer then goes without one, as journaling must never fail a request.
        """
        try:
            with self._locked() as shared:
                for slot in range(SLOTS):
                    pid, start, _, _ = SLOT.unpack_from(shared, slot * SLOT.size)
                    if pid == 0 or not _alive(pid, start):
                        SLOT.pack_into(shared, slot * SLOT.size, *self._me, 0, 0)
                        return slot
        except OSError:
            pass
        return None

    def release(self, slot: int) -> None:
        """Free a slot whose writer has written everything it queued (a removed file: no matter)."""
        with contextlib.suppress(OSError), self._locked() as shared:
            SLOT.pack_into(shared, slot * SLOT.size, 0, 0, 0, 0)

    def count(self, slot: int, queued: int, written: int) -> None:
        """Record a writer's counters (only its own writer thread or its queue's lock calls)."""
        SLOT.pack_into(self._shared(), slot * SLOT.size, *self._me, queued, written)

    def wait_for_others(self, mine: int | None, timeout: float) -> bool:
        """Wait until every other live writer has written what it had queued when called.

        Returns False if one has not within `timeout` seconds.
        """
        try:
            shared = self._shared()
        except OSError:  # no file, no other writer: the journal's own read reports the folder
            return True
        owed: dict[int, tuple[int, int, int]] = {}  # slot: (process, its start, entries queued)
        for slot in range(SLOTS):
            pid, start, queued, written = _read(shared, slot)
            if slot != mine and pid != 0 and queued > written:
                owed[slot] = (pid, start, queued)
        deadline = time.monotonic() + timeout
        while True:
            owed = {s: owing for s, owing in owed.items() if _owes(shared, s, *owing)}
            if not owed:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)

    def _shared(self) -> mmap.mmap:
        if self._map is None or self._map[0] != os.getpid():
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if os.fstat(fd).st_size != SIZE:  # new, or an older sandbox's layout
                    _lay_out(fd)
                self._map = (os.getpid(), mmap.mmap(fd, SIZE))
                self._me = (os.getpid(), _start_of(os.getpid()))
            finally:
                os.close(fd)
        return self._map[1]

    @contextlib.contextmanager
    def _locked(self) -> Iterator[mmap.mmap]:
        """The map, while no other process claims or releases a slot."""
        shared = self._shared()
        fd = os.open(self.path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield shared
        finally:
            os.close(fd)  # releases the lock


def _lay_out(fd: int) -> None:
    """Size the file for the slots, all free, unless another process did so meanwhile."""
    # Unlocked by hand: the map keeps the file open, and with it a lock taken on it.
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        if os.fstat(fd).st_size != SIZE:
            os.ftruncate(fd, 0)
            os.ftruncate(fd, SIZE)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _read(shared: mmap.mmap, slot: int) -> tuple[int, int, int, int]:
    """A slot's counters, read until two reads agree (a writer may be storing them)."""
    first = SLOT.unpack_from(shared, slot * SLOT.size)
    while True:
        again = SLOT.unpack_from(shared, slot * SLOT.size)
        if again == first:
            return first  # type: ignore[no-any-return]
        first = again


def _owes(shared: mmap.mmap, slot: int, pid: int, start: int, queued: int) -> bool:
    """Whether the slot's writer, still the same live process, has yet to write `queued`."""
    now_pid, now_start, _, written = _read(shared, slot)
    return (now_pid, now_start) == (pid, start) and written < queued and _alive(pid, start)


def _alive(pid: int, start: int) -> bool:
    """Whether the process that took a slot still runs: its id, started when it did.

    Where either start time is unknown, the id alone decides.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process
    return start == 0 or _start_of(pid) in (0, start)


def _start_of(pid: int) -> int:
    """When a process started, in clock ticks since boot (Linux's /proc); 0 where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()  # after its name, which may hold ")"
        return int(fields[19])  # the 22nd field: starttime
    except (OSError, IndexError, ValueError):
        return 0
