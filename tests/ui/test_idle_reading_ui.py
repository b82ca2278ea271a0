"""On the catalogue (nothing personal on screen) the idle warning says the kiosk goes back to the home screen,
not that the citizen's data will be wiped, and 继续浏览 keeps the citizen where they were. Before, the catalogue
left for the attract loop after half a minute of reading, without a word (elder mode too).

The driver's swipe counts as a touch, as a finger's does (its press reaches ui.app's TouchFilter): a CI run at
load 15 spent longer than that half minute scrolling the catalogue without a press, the session ended under the
driver, and all four catalogue-reach tests failed with "QQuickItem already deleted"."""
from __future__ import annotations

from PySide6.QtCore import QPointF

from kiosk.journey.plan import Step
from tests.helpers.fakes import FakeClock
from tests.ui.test_ui_journey import at
from tests.ui.test_ui_offline import shot
from ui.autopilot_driver import prop


def on_catalogue(qtbot, k):
    k.app.window.show()
    qtbot.waitExposed(k.app.window)
    k.vm.wake()
    qtbot.waitUntil(at(k, "home"))
    k.vm.openServices()
    qtbot.waitUntil(at(k, "catalog"))
    qtbot.waitUntil(lambda: k.ui.find("catalog.list") is not None and prop(k.ui.get("catalog.list"), "count") > 0)
    # the screen slides in: a finger waits for it to stand still inside the window
    qtbot.waitUntil(lambda: k.ui.get("catalog.list").mapToScene(QPointF(0, 0)).x() > 0)


def test_the_catalogue_asks_before_it_goes_home_and_promises_no_wipe(qtbot, make_kiosk):
    k = make_kiosk()
    on_catalogue(qtbot, k)
    clock = FakeClock()
    k.journey.clock = clock  # the journey reads its clock at each use: its timer thread now sees this time too
    k.vm.touch()
    clock.advance(k.comp.settings.idle.attract_after_s + 1)  # the home screen would be gone by now
    k.journey.tick()
    assert k.journey.step == Step.CATALOG and k.journey.countdown is None
    clock.advance(k.journey.idle_timeout_s() - k.comp.settings.idle.attract_after_s - 6)
    k.journey.tick()
    qtbot.waitUntil(lambda: k.ui.find("countdown.continue") is not None)
    assert prop(k.ui.get("countdown.text"), "text") == "5 秒后将返回首页。"  # no wipe promised: nothing to wipe
    assert prop(k.ui.get("countdown.continue"), "text") == "继续浏览"
    shot(k, "countdown-catalogue-zh")
    # the tap reaches the button, not the catalogue row under it (the press used to withdraw the warning first)
    k.ui.tap("countdown.continue")
    qtbot.waitUntil(lambda: k.ui.find("countdown") is None)
    assert k.journey.step == Step.CATALOG and k.vm.step == "catalog"
    clock.advance(k.journey.idle_timeout_s() - 1)
    k.journey.tick()
    assert k.journey.step == Step.CATALOG


def test_the_drivers_swipe_restarts_the_idle_count_as_a_finger_does(qtbot, make_kiosk):
    k = make_kiosk()
    on_catalogue(qtbot, k)
    clock = FakeClock()
    k.journey.clock = clock  # the journey reads its clock at each use: its timer thread now sees this time too
    k.vm.touch()
    clock.advance(k.journey.idle_timeout_s() - 1)
    k.ui.swipe_up(k.ui.get("catalog.list"))  # a citizen scrolling through the list
    clock.advance(2)  # past the timeout from the first touch, 2 s after the swipe
    k.journey.tick()
    assert k.journey.step == Step.CATALOG
    clock.advance(k.journey.idle_timeout_s())
    k.journey.tick()
    assert k.journey.step == Step.ATTRACT  # nobody there: it does go home


def test_a_late_tick_does_not_bring_back_a_warning_or_a_move_a_touch_withdrew(qtbot, make_kiosk):
    """The journey's timer thread sends its ticks queued; a touch withdraws directly. A tick sent just before a
    tap and applied after it kept "29 秒后自动进入下一步" on the materials screen for a move already withdrawn
    (a run at load 15): the screen now shows the journey's state as it stands, whatever order the events come."""
    from kiosk.journey.events import JourneyEvent, JourneyEventKind

    k = make_kiosk()
    on_catalogue(qtbot, k)
    clock = FakeClock()
    k.journey.clock = clock
    k.vm.touch()
    clock.advance(k.journey.idle_timeout_s() - 5)
    k.journey.tick()
    qtbot.waitUntil(lambda: k.vm.countdown == 5)
    k.vm.touch()  # 继续浏览
    assert k.vm.countdown == -1
    k.vm._event.emit(JourneyEvent(JourneyEventKind.COUNTDOWN, Step.CATALOG, 5))  # the tick sent before the touch
    k.vm._event.emit(JourneyEvent(JourneyEventKind.AUTO, Step.CATALOG,
                                  {"kind": "next_material", "seconds": 29, "cancellable": True}))
    assert k.vm.countdown == -1 and k.vm.autoMove == {}
    qtbot.waitUntil(lambda: k.ui.find("countdown") is None)
