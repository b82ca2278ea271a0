"""Typing on the form (issue 17): each field's keyboard fits its content, the elder number pad is big enough,
form errors show at the field, scroll into view, are spoken and clear when fixed; Enter moves on.

Keys are tapped on the real Qt Virtual Keyboard (the InputPanel in Main.qml), as a finger does."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent

from tests.helpers.face_walk import fit_fake_face, through_face
from tests.ui.test_ui_journey import at
from ui.autopilot_driver import iter_items, prop

GANGAO = "910000002000"  # 往来港澳通行证签注: a code field (permit_number), three choices, a phone
WUFANZUI = "312000218000"  # 无犯罪记录证明: an editable address (pinyin)


def drive_to_form(qtbot, k, code):
    # The way to the form is not what these tests are about (and other screens' layouts change in parallel
    # work): the view-model's actions take it, the form itself is driven by taps and keys.
    k.vm.wake()
    qtbot.waitUntil(at(k, "home"))
    k.vm.openServices()
    qtbot.waitUntil(at(k, "catalog"))
    k.vm.chooseItem(code)
    qtbot.waitUntil(at(k, "guide"))
    k.vm.startItem()
    qtbot.waitUntil(at(k, "identify"))
    person = fit_fake_face(k)  # 港澳签注 asks for the person (face_check): the holder passes the face step
    k.hw["idcard"].place_card("graduate")
    through_face(qtbot, k, person)
    qtbot.waitUntil(at(k, "form"), timeout=10000)


def panel(k):
    return k.ui.get("keyboard")


def keys(k) -> list:
    """The on-screen keyboard's visible keys (items with a Qt key code)."""
    return [i for i in iter_items(panel(k)) if prop(i, "key") is not None and i.isVisible() and i.width() > 0]


def key_for(k, text: str):
    for item in keys(k):
        if prop(item, "text") == text and prop(item, "enabled"):
            return item
    return None


def key_of_type(k, class_prefix: str):
    return next(i for i in keys(k) if i.metaObject().className().startswith(class_prefix))


def press_key(qtbot, k, item) -> None:
    k.ui.tap(item)
    QCoreApplication.processEvents()  # the keyboard's release handler sends the key to the field


def keyboard_locale(k) -> str:
    return prop(panel(k), "layoutLocale")


def focus(qtbot, k, name):
    k.ui.tap(name)
    qtbot.waitUntil(lambda: k.ui.get(name).property("activeFocus") and panel(k).property("active"))


def tap_text(qtbot, k, text: str) -> None:
    """Tap each character on the keyboard; switch to the number/symbol view for digits when needed."""
    for ch in text:
        want = ch.lower()
        if key_for(k, want) is None:
            press_key(qtbot, k, key_of_type(k, "SymbolModeKey"))
            qtbot.waitUntil(lambda want=want: key_for(k, want) is not None)
        press_key(qtbot, k, key_for(k, want))


def send_key(k, key) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QGuiApplication.sendEvent(k.app.window, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, "\r"))


def scene_rect(item):
    p = item.mapToScene(QPointF(0, 0))
    return p.y(), p.y() + item.height()


def shown_above_keyboard(k, name) -> bool:
    """The item is inside the form's visible area and not under the keyboard (above it, or beside the elder
    number pad where that stands at the side of a landscape screen)."""
    item = k.ui.find(name)
    if item is None:
        return False
    top, bottom = scene_rect(item)
    view_top, view_bottom = scene_rect(k.ui.get("form.flick"))
    if not (top >= view_top - 1 and bottom <= view_bottom + 1):
        return False
    kb = panel(k)
    if not kb.property("active"):
        return True
    r = QRectF(item.mapToScene(QPointF(0, 0)), item.mapToScene(QPointF(item.width(), item.height())))
    kr = QRectF(kb.mapToScene(QPointF(0, 0)), kb.mapToScene(QPointF(kb.width(), kb.height())))
    return not r.adjusted(1, 1, -1, -1).intersects(kr)


