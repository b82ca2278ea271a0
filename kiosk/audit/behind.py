"""The journey's audit records written behind the caller (issue 22: every tap answered within 100 ms).

A journey action runs on the GUI thread when a citizen taps, and each step records to the audit trail,
which fsyncs every record: 1-10 ms on a good SSD, 100+ ms on a busy eMMC or a shared disk, all of it a frozen
screen. ``WriteBehind`` takes the journey's records in order and one thread writes them, so the trail gets
the same records in the same order, a few milliseconds later. ``flush`` waits for what was handed in;
``close`` drains the queue and stops the thread (the runtime closes it before the trail). A power cut can
lose what was still queued (at most the records of the last moment); the trail's own recovery handles a
torn last line as before.
"""
from __future__ import annotations

import logging
import queue
import threading
from typing import Any, Callable

log = logging.getLogger(__name__)

_STOP = object()


class WriteBehind:
    """``audit(event, data)`` that returns at once; ``record`` is called in order on the writer thread."""

    def __init__(self, record: Callable[[str, dict[str, Any]], Any]) -> None:
        self._record = record
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def __call__(self, event: str, data: dict[str, Any] | None = None) -> None:
        if self._closed:
            self._record(event, dict(data or {}))  # after close (a late device event): written at once
            return
        self._queue.put((event, dict(data or {})))

    def flush(self, timeout_s: float = 10.0) -> bool:
        """Wait until every record handed in so far is written; False on timeout."""
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout_s)

    def close(self, timeout_s: float = 10.0) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if isinstance(item, threading.Event):
                item.set()
                continue
            event, data = item
            try:
                self._record(event, data)
            except Exception:  # noqa: BLE001 - one bad record must not stop the trail
                log.exception("audit record %r could not be written", event)
