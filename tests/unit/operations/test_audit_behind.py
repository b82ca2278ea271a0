"""The journey's audit records written behind the tapping thread (issue 22: a tap never waits for fsync)."""
from __future__ import annotations

import threading

from kiosk.audit.behind import WriteBehind


def test_a_record_is_handed_over_without_waiting_for_the_disk():
    disk_free = threading.Event()
    written: list[tuple[str, dict]] = []

    def slow_record(event, data):  # a disk that does not answer until released
        disk_free.wait(10)
        written.append((event, data))

    writer = WriteBehind(slow_record)
    writer("step", {"to": "home"})  # returns while the disk is still busy
    writer("item", {"code": "920000008000"})
    assert written == []
    disk_free.set()
    assert writer.flush()
    assert written == [("step", {"to": "home"}), ("item", {"code": "920000008000"})]  # in order
    writer.close()


def test_close_writes_what_was_queued_and_later_records_are_written_at_once():
    written: list[str] = []
    writer = WriteBehind(lambda event, data: written.append(event))
    for i in range(50):
        writer(f"e{i}", {})
    writer.close()
    assert written == [f"e{i}" for i in range(50)]
    writer("late", {})
    assert written[-1] == "late"


def test_a_failing_record_does_not_stop_the_ones_after_it():
    written: list[str] = []

    def record(event, data):
        if event == "bad":
            raise OSError("disk full")
        written.append(event)

    writer = WriteBehind(record)
    writer("bad", {})
    writer("good", {})
    writer.close()
    assert written == ["good"]
