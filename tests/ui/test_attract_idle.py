"""The idle attract screen leaves the CPU alone (issue 22: <= 5 % of one core): 我要办事 breathes once every 6 s
and nothing ticks between breaths. Every frame of the breath is repainted in software, so it is drawn by a 20 Hz
timer that runs only while the button breathes, not by an animation that repaints at the display's rate."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject


def test_the_services_button_breathes_and_no_timer_ticks_between_breaths(qapp, qtbot, tmp_path):
    from kiosk.settings import default_files, load_settings
    from ui.app import KioskApp
    from ui.autopilot_driver import UiDriver, prop

    settings = load_settings(default_files(True), data_dir=tmp_path / "data",
                             overrides={"ui": {"fullscreen": False, "voice": False}})
    hold = threading.Event()
    app = KioskApp(settings=settings, build=lambda: hold.wait(60))  # the attract screen of phase 1 only
    try:
        app.window.update()
        ui = UiDriver(app.window)
        qtbot.waitUntil(lambda: ui.find("attract.services") is not None, timeout=10000)
        button = ui.find("attract.services")
        tick = app.window.findChild(QObject, "attract.breathTick")
        every = app.window.findChild(QObject, "attract.breathEvery")
        assert tick is not None and every is not None
        assert prop(every, "running") and prop(every, "interval") == 6000  # one breath every 6 s
        # The first breath starts with the screen: the button fades and comes back ...
        qtbot.waitUntil(lambda: prop(button, "opacity") < 0.7, timeout=10000)  # this breath or the next
        assert prop(tick, "running")
        # ... then it is still, and the breath's timer stops: no frame is drawn until the next breath.
        qtbot.waitUntil(lambda: not prop(tick, "running"), timeout=5000)
        assert prop(button, "opacity") == 1.0
        assert prop(every, "running")  # the next breath is still due
    finally:
        hold.set()
        app.close()