@pytest.mark.slow
def test_a_code_field_typed_on_the_screen_keyboard_gets_latin_capitals_not_chinese(qtbot, make_kiosk):
    k = make_kiosk()
    drive_to_form(qtbot, k, GANGAO)
    focus(qtbot, k, "form.field.permit_number")
    qtbot.waitUntil(lambda: keyboard_locale(k) == "en_US")
    tap_text(qtbot, k, "c12345678")
    field = k.ui.get("form.field.permit_number")
    qtbot.waitUntil(lambda: field.property("text") == "C12345678")
    assert k.journey.session.form["permit_number"] == "C12345678"
    # the keyboard goes back to 简体中文 when the focus leaves the code
    focus(qtbot, k, "form.field.phone")
    qtbot.waitUntil(lambda: keyboard_locale(k) == "zh_CN")


@pytest.mark.slow
def test_english_mode_shows_an_english_layout_and_chinese_mode_pinyin(qtbot, make_kiosk):
    k = make_kiosk()
    drive_to_form(qtbot, k, WUFANZUI)
    focus(qtbot, k, "form.field.address")
    assert keyboard_locale(k) == "zh_CN"
    k.vm.setLang("en_US")
    focus(qtbot, k, "form.field.address")  # the form is rebuilt in English
    qtbot.waitUntil(lambda: keyboard_locale(k) == "en_US")
    field = k.ui.get("form.field.address")
    field.setProperty("text", "")
    tap_text(qtbot, k, "road")
    qtbot.waitUntil(lambda: field.property("text").lower() == "road")  # letters, not 肉 or candidates


@pytest.mark.slow
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_elder_number_pad_keys_are_at_least_the_elder_touch_target(qtbot, make_kiosk, orientation):
    k = make_kiosk(ui={"elder_mode": True, "orientation": orientation})
    drive_to_form(qtbot, k, GANGAO)
    target = k.ui.get("form.next").height()  # the elder theme's touch target (Theme.qml `button`)
    assert target >= 25 * k.vm.pxPerMm  # the elder target: 25 mm on the glass (Theme.qml, in millimetres)
    focus(qtbot, k, "form.field.phone")
    qtbot.waitUntil(lambda: key_for(k, "5") is not None)

    def big_enough():
        digits = [key_for(k, d) for d in "0123456789"]
        return all(d is not None and d.width() >= target and d.height() >= target for d in digits)
    qtbot.waitUntil(big_enough)
    qtbot.waitUntil(lambda: shown_above_keyboard(k, "form.field.phone"))
    # a letter keyboard is not stretched: the pad grows only for numbers
    focus(qtbot, k, "form.field.permit_number")
    qtbot.waitUntil(lambda: key_for(k, "q") is not None and key_for(k, "q").height() < target)


def digit_label_mm(k, digit: str) -> float:
    """The capital height, in mm on the glass, of the digit drawn on the number pad's key (Noto Sans CJK's
    digits and capitals share their height: 0.733 em, Theme.qml capRatio)."""
    key = key_for(k, digit)
    labels = [i for i in iter_items(key) if prop(i, "text") == digit and i.isVisible() and prop(i, "font") is not None]
    assert labels, digit
    return max(prop(i, "font").pixelSize() for i in labels) * 0.733 / k.vm.pxPerMm


@pytest.mark.slow
@pytest.mark.parametrize("screen,orientation", [("15.6", "landscape"), ("21.5", "portrait")])
def test_the_elder_number_pad_draws_its_digits_at_elder_text_size(qtbot, make_kiosk, screen, orientation):
    """Issue 17: the elder pad's keys were big but their digits were the stock style's (about 4.5 mm capitals
    on a 15.6-inch screen): elder text is at least 1.5 x 4.8 mm = 7.2 mm (Theme.qml, ADA 707.8)."""
    from kiosk import screen as screens

    k = make_kiosk(ui={"elder_mode": True, "orientation": orientation},
                   screen={"diagonal_in": screens.PROFILES_IN[screen]})
    drive_to_form(qtbot, k, GANGAO)
    focus(qtbot, k, "form.field.phone")
    qtbot.waitUntil(lambda: key_for(k, "5") is not None)
    qtbot.waitUntil(lambda: all(digit_label_mm(k, d) >= 7.2 for d in "0123456789"))
    tap_text(qtbot, k, "139")  # still keys: the digits reach the field
    qtbot.waitUntil(lambda: k.ui.get("form.field.phone").property("text").endswith("139"))


