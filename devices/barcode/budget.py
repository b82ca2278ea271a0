"""A time budget for the passes of one camera frame (``decode_frame``): the first step always runs, a later
one only if its learned cost fits in what is left.

Costs are learned per (step name, frame size) across frames, as an exponential moving average: a camera
loop decodes frames of one size continuously, so after a few frames every step's cost is known. zxing-cpp
cannot be interrupted, so the budget decides before a step, never during it.

A step whose size varies within a frame (one located region: 40x230 px of print or a 900x900 px QR) passes
its ``work`` (pixels) and is priced per pixel of work instead: one price for every region made the small
regions that follow a big one look as dear as it (a 50 ms region 0 priced every later 0.5 ms region at
10+ ms, so they were skipped with most of the budget left; camera bench qrcode-1/18, ean13-1/8).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["StepBudget", "learned_ms", "predicted_ms"]

T = TypeVar("T")
_step_ms: dict[tuple[str, tuple[int, int]], float] = {}  # learned cost per (step, frame size), ms
_step_ms_per_unit: dict[str, float] = {}  # learned cost of a step given its work, ms per unit (pixel)
_STEP_OVERHEAD_MS = 0.1  # what a step with work costs beyond its pixels (a call into zxing-cpp, a cut)
_step_lock = threading.Lock()


class StepBudget:
    """Steps of one frame of ``size`` (h, w) within ``budget_ms`` from ``start`` (``time.perf_counter()``;
    default: now)."""

    def __init__(self, budget_ms: float, size: tuple[int, int], start: float | None = None) -> None:
        self._start = time.perf_counter() if start is None else start
        self._budget_ms = budget_ms
        self._size = size
        self._first = True

    def run(self, name: str, step: Callable[[], T], budget_ms: float | None = None,
            work: float | None = None) -> T | None:
        """The step's result, or None when it does not fit in the budget (``budget_ms``: a tighter one for
        this step; it is then not run). ``work``: the step's size (pixels), when it varies from call to call:
        its cost is then learned and predicted per unit of work."""
        limit = self._budget_ms if budget_ms is None else min(budget_ms, self._budget_ms)
        if not self._first and self.elapsed_ms() + predicted_ms(name, self._size, work) > limit:
            return None
        self._first = False
        t0 = time.perf_counter()
        result = step()
        spent = (time.perf_counter() - t0) * 1000.0
        if work is None:
            _learn((name, self._size), spent)
        else:
            _learn_per_unit(name, spent, work)
        return result

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self._start) * 1000.0


def learned_ms(name: str, size: tuple[int, int]) -> float | None:
    """What a step has been found to cost on frames of ``size`` (None: never run)."""
    return _step_ms.get((name, size))


def predicted_ms(name: str, size: tuple[int, int], work: float | None = None) -> float:
    """What the step is expected to cost (0 if it never ran: an unknown step is tried)."""
    if work is None:
        return _step_ms.get((name, size), 0.0)
    rate = _step_ms_per_unit.get(name)
    return 0.0 if rate is None else _STEP_OVERHEAD_MS + rate * work


def _learn(key: tuple[str, tuple[int, int]], spent: float) -> None:
    """Exponential moving average of a step's cost; the first measurement is taken as is. A sample above 3x
    the estimate counts as 3x: one pathological read (zxing-cpp's PDF417 decoder can spend 300 ms on a
    blurred region that usually takes 1 ms) must not make the next hundred frames skip the step."""
    with _step_lock:
        old = _step_ms.get(key)
        _step_ms[key] = spent if old is None else 0.8 * old + 0.2 * min(spent, 3.0 * old + 0.5)


def _learn_per_unit(name: str, spent: float, work: float) -> None:
    """As ``_learn``, per unit of work; the 3x cap applies to the step's predicted cost."""
    work = max(work, 1.0)
    with _step_lock:
        old = _step_ms_per_unit.get(name)
        if old is None:
            _step_ms_per_unit[name] = max(spent - _STEP_OVERHEAD_MS, 0.0) / work
        else:
            capped = min(spent, 3.0 * (_STEP_OVERHEAD_MS + old * work) + 0.5)
            _step_ms_per_unit[name] = 0.8 * old + 0.2 * max(capped - _STEP_OVERHEAD_MS, 0.0) / work
