"""The scripted citizen waits for what the screen shows, not only for the kiosk's session.

The view-model's data (payment, 我的办件, outcome ...) is read from the journey's session at once, while the screen
changes only when the journey's event has crossed to the GUI thread. On a loaded 2-core CI machine that hop
came late enough for the autopilot to tap a control the screen did not show yet (NotFound mine.item.SZ...).
Here every journey event reaches the view-model LAG_S late (in order), so the session is always ahead of the
screen: a citizen that waits for the session and then taps fails; one that waits for the screen passes.
"""
from __future__ import annotations

import io
import json
import threading
import time
from collections import deque

import pytest

LAG_S = 0.4  # far longer than CI's hop ever took, so a race shows every time, not once in a while


@pytest.fixture
def lagging_screen(monkeypatch, qapp):
    """Journey events from a worker or device thread reach the view-model LAG_S late, in their order; those
    from the GUI thread (a tap's own) at once, as Qt delivers them (a direct call, no hop)."""
    from PySide6.QtCore import QTimer

    from kiosk.journey import Journey
    from ui.models.kiosk_vm import KioskViewModel

    real_subscribe, real_on_event = Journey.subscribe, KioskViewModel._on_event
    from_worker: dict[int, object] = {}  # id -> event (kept alive until handled, so the id is not reused)
    pending: deque = deque()

    def subscribe(journey, listener):
        def marked(event):
            if threading.current_thread() is not threading.main_thread():
                from_worker[id(event)] = event
            listener(event)
        return real_subscribe(journey, marked)

    def on_event(vm, event):
        if from_worker.pop(id(event), None) is None:
            real_on_event(vm, event)
        else:
            pending.append((time.monotonic() + LAG_S, vm, event))

    def pump() -> None:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, vm, event = pending.popleft()
            real_on_event(vm, event)

    monkeypatch.setattr(Journey, "subscribe", subscribe)
    monkeypatch.setattr(KioskViewModel, "_on_event", on_event)
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(pump)
    timer.start()
    yield
    timer.stop()


def run_autopilot(qtbot, make_kiosk, monkeypatch, codes: list[str], journeys: int, **kw) -> tuple[list[dict], object]:
    from ui.autopilot import Autopilot

    k = make_kiosk()
    out = io.StringIO()
    quit_called: list[int] = []
    monkeypatch.setattr(k.app, "quit", lambda code=0: quit_called.append(code))
    pilot = Autopilot(k.app, codes, journeys=journeys, screenshots=None, out=out, **kw)
    pilot.check_layout = False  # what the screen shows is the subject here, not how it is laid out
    pilot.start()
    qtbot.waitUntil(lambda: bool(quit_called), timeout=180000)
    return [json.loads(x) for x in out.getvalue().splitlines() if x.strip()], pilot


@pytest.mark.slow
def test_my_applications_row_is_tapped_once_the_screen_lists_it(qtbot, make_kiosk, monkeypatch, lagging_screen):
    """--mine: the list's row is tapped once the screen shows it (NotFound mine.item.SZ... in CI) and the busy
    veil is gone (the row shows a moment before the fetch ends: a tap then was swallowed, the visit timed out)."""
    lines, pilot = run_autopilot(qtbot, make_kiosk, monkeypatch, ["920000001000"], 1, mine=True)
    assert pilot.failures == 0, lines
    journey, mine = lines
    assert mine["opened"] == journey["platform_ref"] and mine["timeline"] >= 2, mine


@pytest.mark.slow
def test_a_citizen_who_looks_only_after_the_result_and_the_receipt_still_reports_the_outcome(qtbot, make_kiosk,
                                                                                            monkeypatch):
    """The result's countdown and the receipt's printing can both pass while the scripted citizen is busy (a
    layout check or a screenshot on a loaded machine): it then met the goodbye first and failed with KeyError
    'reference'. The outcome is read the moment the result shows, whoever looks."""
    from ui.autopilot import Autopilot

    real_tick = Autopilot._tick

    def tick(self) -> None:  # the citizen looks away while the result and the receipt are on the screen
        if self.vm.step not in ("result", "receipt"):
            real_tick(self)

    monkeypatch.setattr(Autopilot, "_tick", tick)
    lines, pilot = run_autopilot(qtbot, make_kiosk, monkeypatch, ["920000001000"], 1)
    assert pilot.failures == 0, lines
    assert lines[0]["platform_ref"] and lines[0]["receipt_printed"], lines