@pytest.mark.slow
def test_landscape_elder_number_pad_leaves_the_field_its_label_and_the_confirm_tick_reachable(qtbot, make_kiosk):
    """15.6-inch landscape, elder, English, 补领驾驶证 (issue 17): the elder number pad under the page left the
    form about 80 px, so the typed phone's field and label were hidden and the declaration's tick box could
    not be tapped (the autopilot was refused: "Please tick to confirm"). The pad now stands beside the page."""
    from kiosk import screen as screens

    k = make_kiosk(ui={"elder_mode": True, "orientation": "landscape", "lang": "en_US"},
                   screen={"diagonal_in": screens.PROFILES_IN["15.6"]})
    drive_to_form(qtbot, k, "910000004000")
    focus(qtbot, k, "form.field.phone")
    qtbot.waitUntil(lambda: key_for(k, "5") is not None)
    tap_text(qtbot, k, "13800138000")
    qtbot.waitUntil(lambda: k.ui.get("form.field.phone").property("text") == "13800138000")
    qtbot.waitUntil(lambda: shown_above_keyboard(k, "form.field.phone") and shown_above_keyboard(k, "form.label.phone"))
    k.ui.tap("form.check.declaration")  # a finger on the tick box (scrolled into view as a swipe would)
    qtbot.waitUntil(lambda: k.journey.session.form.get("declaration") == "true")
    assert k.ui.get("form.check.declaration").property("ticked")


@pytest.mark.slow
@pytest.mark.parametrize("layout", [{}, {"orientation": "landscape", "elder_mode": True, "lang": "en_US"}],
                         ids=["portrait", "landscape-elder-english"])
def test_a_missing_field_is_shown_at_the_field_in_view_spoken_and_cleared_when_fixed(qtbot, make_kiosk, layout):
    k = make_kiosk(ui=layout)
    drive_to_form(qtbot, k, GANGAO)
    k.ui.tap("form.next")
    qtbot.waitUntil(lambda: k.ui.find("form.error.permit_number") is not None)
    message = k.ui.get("form.error.permit_number").property("text")
    assert message in ("请填写往来港澳通行证号码", "Please fill in Exit-Entry Permit number")
    # in view above the keyboard, with its field focused for typing and its card framed in the error colour
    # (issue 17: in landscape elder English the form was 20 px tall with the keyboard up)
    qtbot.waitUntil(lambda: shown_above_keyboard(k, "form.error.permit_number")
                    and shown_above_keyboard(k, "form.field.permit_number"))
    assert k.ui.get("form.field.permit_number").property("activeFocus")
    assert k.ui.get("form.card.permit_number").property("fieldError") == message
    assert k.ui.get("form.field.permit_number").property("error")  # drawn in its border
    assert message in k.app.voice.said  # spoken as well as shown
    # later errors are listed too: every wrong field says so
    assert k.ui.find("form.error.endorsement_type") is not None
    k.ui.type_text("C1234567")
    assert k.ui.find("form.error.permit_number") is not None  # still too short: the message stays
    k.ui.type_text("8")
    qtbot.waitUntil(lambda: k.ui.find("form.error.permit_number") is None)  # right now: gone without 下一步
    assert k.ui.find("form.error.endorsement_type") is not None
    k.ui.tap(k.ui.find_prefix("form.choice.endorsement_type.")[0])
    qtbot.waitUntil(lambda: k.ui.find("form.error.endorsement_type") is None)


