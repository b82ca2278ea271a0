"""The notice bar never covers the page: while it shows, the page is laid out in the height left above it, so
every tile, field and action stays readable and pressable (it was drawn over 呼叫帮助 on the portrait home,
and over the top row of tiles on the landscape elder home in English). Real notices, on the real screens:
the help request's answer (2065, the longest everyday sentence, with the location's phone number) on the
home screen and on the form with the keyboard up. The layout checker's ``covered`` check finds any page
control that shows under the bar. KIOSK_TEST_SHOTS=DIR keeps the screens."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QObject
from PySide6.QtQml import QQmlProperty

from tests.ui.test_ui_journey import at, drive_to_form, type_into
from tests.ui.test_ui_offline import shot
from ui import layout_check

LAYOUTS = pytest.mark.parametrize("orientation,elder,lang", [("portrait", False, "zh_CN"),
                                                            ("portrait", True, "zh_CN"),
                                                            ("landscape", False, "zh_CN"),
                                                            ("landscape", True, "en_US")],
                                  ids=["portrait-zh", "portrait-elder-zh", "landscape-zh",
                                       "landscape-elder-en"])


def name(orientation, elder, lang):
    return f"{orientation}-{'elder' if elder else 'standard'}-{lang}"


def help_answered(qtbot, k, button):
    k.ui.tap(button)
    qtbot.waitUntil(lambda: k.vm.notice.get("code") == 2065, timeout=10000)
    qtbot.waitUntil(lambda: k.ui.find("notice") is not None and k.ui.get("notice").height() > 0)


@LAYOUTS
def test_a_notice_on_the_home_screen_leaves_every_tile_in_view(qtbot, make_kiosk, orientation, elder, lang):
    k = make_kiosk(ui={"orientation": orientation, "elder_mode": elder, "lang": lang})
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    help_answered(qtbot, k, "home.help")
    qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [], timeout=10000)
    bar = layout_check._scene_rect(k.ui.get("notice"))
    for tile in ("home.services", "home.status", "home.mine", "home.bills", "home.elder", "home.lang", "home.help"):
        item = k.ui.find(tile)
        if item is not None and item.isVisible():
            assert layout_check._scene_rect(item).bottom() <= bar.top(), tile
    shot(k, f"notice-home-{name(orientation, elder, lang)}")


@pytest.mark.slow
def test_a_notice_on_the_portrait_form_while_typing_covers_neither_the_field_nor_the_actions(qtbot, make_kiosk):
    k = make_kiosk()
    drive_to_form(qtbot, k)
    type_into(qtbot, k, "form.field.from_month", "2023")
    help_answered(qtbot, k, "header.help")
    assert k.ui.get("form.field.from_month").property("activeFocus")  # still typing
    qtbot.waitUntil(lambda: layout_check.settled_problems(k.ui) == [], timeout=5000)
    shot(k, "notice-form-typing-portrait")


def test_the_covered_check_finds_a_control_under_the_bar(qtbot, make_kiosk):
    """The check itself: the bar moved back over the page's bottom (as it was drawn before) is reported."""
    k = make_kiosk()
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    help_answered(qtbot, k, "home.help")
    assert layout_check.covered_problems(k.ui) == []
    margin = QQmlProperty(k.ui.get("notice"), "anchors.bottomMargin")
    assert margin.write(margin.read() + 300)  # up over the page's bottom
    qtbot.waitUntil(lambda: layout_check.covered_problems(k.ui) != [])
    found = layout_check.covered_problems(k.ui)
    assert found and all(p.kind == "covered" for p in found), found


SMALL = {"source": "setting", "diagonal_in": 15.6, "px_per_mm": 0.0}  # as `kiosk run --screen 15.6`


def test_offline_on_a_small_landscape_elder_screen_the_greeting_gives_way_to_the_tiles(qtbot, make_kiosk):
    """15.6" landscape, elder, English, the platform unreachable: the offline notice above the tiles left two
    rows of tiles 26 px tall, every title cut (seen in an --offline autopilot run). The greeting gives way."""
    from tests.ui.test_ui_offline import network

    k = make_kiosk(ui={"orientation": "landscape", "elder_mode": True, "lang": "en_US"}, screen=SMALL)
    platform_url = k.comp.runtime.client.t.base_url
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    assert k.ui.find("page.title") is not None  # online: the greeting is there
    network(k, False, platform_url)
    qtbot.waitUntil(lambda: k.ui.find("offlineNotice") is not None)
    qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [], timeout=10000)
    assert k.ui.find("page.title") is None
    shot(k, "notice-home-offline-15in-landscape-elder-en")
    network(k, True, platform_url)
    qtbot.waitUntil(lambda: k.ui.find("offlineNotice") is None, timeout=10000)
    qtbot.waitUntil(lambda: k.ui.find("page.title") is not None)  # back with the network


@pytest.mark.slow
@pytest.mark.parametrize("screen,elder,field,typed", [(SMALL, True, "residence", "fuqiang"),
                                                      (SMALL, True, "phone", "138"),
                                                      (None, False, "residence", "fuqiang")],
                         ids=["15in-elder-keyboard", "15in-elder-numberpad", "default-standard-keyboard"])
