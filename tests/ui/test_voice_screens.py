"""The voice on the real screens (issue 17, item 5), with Qt's mock engine: the kiosk says the actual outcome
and the number to keep, the countdown, the notices the screen shows, and what a QML screen asks it to say."""
from __future__ import annotations

import pytest
from PySide6.QtQml import QQmlComponent

from kiosk.speech.words import digits, speakable
from tests.ui.test_ui_home import go_home
from tests.ui.test_ui_journey import at, drive_to_form, fill_form, type_into


@pytest.mark.slow
def test_the_result_screen_says_the_decision_taken_and_the_number_digit_by_digit(qtbot, make_kiosk):
    k = make_kiosk(idle={"print_after_s": 120})  # the result screen stays (its 3 s auto-print would move it on)
    drive_to_form(qtbot, k)
    # the step event reaches the voice through a queued signal: it may follow the screen by a frame (CI)
    qtbot.waitUntil(lambda: k.app.voice.said[-1:] == ["请核对并填写信息"])
    fill_form(qtbot, k)
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "review"))
    k.ui.tap("review.confirm")
    qtbot.waitUntil(at(k, "result"), timeout=90000)
    outcome = k.journey.session.outcome
    qtbot.waitUntil(lambda: any(digits(outcome.reference, "zh_CN") in s for s in k.app.voice.said))
    said = next(s for s in k.app.voice.said if digits(outcome.reference, "zh_CN") in s)
    shown = k.vm.outcome["statusText"]
    if outcome.status == "approved":
        assert said.startswith("已审批通过") and shown == "秒批通过"
    else:
        assert said.startswith("申请已受理，工作人员将审核") and "审批通过" not in said
    assert said.endswith(f"受理编号 {digits(outcome.reference, 'zh_CN')}")


@pytest.mark.slow
def test_the_countdown_is_said_when_it_appears(qtbot, make_kiosk):
    # the countdown shows 8 s, not 2: a loaded machine that looked at the form 2 s late found attract already
    k = make_kiosk(idle={"timeout_s": 8.5, "warning_s": 8.0, "attract_after_s": 30})
    drive_to_form(qtbot, k)
    type_into(qtbot, k, "form.field.from_month", "2023")
    qtbot.waitUntil(lambda: k.ui.find("countdown") is not None, timeout=5000)
    qtbot.waitUntil(lambda: any(s.startswith("为保护您的信息，还有8秒将结束办理") for s in k.app.voice.said))


def test_a_notice_the_screen_shows_is_said_as_shown(qtbot, make_kiosk):
    k = make_kiosk()
    go_home(qtbot, k)
    k.ui.tap("home.help")
    qtbot.waitUntil(lambda: bool(k.vm.notice.get("text")))
    text = k.vm.notice["text"]
    spoken = speakable(text, "zh_CN")
    qtbot.waitUntil(lambda: spoken in k.app.voice.said)
    assert spoken.endswith("一 二 三 四 五") and text.endswith("12345")  # the help line, digit by digit
    assert str(k.vm.notice["code"]) not in spoken  # technicians' codes are not read out


def test_a_qml_screen_can_say_a_form_error_with_its_number_digit_by_digit(qtbot, make_kiosk):
    k = make_kiosk()
    go_home(qtbot, k)
    component = QQmlComponent(k.app.engine)
    component.setData(b'import QtQuick\nQtObject { Component.onCompleted: voice.speak("\xe8\xaf\xb7\xe6\xa0\xb8\xe5'
                      b'\xaf\xb9\xe6\x89\x8b\xe6\x9c\xba\xe5\x8f\xb7\xe7\xa0\x81 13800138000") }', "")
    obj = component.create(k.app.engine.rootContext())
    assert obj is not None, component.errorString()
    assert k.app.voice.said[-1] == "请核对手机号码 一 三 八 零 零 一 三 八 零 零 零"
