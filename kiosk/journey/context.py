"""The narrow view of the machine that steps get (``ports.Context``): what they may read and do, never the
machine itself. The machine builds one and hands it to every step action; a step never imports the machine.
"""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any, Callable

from ..errors import Notice
from ..platform.catalog_schema import Item
from .auto import AutoKind
from .events import JourneyEventKind
from .plan import Step
from .table import Trigger


class MachineContext:
    """The narrow view of the machine that steps get (``ports.Context``)."""

    def __init__(self, m: Any) -> None:  # the machine (``machine.Journey``), which imports this module
        self._m = m
        self.settings, self.catalog, self.devices = m.settings, m.catalog, m.devices
        self.outbox, self.services, self.link = m.outbox, m.services, m.link

    step = property(lambda self: self._m.step)
    clock = property(lambda self: self._m.clock)  # a test may swap the machine's clock
    session = property(lambda self: self._m.session)
    busy = property(lambda self: self._m.busy)
    notice = property(lambda self: self._m.notice)
    lang = property(lambda self: self._m.lang)  # the screen's language: the platform's SMS follow it (issue 18)

    def touch(self) -> None:
        self._m.touch()

    def audit(self, event: str, **data: Any) -> None:
        self._m.audit(event, **data)

    def emit(self, kind: JourneyEventKind, data: Any = None) -> None:
        self._m._emit(kind, data)

    def set_busy(self, busy: bool) -> None:
        self._m._set_busy(busy)

    def set_notice(self, notice: Notice | None, owner: str) -> None:
        self._m._set_notice(notice, owner)

    def clear_notice(self, owner: str) -> None:
        self._m._clear_notice(owner)

    def fire(self, trigger: Trigger) -> None:
        self._m._fire(trigger)

    def advance(self, trigger: Trigger) -> None:
        """The busy state freed and the step moved on as one change, for work that ends by moving on. The flag
        is false before STEP is sent and BUSY is told after it: freed first, the old screen was drawn once more
        without its busy state (identify's "lay your card", payment's 重新生成二维码); freed after, a screen that
        read STEP first built the next step veiled."""
        was_busy = self._m.busy
        self._m._set_busy(False, announce=False)
        self._m._fire(trigger)
        if was_busy:
            self._m._emit(JourneyEventKind.BUSY, False)

    def run(self, fn: Callable[..., Any], *args: Any) -> Future:
        return self._m.executor.submit(fn, *args)

    def run_when_shown(self, fn: Callable[..., Any], *args: Any) -> None:
        """``fn`` on the executor once this step's screen is on screen: CPU-heavy work (building a package)
        started with the screen change would compete with painting its first frame for the GIL (issue 22)."""
        executor = self._m.executor
        self._m.when_shown(self._m.step, lambda: executor.submit(fn, *args))

    def replan(self) -> None:
        self._m._replan()

    def auto(self, step: Step, kind: AutoKind, seconds: float, action: Callable[[], None], *,
             cancellable: bool = True) -> bool:
        """Move on by itself after a visible countdown (``auto.py``); only while ``step`` shows."""
        return self._m.auto.arm(self._m.step, step, kind, seconds, action, cancellable)

    def begin(self, item: Item) -> None:
        self._m._new_session(item)