@pytest.mark.slow
def test_enter_moves_to_the_next_field_and_on_the_last_one_acts_as_next(qtbot, make_kiosk):
    k = make_kiosk()
    drive_to_form(qtbot, k, GANGAO)
    for group in ("endorsement_type", "destination", "trips"):
        k.ui.tap(k.ui.find_prefix(f"form.choice.{group}.")[0])
    focus(qtbot, k, "form.field.permit_number")
    k.ui.type_text("C12345678")
    send_key(k, Qt.Key.Key_Return)  # a physical keyboard's Enter
    qtbot.waitUntil(lambda: k.ui.get("form.field.phone").property("activeFocus") and key_for(k, "5") is not None)
    tap_text(qtbot, k, "13800138000")
    press_key(qtbot, k, key_of_type(k, "EnterKey"))  # the on-screen keyboard's enter key, on the last field
    qtbot.waitUntil(lambda: k.vm.step != "form", timeout=10000)
    assert k.journey.session.form["phone"] == "13800138000"


@pytest.mark.slow
def test_enter_on_the_last_field_with_errors_shows_them(qtbot, make_kiosk):
    k = make_kiosk()
    drive_to_form(qtbot, k, GANGAO)
    focus(qtbot, k, "form.field.phone")
    k.ui.type_text("13800138000")
    send_key(k, Qt.Key.Key_Enter)  # the keypad's Enter
    qtbot.waitUntil(lambda: k.ui.find("form.error.permit_number") is not None)
    assert k.vm.step == "form"


@pytest.mark.slow
def test_a_missing_choice_is_scrolled_into_view_without_opening_the_keyboard(qtbot, make_kiosk):
    k = make_kiosk(ui={"orientation": "landscape", "elder_mode": True})
    drive_to_form(qtbot, k, GANGAO)
    focus(qtbot, k, "form.field.permit_number")
    k.ui.type_text("C12345678")
    focus(qtbot, k, "form.field.phone")
    k.ui.type_text("13800138000")
    k.ui.get("form.flick").setProperty("contentY", 0)  # back at the top, as after reading the prefilled fields
    k.ui.tap("form.next")
    qtbot.waitUntil(lambda: k.ui.find("form.error.endorsement_type") is not None)
    qtbot.waitUntil(lambda: not panel(k).property("active") and shown_above_keyboard(k, "form.error.endorsement_type"))
    assert k.ui.find("form.error.permit_number") is None and k.ui.find("form.error.phone") is None


@pytest.mark.slow
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_a_landscape_form_without_the_keyboard_stands_in_two_columns_and_one_while_typing(qtbot, make_kiosk, elder):
    """Issue 17, Deliver 1: landscape is wide and short; with the keyboard closed the fields stand side by
    side (two columns) instead of one column running below the fold, the heading and 下一步 beside them;
    typing, one column again."""
    k = make_kiosk(ui={"orientation": "landscape", "elder_mode": elder})
    drive_to_form(qtbot, k, GANGAO)
    names = [f["name"] for f in k.vm.formFields][:4]
    qtbot.waitUntil(lambda: panel(k).property("active"))  # the cursor opened the keyboard: one column
    qtbot.waitUntil(lambda: len({round(scene_x(k, n)) for n in names}) == 1)
    QGuiApplication.inputMethod().hide()
    qtbot.waitUntil(lambda: not panel(k).property("active"))
    qtbot.waitUntil(lambda: len({round(scene_x(k, n)) for n in names}) == 2)
    first, second = (k.ui.get(f"form.card.{n}") for n in names[:2])
    assert scene_rect(first)[0] == pytest.approx(scene_rect(second)[0])  # side by side, on one line
    assert first.width() == pytest.approx(second.width()) and first.width() < k.ui.get("form.flick").width() / 2
    heading_beside_the_fields(qtbot, k)


