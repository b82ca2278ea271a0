"""The attract loop's elder-mode slide promises only what elder mode does (issue 15: "步骤更少" was not true).

Elder mode changes the look and the pace, not the journey: the same item has the same steps in both modes
(measured below), so the slide promises larger text, bigger buttons, more time and help, each checked here.
"""
from __future__ import annotations

from PySide6.QtCore import QObject

from kiosk.journey.plan import plan_steps
from ui.autopilot_driver import prop
from tests.ui.test_ui_journey import at

CERT = "312000218000"


def slide_text(k) -> str:
    return prop(k.ui.find("attract.slide.elder", visible=False), "text")


def theme_value(k, name: str):
    theme = k.app.window.findChild(QObject, "theme")
    return prop(theme, name)


def test_elder_mode_has_the_same_steps_so_the_slide_does_not_promise_fewer(qtbot, make_kiosk):
    k = make_kiosk(ui={"elder_mode": True, "voice_engine": "mock"})
    qtbot.waitUntil(at(k, "attract"))
    item = k.comp.runtime.catalog.get(CERT)
    k.journey.set_elder(False)
    normal = plan_steps(item)
    k.journey.set_elder(True)
    assert plan_steps(item) == normal  # the plan knows nothing of elder mode: as many steps in both
    assert "步骤更少" not in slide_text(k)


def test_each_promise_of_the_elder_slide_holds(qtbot, make_kiosk):
    k = make_kiosk(ui={"voice_engine": "mock"})
    qtbot.waitUntil(at(k, "attract"))
    text = slide_text(k)
    assert text == "字更大、按钮更大、每一步的操作时间更宽裕，可随时呼叫帮助"
    normal_font = prop(k.ui.find("attract.slide.elder", visible=False), "font").pixelSize()
    normal_button = theme_value(k, "button")
    normal_timeout = k.journey.idle_timeout_s()
    k.vm.setElder(True)
    qtbot.waitUntil(lambda: prop(k.ui.find("attract.slide.elder", visible=False), "font").pixelSize() > normal_font)  # 字更大
    assert theme_value(k, "button") > normal_button  # 按钮更大
    assert k.journey.idle_timeout_s() > normal_timeout  # 每一步的操作时间更宽裕
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    assert k.ui.find("home.help") is not None  # 可随时呼叫帮助: home's tile, then the header's on every screen
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    assert k.ui.find("header.help") is not None