def test_in_landscape_the_bar_waits_for_the_keyboard_to_close(qtbot, make_kiosk, screen, elder, field, typed):
    """Landscape: the keyboard takes half the height (the elder number pad stands beside the page): with the bar
    as well, a 15.6" elder form had no room left for the field being typed in (or the bar covered it). The bar
    waits while the keyboard is up and shows once it closes; the page's layout is whole either way."""
    from PySide6.QtGui import QGuiApplication

    k = make_kiosk(ui={"orientation": "landscape", "elder_mode": elder}, **({"screen": screen} if screen else {}))
    drive_to_form(qtbot, k, code="910000001000")  # 保安员证核发: a text field (现居住地址) and a phone number
    name = f"form.field.{field}"
    type_into(qtbot, k, name, typed)
    k.ui.tap("header.help")
    qtbot.waitUntil(lambda: k.vm.notice.get("code") == 2065, timeout=10000)
    assert k.ui.get(name).property("activeFocus")  # still typing
    assert k.ui.find("notice") is None  # held while the keyboard is up
    qtbot.waitUntil(lambda: layout_check.settled_problems(k.ui) == [], timeout=5000)
    typing_in = k.ui.get(name)  # the field being typed in shows whole (once the keyboard is up and it is revealed)
    shown_whole = lambda: layout_check._inside(layout_check._scene_rect(typing_in),  # noqa: E731
                                               layout_check._visible_area(typing_in, layout_check.screen_rect(k.ui)))
    qtbot.waitUntil(shown_whole, timeout=10000)
    # The form's own reveal (it runs whenever the room above the keyboard changes, in a race with the window's)
    # keeps the field whole too: on 15.6" elder its label and "filled in" tag above it pushed the field's bottom
    # 9 px under the keyboard, in about half the runs (2026-12-07).
    form = k.ui.get("form.flick")
    while form.metaObject().indexOfProperty("revealTarget") < 0:
        form = form.parentItem()
    form.setProperty("revealTarget", k.ui.get(f"form.card.{field}"))
    timer = form.findChild(QObject, "form.revealTimer")
    timer.setProperty("running", True)
    qtbot.waitUntil(lambda: not timer.property("running"))
    assert shown_whole(), (layout_check._scene_rect(typing_in), layout_check._visible_area(
        typing_in, layout_check.screen_rect(k.ui)))
    tag = f"{'15in' if screen else 'default'}-{'elder' if elder else 'standard'}-{field}"
    shot(k, f"notice-form-typing-landscape-{tag}")
    QGuiApplication.inputMethod().hide()
    qtbot.waitUntil(lambda: k.ui.find("notice") is not None and k.ui.get("notice").height() > 0)
    qtbot.waitUntil(lambda: layout_check.settled_problems(k.ui) == [], timeout=5000)
    shot(k, f"notice-form-after-typing-landscape-{tag}")


@pytest.mark.slow
@pytest.mark.parametrize("screen,held", [(SMALL, True), (None, False)], ids=["15in-elder-en-held", "default-shown"])
def test_in_portrait_the_bar_waits_for_the_keyboard_only_where_the_page_would_be_too_short(qtbot, make_kiosk,
                                                                                            screen, held):
    """15.6" portrait, elder, English: two rows of header buttons, the keyboard and the bar over it left the form
    17 mm over the elder number pad: the label of the field typed in, not its box (an --offline autopilot run).
    There the bar waits for the keyboard to close; on a taller portrait screen (21.5") the page has room for both and the bar shows at once."""
    from PySide6.QtGui import QGuiApplication

    k = make_kiosk(ui={"orientation": "portrait", "elder_mode": True, "lang": "en_US"},
                   **({"screen": screen} if screen else {}))
    drive_to_form(qtbot, k, code="910000001000")  # 保安员证核发: a phone number (the elder number pad, 100 mm tall)
    type_into(qtbot, k, "form.field.phone", "138")
    k.ui.tap("header.help")
    qtbot.waitUntil(lambda: k.vm.notice.get("code") == 2065, timeout=10000)
    assert k.ui.get("form.field.phone").property("activeFocus")  # still typing
    if held:
        assert k.ui.find("notice") is None
    else:
        qtbot.waitUntil(lambda: k.ui.find("notice") is not None and k.ui.get("notice").height() > 0)
    qtbot.waitUntil(lambda: layout_check.settled_problems(k.ui) == [], timeout=5000)
    typing_in = k.ui.get("form.field.phone")
    qtbot.waitUntil(lambda: layout_check._inside(layout_check._scene_rect(typing_in), layout_check._visible_area(
        typing_in, layout_check.screen_rect(k.ui))), timeout=10000)
    shot(k, f"notice-form-typing-portrait-{'15in' if screen else 'default'}-elder-en")
    QGuiApplication.inputMethod().hide()
    qtbot.waitUntil(lambda: k.ui.find("notice") is not None and k.ui.get("notice").height() > 0)
    qtbot.waitUntil(lambda: layout_check.settled_problems(k.ui) == [], timeout=5000)


def test_the_attract_screen_keeps_its_slides_whole_under_the_card_reminder(qtbot, make_kiosk):
    """15.6" landscape, elder, English: the session's end says "Please take your ID card and your papers" on the
    attract screen. With the bar's room taken from the page, the slide's title was cut at the top; the attract
    screen lets the bar lie over its lower part (a touch anywhere still starts, around the bar too)."""
    k = make_kiosk(ui={"orientation": "landscape", "elder_mode": True, "lang": "en_US"}, screen=SMALL)
    drive_to_form(qtbot, k)
    k.journey.end_session()  # the card was read: the reminder
    qtbot.waitUntil(lambda: k.vm.step == "attract" and k.vm.notice.get("code") == 2062, timeout=10000)
    qtbot.waitUntil(lambda: k.ui.find("notice") is not None)
    qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [], timeout=10000)
    shot(k, "notice-attract-15in-landscape-elder-en")
    # a touch on the bar itself starts, as anywhere on the attract screen
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    centre = layout_check._scene_rect(k.ui.get("notice")).center().toPoint()
    QTest.mouseClick(k.ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    qtbot.waitUntil(lambda: k.vm.step == "home")