def heading_beside_the_fields(qtbot, k) -> None:
    """Title, prompt and 下一步 in a column left of the fields, the prompt whole above the button."""
    from ui import layout_check

    qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [])  # once the rows have placed their children
    flick_left = k.ui.get("form.flick").mapToScene(QPointF(0, 0)).x()
    for name in ("page.title", "page.prompt", "form.next"):
        item = k.ui.get(name)
        assert item.mapToScene(QPointF(item.width(), 0)).x() <= flick_left, name
    assert scene_rect(k.ui.get("page.prompt"))[1] <= scene_rect(k.ui.get("form.next"))[0]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_a_small_landscape_elder_form_gives_the_fields_the_full_height_beside_its_heading(qtbot, make_kiosk, lang):
    """15.6-inch landscape, elder: the title, a two-line prompt and 下一步 over and under the fields left them
    about 30 mm; beside the heading the fields have the page's height (one column: two would be too narrow)."""
    from kiosk import screen as screens

    k = make_kiosk(ui={"orientation": "landscape", "elder_mode": True, "lang": lang},
                   screen={"diagonal_in": screens.PROFILES_IN["15.6"]})
    drive_to_form(qtbot, k, GANGAO)
    qtbot.waitUntil(lambda: panel(k).property("active"))
    QGuiApplication.inputMethod().hide()
    qtbot.waitUntil(lambda: not panel(k).property("active"))
    qtbot.waitUntil(lambda: k.ui.get("form.flick").height() >= 120 * k.vm.pxPerMm)
    heading_beside_the_fields(qtbot, k)


def scene_x(k, name) -> float:
    return k.ui.get(f"form.card.{name}").mapToScene(QPointF(0, 0)).x()


@pytest.mark.slow
@pytest.mark.parametrize("item", [GANGAO, WUFANZUI])
def test_a_small_portrait_elder_english_form_keeps_the_phone_and_its_label_above_the_number_pad(qtbot, make_kiosk,
                                                                                                 item):
    """15.6-inch portrait, elder, English (issue 17): under the two-row header and the elder number pad the
    phone typed on the pad must reach its field, and the field with its label stay in view above the pad."""
    from kiosk import screen as screens

    k = make_kiosk(ui={"elder_mode": True, "lang": "en_US"}, screen={"diagonal_in": screens.PROFILES_IN["15.6"]})
    drive_to_form(qtbot, k, item)
    focus(qtbot, k, "form.field.phone")
    qtbot.waitUntil(lambda: key_for(k, "5") is not None)
    tap_text(qtbot, k, "13800138000")
    qtbot.waitUntil(lambda: k.ui.get("form.field.phone").property("text") == "13800138000")
    assert k.journey.session.form["phone"] == "13800138000"
    qtbot.waitUntil(lambda: shown_above_keyboard(k, "form.field.phone") and shown_above_keyboard(k, "form.label.phone"))


@pytest.mark.slow
def test_a_landscape_form_with_long_codes_keeps_one_column_so_no_example_is_cut(qtbot, make_kiosk):
    """施工许可 (950000001000) in 21.5-inch landscape, elder, English: two columns cut its codes' examples
    ("e.g. 2024-440305-47-01-123456") and a hint's unbreakable code (the issue 17 sweep). The fields stand in
    two columns only where every example and every hint's longest word fit a column."""
    k = make_kiosk(ui={"orientation": "landscape", "elder_mode": True, "lang": "en_US"})
    drive_to_form(qtbot, k, "950000001000")
    qtbot.waitUntil(lambda: panel(k).property("active"))
    QGuiApplication.inputMethod().hide()
    qtbot.waitUntil(lambda: not panel(k).property("active"))
    assert not k.ui.get("form.fields").property("twoColumns")
    from ui import layout_check
    flick = k.ui.get("form.flick")
    for name in ("developer_uscc", "project_code", "contractor_uscc"):  # each card in view, whole
        k.ui.ensure_visible(k.ui.get(f"form.card.{name}"))
        qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [], timeout=2000)
    assert flick.property("contentHeight") > flick.height()  # one column: it scrolls instead
