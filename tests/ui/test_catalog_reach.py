"""The catalogue list reaches its last item on a small portrait elder English screen (issue 17, the sweep).

15.6" portrait, elder, English: every row's name wraps to three or four lines, so the rows differ in height
and the ListView estimates the ones it has not built, moving its origin (originY) as it builds them. The
autopilot's swipe stopped at contentHeight - height, thousands of pixels short of the list's real end, and
never reached the last three items (950000001000 ... 950000003000: "NotFound: catalog.item... in
catalog.list"). A finger's drag is bounded by the list itself and always got there: the fault was the
driver's, and both are checked here."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from kiosk import screen
from tests.ui.test_ui_journey import at
from ui.autopilot_driver import prop

def small_elder_en(orientation: str = "portrait") -> dict:
    return {"ui": {"elder_mode": True, "lang": "en_US", "orientation": orientation},
            "screen": {"diagonal_in": screen.PROFILES_IN["15.6"]}}


def open_catalogue(qtbot, make_kiosk, orientation: str = "portrait"):
    k = make_kiosk(**small_elder_en(orientation))
    k.app.window.show()
    qtbot.waitExposed(k.app.window)
    k.vm.wake()
    qtbot.waitUntil(at(k, "home"))
    k.vm.openServices()
    qtbot.waitUntil(at(k, "catalog"))
    qtbot.waitUntil(lambda: k.ui.find("catalog.list") is not None and prop(k.ui.get("catalog.list"), "count") > 0)
    # the screen slides in: a finger waits for it to stand still inside the window
    qtbot.waitUntil(lambda: k.ui.get("catalog.list").mapToScene(QPointF(0, 0)).x() > 0
                    and k.ui.get("catalog.list").mapToScene(QPointF(0, 0)).y() > 0)
    return k


def drag(window, x: int, y_from: int, y_to: int) -> None:
    """A finger's slow drag: press, ten moves 20 ms apart, a rest, release (the list stops where it was left)."""
    QTest.mousePress(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y_from))
    for i in range(1, 11):
        QTest.mouseMove(window, QPoint(x, y_from + (y_to - y_from) * i // 10), 20)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y_to), 300)


def in_view(k, row) -> bool:
    """The row lies wholly inside the list's viewport (a citizen sees it whole and can tap it)."""
    view = k.ui.get("catalog.list")
    top = row.mapToItem(view, QPointF(0, 0)).y()
    return top >= -0.5 and top + row.height() <= view.height() + 0.5


def last_codes(k, n: int = 3) -> list[str]:
    return [x["code"] for x in k.vm.items[-n:]]


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_autopilot_reaches_every_catalogue_item_whole_on_a_small_elder_english_screen(qtbot, make_kiosk,
                                                                                          orientation):
    """Every row, the last three included, is scrolled to and seen whole: no row is taller than the list.
    Portrait: with the tags beside the name, "Application for the Public Rental Housing Waiting List" took a
    690 px row in a 516 px list. Landscape: title, prompt and search stacked over the list left it 300 px
    (54 mm) for rows of up to 400 px, and the driver's 60 swipes of 180 px ended before 950000001000 (the
    sweep); the heading now stands beside the list."""
    k = open_catalogue(qtbot, make_kiosk, orientation)
    codes = [x["code"] for x in k.vm.items]
    assert "950000003000" in last_codes(k)  # the items the sweep could not reach
    for code in codes:
        row = k.ui.scroll_to(f"catalog.item.{code}", "catalog.list")
        assert in_view(k, row), (code, row.height(), k.ui.get("catalog.list").height())
    view = k.ui.get("catalog.list")
    top, end = k.ui.y_bounds(view)
    assert top <= prop(view, "contentY") <= end + 0.5


@pytest.mark.slow
def test_a_finger_dragging_the_catalogue_up_reaches_its_last_item(qtbot, make_kiosk):
    """What a citizen does: drag the list up, again and again, until it stops; the last item is then in view."""
    k = open_catalogue(qtbot, make_kiosk)
    view = k.ui.get("catalog.list")
    last = f"catalog.item.{last_codes(k, 1)[0]}"
    x = round(view.mapToScene(QPointF(view.width() / 2, 0)).x())
    y_low = round(view.mapToScene(QPointF(0, view.height() * 0.9)).y())
    y_high = round(view.mapToScene(QPointF(0, view.height() * 0.1)).y())
    for _ in range(120):
        if prop(view, "atYEnd") and k.ui.find(last) is not None:
            break
        drag(k.app.window, x, y_low, y_high)
        qtbot.waitUntil(lambda: not prop(view, "moving"), timeout=5000)
    assert prop(view, "atYEnd")
    row = k.ui.find(last)
    assert row is not None and in_view(k, row)


def test_the_elder_catalogue_promises_only_the_search_it_offers(qtbot, make_kiosk):
    """Elder mode shows no department or topic chips: its prompt said "Browse by department or topic, or
    search ..." all the same. Standard mode has the chips and keeps the sentence."""
    k = open_catalogue(qtbot, make_kiosk)
    assert k.ui.find("catalog.groups") is None
    qtbot.waitUntil(lambda: prop(k.ui.get("page.prompt"), "text") == "Search by name or pinyin initials")
    k.vm.setElder(False)
    qtbot.waitUntil(lambda: k.ui.find("catalog.groups") is not None)
    qtbot.waitUntil(lambda: "department" in prop(k.ui.get("page.prompt"), "text"))
