"""The result screen promises an SMS only when the platform said one will come (issue 18, SubmitResponse.sms)."""
from __future__ import annotations

import pytest

from kiosk.platform.schema import Decision
from tests.ui.test_ui_journey import at, drive_to_form, fill_form


def result_prompt(qtbot, k) -> str:
    drive_to_form(qtbot, k)
    fill_form(qtbot, k)
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "review"))
    k.ui.tap("review.confirm")
    qtbot.waitUntil(at(k, "result"), timeout=90000)
    return k.ui.get("page").property("item").property("prompt")


@pytest.mark.slow
@pytest.mark.parametrize("sms", [False, True])
def test_the_result_screen_promises_an_sms_only_when_the_platform_will_send_one(qtbot, make_kiosk, monkeypatch, sms):
    import central.workflow

    # The case goes to a person (not 秒批), so the screen says what happens next. Its item (参保证明) has no
    # mobile field: the platform's own answer is "no SMS"; the promised case stands for a platform that has one.
    monkeypatch.setattr(central.workflow, "decide", lambda *a, **kw: Decision(instant=False))
    if sms:
        monkeypatch.setattr(central.workflow, "sms_promised", lambda *a: True)
    k = make_kiosk(idle={"print_after_s": 120})  # the result screen stays (its 3 s auto-print would move it on)
    if sms:  # in English: the application says so, and the platform's messages will be in English
        k.vm.setLang("en_US")
    prompt = result_prompt(qtbot, k)
    assert k.journey.session.outcome.status == "received" and k.vm.outcome["sms"] is sms
    stored = k.comp.platform.store.find_by_reference(k.journey.session.outcome.reference)
    assert stored["manifest"]["language"] == ("en_US" if sms else "zh_CN")
    if sms:
        assert prompt == "Staff will review it soon; watch for a text message"
    else:
        assert prompt == "工作人员将尽快审核，可扫描回执二维码或在“进度查询”查看进度" and "短信" not in prompt
