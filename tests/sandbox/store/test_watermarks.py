"""Journal readers wait for every worker's writer: the shared counters (`store.watermarks`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from npq_sandbox.store.db import Database
from npq_sandbox.store.journal import LINGER, JournalWriter
from npq_sandbox.store.watermarks import SIZE, SLOT, SLOTS, Watermarks

from tests.helpers import AMBITION
from tests.sandbox.store.test_journal_writer import entry, kept


@pytest.fixture
def marks(tmp_path: Path) -> Watermarks:
    return Watermarks(str(tmp_path / "sandbox.requests.db-writers"))


def test_each_writer_gets_its_own_slot_until_it_lets_go(marks: Watermarks) -> None:
    first, second = marks.claim(), marks.claim()
    assert first is not None and second is not None and first != second
    marks.release(first)
    assert marks.claim() == first


def test_a_reader_waits_until_another_writer_has_written_what_it_queued(
    marks: Watermarks,
) -> None:
    mine, theirs = marks.claim(), marks.claim()
    assert theirs is not None
    marks.count(theirs, queued=3, written=1)
    threading.Timer(0.2, marks.count, (theirs, 3, 3)).start()
    started = time.monotonic()
    assert marks.wait_for_others(mine, timeout=5)
    assert time.monotonic() - started >= 0.15


def test_a_reader_does_not_wait_for_its_own_slot_or_for_entries_queued_after_it_began(
    marks: Watermarks,
) -> None:
    mine, theirs = marks.claim(), marks.claim()
    assert mine is not None and theirs is not None
    marks.count(mine, queued=5, written=0)  # its own process flushes its queue itself
    marks.count(theirs, queued=2, written=2)
    assert marks.wait_for_others(mine, timeout=0)


def test_a_writer_that_does_not_catch_up_times_the_reader_out(marks: Watermarks) -> None:
    mine, theirs = marks.claim(), marks.claim()
    assert theirs is not None
    marks.count(theirs, queued=1, written=0)
    assert not marks.wait_for_others(mine, timeout=0.05)


def test_a_dead_process_holds_up_no_reader_and_its_slot_is_taken_again(marks: Watermarks) -> None:
    slots = [marks.claim() for _ in range(SLOTS - 1)]
    # A worker killed with entries queued, never written: its slot is the last one.
    worker = f"""
from npq_sandbox.store.watermarks import Watermarks
marks = Watermarks({marks.path!r})
slot = marks.claim()
marks.count(slot, queued=4, written=0)
print(slot)
"""
    killed = subprocess.run([sys.executable, "-c", worker], capture_output=True, text=True)
    dead = int(killed.stdout)
    assert dead not in slots
    assert marks.wait_for_others(slots[0], timeout=0)  # owed 4 entries, but nobody to write them
    assert marks.claim() == dead  # taken again: then every slot is in use
    assert marks.claim() is None


def test_a_slot_left_by_an_ended_process_whose_id_is_now_anothers_holds_up_no_reader(
    marks: Watermarks,
) -> None:
    slots = [marks.claim() for _ in range(SLOTS - 1)]
    # A worker killed with entries queued, whose process id a live process has since been
    # given (here this one, as a restarted container's worker has): it started at another time.
    with open(marks.path, "r+b") as file:
        file.seek((SLOTS - 1) * SLOT.size)
        file.write(SLOT.pack(os.getpid(), 1, 4, 0))
    assert marks.wait_for_others(slots[0], timeout=0)
    assert marks.claim() == SLOTS - 1


def test_a_file_an_older_sandbox_laid_out_differently_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.requests.db-writers"
    owing = Watermarks(str(path))
    owing.count(owing.claim() or 0, queued=4, written=0)  # as if a live writer owed entries
    laid_out = path.read_bytes()
    path.write_bytes(laid_out[: SIZE * 3 // 4])  # 64 slots of three numbers, not four
    marks = Watermarks(str(path))
    assert marks.wait_for_others(None, timeout=0)
    assert path.stat().st_size == SIZE


def test_settle_finds_what_another_writer_on_the_file_queued_a_moment_ago(tmp_path: Path) -> None:
    # Two writers on one file, as two gunicorn workers have: one is still lingering over its
    # entry when the other's reader asks.
    db = Database(str(tmp_path / "sandbox.db"))
    serving, reading = JournalWriter(db), JournalWriter(db)
    try:
        reading.add(AMBITION.id, entry(1))
        reading.flush()
        serving.add(AMBITION.id, entry(2))
        started = time.monotonic()
        reading.settle()
        assert kept(db, AMBITION.id) == [1, 2]
        assert time.monotonic() - started < LINGER + 5  # waited for the batch, not a timeout
    finally:
        serving.flush()
        db.dispose()


def test_a_writer_whose_folder_was_removed_goes_on_without_a_slot(tmp_path: Path) -> None:
    # As a test's or the kit's temporary sandbox is removed while its writer idles.
    folder = tmp_path / "sandbox"
    folder.mkdir()
    marks = Watermarks(str(folder / "sandbox.requests.db-writers"))
    slot = marks.claim()
    assert slot is not None
    shutil.rmtree(folder)
    marks.release(slot)
    assert marks.wait_for_others(None, timeout=0)
    assert Watermarks(str(folder / "sandbox.requests.db-writers")).claim() is None
