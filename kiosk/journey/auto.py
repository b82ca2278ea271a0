"""Moves a screen makes by itself (issue 17, fewer taps): a visible countdown, then the move.

A step arms one (``ctx.auto``) when the citizen has nothing left to decide: a material has all its expected
pages, the result is known and the receipt can print, the receipt has printed, the goodbye has been read.
The machine keeps at most one, drops it when the step changes, counts it down in ``tick`` (the test's fake
clock or the machine's timer thread: nothing sleeps) and announces each whole second left
(``JourneyEventKind.AUTO``) so the screen can say "3 秒后……". A cancellable one is withdrawn by any
touch: the citizen wanted to do something else (add a page).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Callable

from .plan import Step


class AutoKind(StrEnum):
    """What the screen says is about to happen (QML words it with qsTr)."""
    NEXT_MATERIAL = "next_material"  # 本材料已齐，N 秒后拍下一项 (or 进入下一步 after the last)
    PRINT = "print"  # N 秒后自动打印回执
    FINISH = "finish"  # 回执已打印，N 秒后结束
    HOME = "home"  # N 秒后返回首页


@dataclass
class AutoMove:
    kind: AutoKind
    step: Step
    deadline: float  # on the journey's monotonic clock
    action: Callable[[], None] = field(repr=False)
    cancellable: bool = True
    shown: int | None = None  # the whole seconds last announced

    def seconds_left(self, now: float) -> int:
        return max(0, math.ceil(self.deadline - now - 1e-9))

    def view(self, now: float) -> dict:
        return {"kind": self.kind.value, "seconds": self.seconds_left(now), "cancellable": self.cancellable}


class AutoMoves:
    """The machine's one armed move. ``announce(view or None)`` tells the screens; ``audit`` records."""

    def __init__(self, lock: Any, clock: Callable[[], float], announce: Callable[[dict | None], None],
                 audit: Callable[..., None]) -> None:
        self._lock, self._clock, self._announce, self._audit = lock, clock, announce, audit
        self.pending: AutoMove | None = None

    def view(self) -> dict | None:
        a = self.pending
        return a.view(self._clock()) if a is not None else None

    def arm(self, current: Step, step: Step, kind: AutoKind, seconds: float, action: Callable[[], None],
            cancellable: bool) -> bool:
        with self._lock:
            if current != step:
                return False  # the screen that wanted it has gone
            now = self._clock()
            move = AutoMove(kind, step, now + seconds, action, cancellable)
            move.shown = move.seconds_left(now)
            self.pending = move
        self._audit("auto_armed", kind=kind.value, seconds=seconds, cancellable=cancellable)
        self._announce(move.view(now))
        return True

    def drop(self) -> None:
        """The step changed: its move goes with it (no announcement: the new screen starts without one)."""
        self.pending = None

    def touched(self) -> None:
        """A touch withdraws a cancellable move."""
        with self._lock:
            move = self.pending
            if move is None or not move.cancellable:
                return
            self.pending = None
        self._audit("auto_cancelled", kind=move.kind.value)
        self._announce(None)

    def tick(self, current: Step, now: float) -> bool:
        """Count down; run the move when due. True while one is armed for ``current`` (idle waits)."""
        with self._lock:
            move = self.pending
            if move is None or move.step != current:
                return False
            left = move.seconds_left(now)
            due = now >= move.deadline
            changed = left != move.shown
            move.shown = left
            if due:
                self.pending = None
        if due:
            self._announce(None)
            move.action()  # off the lock: it fires a trigger, which takes the machine's lock itself
        elif changed:
            self._announce(move.view(now))
        return True
