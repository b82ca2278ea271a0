"""Issue 22: a card laid on the reader is answered on screen at once. While the platform is asked about the
citizen (a blocking fake call here), the identify screen shows its reading panel and says what it is doing;
the form follows when the platform answers."""
from __future__ import annotations

import threading

from tests.ui.test_ui_journey import ITEM, at
from ui.autopilot_driver import prop


def to_identify(qtbot, k):
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.tap(k.ui.scroll_to(f"catalog.item.{ITEM}", "catalog.list"))
    qtbot.waitUntil(at(k, "guide"))
    k.ui.tap("guide.start")
    qtbot.waitUntil(at(k, "identify"))


def test_the_identify_screen_shows_it_is_reading_while_the_platform_is_asked(qtbot, make_kiosk):
    k = make_kiosk()
    to_identify(qtbot, k)
    assert k.ui.find("busy") is None and k.ui.find("identify.reading") is None  # nothing said before a card
    citizens = k.journey.services.citizens
    real_open, asked, release = citizens.open, threading.Event(), threading.Event()

    def blocking_open(*args, **kwargs):
        asked.set()
        release.wait(60)  # the platform answers when the test has looked (a loaded machine looks late)
        return real_open(*args, **kwargs)

    citizens.open = blocking_open
    try:
        k.hw["idcard"].place_card("graduate")
        qtbot.waitUntil(asked.is_set, timeout=30000)  # the reader's thread reads the card, then the platform is asked
        qtbot.waitUntil(lambda: k.ui.find("identify.reading") is not None, timeout=10000)
        assert k.vm.step == "identify" and k.ui.find("busy") is not None  # taps held while it works
        # said in the screen's own panel (tests/ui/test_identify_reading.py), over a drawn progress indicator
        assert prop(k.ui.get("identify.reading.text"), "text") == "正在读取身份证信息，请稍候"
        assert k.ui.find("identify.reading.progress") is not None
        assert asked.is_set() and not release.is_set()  # still waiting on the platform
    finally:
        release.set()
        citizens.open = real_open
    qtbot.waitUntil(at(k, "form"), timeout=10000)
    assert k.ui.find("identify.reading") is None and k.ui.find("busy") is None
