"""Suppression of repeated reads of one code.

A camera sees a code held under it in every frame; a presentation-mode scanner re-reads it too. A read
counts as new when the same code (symbology + raw bytes) was not seen for ``window_s``: every sighting,
suppressed or not, restarts the window, so a receipt held still under the camera for a minute is one read,
and the same receipt taken away and shown again after the window is a second one.
"""
from __future__ import annotations

import threading
import time
from typing import Callable


class Deduper:
    def __init__(self, window_s: float, clock: Callable[[], float] = time.monotonic, max_codes: int = 64) -> None:
        if window_s < 0:
            raise ValueError("window_s must be >= 0")
        self.window_s = window_s
        self._clock = clock
        self._max = max_codes
        self._seen: dict[tuple[str, bytes], float] = {}  # code -> last sighting
        self._lock = threading.Lock()

    def is_new(self, symbology: str, raw: bytes) -> bool:
        """Record a sighting; True if it should be reported (not seen within the window)."""
        if self.window_s == 0:
            return True
        now = self._clock()
        key = (symbology, raw)
        with self._lock:
            last = self._seen.get(key)
            self._seen[key] = now
            if len(self._seen) > self._max:  # keep memory bounded: forget the codes not seen for longest
                for old in sorted(self._seen, key=self._seen.__getitem__)[: len(self._seen) - self._max]:
                    del self._seen[old]
        return last is None or now - last >= self.window_s

    def forget(self) -> None:
        """Report the next sighting of every code (a new session or a screen that asks for a code)."""
        with self._lock:
            self._seen.clear()
