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
from PySide6.QtGui import QFontMetricsF
from PySide6.QtTest import QTest

from kiosk import screen
from tests.ui.test_ui_journey import at
from ui.autopilot_driver import iter_items, prop

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


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_offline_every_catalogue_row_with_its_reason_is_seen_whole_on_a_small_elder_english_screen(
        qtbot, make_kiosk, orientation):
    """Offline, an item that needs the platform carries its reason and the 暂不可办 tag, an instant one 秒批 as
    well. On the 15.6" landscape screen in elder English such a row was 808 px in a 571 px list (name, department
    and fee, the reason, the tags: two lines each but the tags): no citizen saw one whole. The fee now leads a
    one-line department, the reason no longer repeats the tag's words."""
    from tests.ui.test_ui_offline import network, shot

    k = open_catalogue(qtbot, make_kiosk, orientation)
    platform_url = k.comp.runtime.client.t.base_url
    network(k, False, platform_url)
    qtbot.waitUntil(lambda: any(x.get("available") is False for x in k.vm.items))
    blocked = [x["code"] for x in k.vm.items if x.get("available") is False]
    assert "920000005000" in blocked  # 秒批 and blocked: the tallest kind of row
    for code in [x["code"] for x in k.vm.items]:
        row = k.ui.scroll_to(f"catalog.item.{code}", "catalog.list")
        if code in ("920000005000", "910000002000") or not in_view(k, row):
            shot(k, f"offline-catalog-15in-elder-en-{orientation}-{code}")
        assert in_view(k, row), (code, row.height(), k.ui.get("catalog.list").height())
        if code in blocked:
            reason = k.ui.get(f"catalog.item.{code}.blocked")
            assert reason.isVisible() and prop(reason, "text").startswith("Network down: ")
            # the tags stand beside the name or, wider than a third of the row, under it: which one holds the
            # tag is settled at the row's next layout pass (seen unsettled once under load: no tag found yet)
            qtbot.waitUntil(lambda c=code: k.ui.find(f"catalog.item.{c}.notNow") is not None, timeout=3000)
            assert prop(k.ui.get(f"catalog.item.{code}.notNow"), "text") == "Not available now"
        fee = next(i for i in iter_items(row) if i.objectName() == f"catalog.item.{code}.fee")
        # shortened, if at all, in the department: the fee whole
        shown = QFontMetricsF(prop(fee, "font")).horizontalAdvance(prop(fee, "text").split(" · ")[0] + " · ")
        assert shown < fee.width(), (code, prop(fee, "text"))
    network(k, True, platform_url)
    qtbot.waitUntil(lambda: all(x.get("available") is not False for x in k.vm.items))


def test_beside_the_list_the_search_field_is_tapped_typed_on_the_keyboard_and_kept(qtbot, make_kiosk):
    """15.6" landscape elder: the search field stands under the prompt beside the list, which has the page's
    height. Tapped, the keyboard rises, the heading gives way and the field goes over the list with the focus;
    keys tapped on the real keyboard search; the keyboard closed, the field is beside again with its text."""
    from PySide6.QtGui import QGuiApplication

    from tests.ui.test_form_input import focus, panel, tap_text
    from tests.ui.test_ui_offline import shot

    k = open_catalogue(qtbot, make_kiosk, "landscape")
    field, view = k.ui.get("catalog.search"), k.ui.get("catalog.list")
    beside = field.mapToScene(QPointF(0, 0))
    assert beside.x() + field.width() < view.mapToScene(QPointF(0, 0)).x()  # left of the list
    assert view.height() > 700, view.height()  # the list has the height the field over it took (571 px before)
    assert prop(field, "placeholderText") == 'e.g. "wfz"'
    focus(qtbot, k, "catalog.search")
    qtbot.waitUntil(lambda: field.mapToScene(QPointF(0, 0)).y() < view.mapToScene(QPointF(0, 0)).y()
                    and abs(field.mapToScene(QPointF(0, 0)).x() - view.mapToScene(QPointF(0, 0)).x()) < 1)
    assert prop(field, "activeFocus") and prop(panel(k), "active")
    assert prop(field, "placeholderText") == 'Search: "criminal" or "wfz"'
    tap_text(qtbot, k, "wfz")
    qtbot.waitUntil(lambda: k.vm.catalogFilter["kind"] == "search" and len(k.vm.items) >= 1)
    shot(k, "catalog-15in-elder-en-landscape-typing")
    assert k.vm.items[0]["code"] == "312000218000"  # 无犯罪记录证明
    QGuiApplication.inputMethod().hide()
    qtbot.waitUntil(lambda: field.mapToScene(QPointF(0, 0)).x() < view.mapToScene(QPointF(0, 0)).x() - field.width())
    assert prop(field, "text") == "wfz" and k.vm.items[0]["code"] == "312000218000"
    shot(k, "catalog-15in-elder-en-landscape-found")


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


@pytest.mark.parametrize("diagonal, prompt_lines", [("15.6", 1), ("21.5", 1), ("32", 1)])
def test_the_landscape_elder_heading_beside_the_list_breaks_no_word_off(qtbot, make_kiosk, diagonal, prompt_lines):
    """Beside the list (landscape, elder, Chinese) the title 请选择办理事项 stands on one line on every screen: at
    the column's fixed 0.3 of the width a 21.5" screen broke it before its last character (项 alone on a line), and
    the prompt before 索. The column widens up to 0.4 for a text that then fits on one line, no further, and the
    list keeps at least 0.55 of the page."""
    k = make_kiosk(ui={"elder_mode": True, "lang": "zh_CN", "orientation": "landscape"},
                   screen={"diagonal_in": screen.PROFILES_IN[diagonal]})
    k.app.window.show()
    qtbot.waitExposed(k.app.window)
    k.vm.wake()
    qtbot.waitUntil(at(k, "home"))
    k.vm.openServices()
    qtbot.waitUntil(at(k, "catalog"))
    title, prompt = k.ui.get("page.title"), k.ui.get("page.prompt")
    qtbot.waitUntil(lambda: title.property("text") == "请选择办理事项" and title.property("visible"))
    assert title.property("lineCount") == 1
    assert prompt.property("lineCount") == prompt_lines
    page = title.parentItem().parentItem()
    assert k.ui.get("catalog.list").width() >= 0.55 * page.width() - 1
    assert page.property("sideWidth") <= 0.4 * page.width() + 1
