"""A time budget for the passes of one camera frame (``decode_frame``): the first step always runs, a later
one only if its learned cost fits in what is left.

Costs are learned per (step name, frame size) across frames, as an exponential moving average: a camera
loop decodes frames of one size continuously, so after a few frames every step's cost is known. zxing-cpp
cannot be interrupted, so the budget decides before a step, never during it.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["StepBudget", "learned_ms"]

T = TypeVar("T")
_step_ms: dict[tuple[str, tuple[int, int]], float] = {}  # learned cost per (step, frame size), ms
_step_lock = threading.Lock()


class StepBudget:
    """Steps of one frame of ``size`` (h, w) within ``budget_ms`` from ``start`` (``time.perf_counter()``;
    default: now)."""

    def __init__(self, budget_ms: float, size: tuple[int, int], start: float | None = None) -> None:
        self._start = time.perf_counter() if start is None else start
        self._budget_ms = budget_ms
        self._size = size
        self._first = True

    def run(self, name: str, step: Callable[[], T], budget_ms: float | None = None) -> T | None:
        """The step's result, or None when it does not fit in the budget (``budget_ms``: a tighter one for
        this step; it is then not run)."""
        key = (name, self._size)
        limit = self._budget_ms if budget_ms is None else min(budget_ms, self._budget_ms)
        if not self._first and self.elapsed_ms() + _step_ms.get(key, 0.0) > limit:
            return None
        self._first = False
        t0 = time.perf_counter()
        result = step()
        _learn(key, (time.perf_counter() - t0) * 1000.0)
        return result

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self._start) * 1000.0


def learned_ms(name: str, size: tuple[int, int]) -> float | None:
    """What a step has been found to cost on frames of ``size`` (None: never run)."""
    return _step_ms.get((name, size))


def _learn(key: tuple[str, tuple[int, int]], spent: float) -> None:
    """Exponential moving average of a step's cost; the first measurement is taken as is. A sample above 3x
    the estimate counts as 3x: one pathological read (zxing-cpp's PDF417 decoder can spend 300 ms on a
    blurred region that usually takes 1 ms) must not make the next hundred frames skip the step."""
    with _step_lock:
        old = _step_ms.get(key)
        _step_ms[key] = spent if old is None else 0.8 * old + 0.2 * min(spent, 3.0 * old + 0.5)
