"""One periodic worker thread, written once and used by the journey's timer, the heartbeats and the audit
upload: calls ``fn`` every ``interval_s`` until stopped. ``fn`` may return the delay before its next round
(a back-off after a failure); ``wake()`` runs the next round at once; an exception in one round is logged
and the next round still runs; ``stop`` wakes the thread and waits for it."""
from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class Periodic:
    def __init__(self, name: str, interval_s: float | Callable[[], float], fn: Callable[[], float | None], *,
                 first_delay_s: float | None = None, join_s: float = 10.0) -> None:
        self.name = name
        self._interval = interval_s if callable(interval_s) else (lambda: float(interval_s))
        if self._interval() <= 0:
            raise ValueError("interval_s must be positive")
        self.fn = fn
        self.first_delay_s = first_delay_s
        self.join_s = join_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def interval_s(self) -> float:
        return self._interval()

    @property
    def stopping(self) -> bool:
        """``stop`` was called: a long round should end early."""
        return self._stop.is_set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run the next round now (new work arrived)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.join_s)

    def _run(self) -> None:
        delay = self.interval_s if self.first_delay_s is None else self.first_delay_s
        while True:
            if delay > 0:
                self._wake.wait(delay)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                next_delay = self.fn()
            except Exception:
                log.exception("%s: a round failed", self.name)
                next_delay = None
            delay = self.interval_s if next_delay is None else max(0.0, float(next_delay))
