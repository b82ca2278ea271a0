"""返回首页 on the goodbye while the 秒批 proof is on the A4 printer (sim://a4, the real IPP driver), on the real
screens: printing, the goodbye says 正在打印，请取走您的文书 with no countdown and no button and goes home once the
page is out; still waiting in the queue, the job is cancelled and the home screen says nothing came out and
where to print it again. Portrait (Chinese) and landscape (English, elder), the layout checker finding nothing.
KIOSK_TEST_SHOTS=DIR keeps the screens to look at."""
from __future__ import annotations

import pytest

from tests.ui.test_ui_offline import shot
from ui import layout_check
from ui.autopilot_driver import prop

CASES = pytest.mark.parametrize("orientation,elder,lang", [("portrait", False, "zh_CN"),
                                                          ("landscape", True, "en_US")],
                                ids=["portrait-standard-zh", "landscape-elder-en"])


def to_goodbye_with_the_proof_on_the_printer(qtbot, k):
    from tests.ui.test_ui_journey import at, drive_to_form, fill_form

    drive_to_form(qtbot, k)
    fill_form(qtbot, k)
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "review"))
    k.ui.tap("review.confirm")
    qtbot.waitUntil(lambda: k.vm.step == "receipt" and k.vm.outcome.get("printed"), timeout=60000)
    qtbot.waitUntil(lambda: k.vm.outcome["result"]["state"] == "printing", timeout=30000)
    qtbot.waitUntil(at(k, "receipt"))
    k.ui.tap("receipt.done")
    qtbot.waitUntil(at(k, "end"))


@CASES
def test_home_while_the_proof_prints_waits_for_it_and_says_to_take_it(qtbot, make_kiosk, orientation, elder, lang):
    k = make_kiosk(ui={"orientation": orientation, "elder_mode": elder, "lang": lang}, idle={"end_s": 600.0})
    en = lang == "en_US"
    a4 = k.hw["a4"]
    a4.set_hold(True)  # the proof is mid-page
    try:
        to_goodbye_with_the_proof_on_the_printer(qtbot, k)
        qtbot.waitUntil(lambda: str(prop(k.ui.get("end.home"), "text")).startswith("Back to start (" if en else "返回首页（"))
        k.ui.tap("end.home")
        qtbot.waitUntil(lambda: k.vm.outcome.get("leaving") == "printing" and not k.vm.busy, timeout=10000)
        qtbot.waitUntil(lambda: k.ui.find("end.leaving.text") is not None)
        said = "Printing: please take your document" if en else "正在打印，请取走您的文书"
        then = "The screen returns home by itself once printing ends" if en else "打印结束后将自动返回首页"
        assert prop(k.ui.get("end.leaving.text"), "text") == said
        assert prop(k.ui.get("end.leaving.then"), "text") == then
        assert k.ui.find("end.home") is None and k.vm.autoMove.get("kind") != "home"  # no button, no countdown
        assert k.vm.step == "end"
        qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [], timeout=3000)
        shot(k, f"end-leaving-printing-{orientation}-{'elder' if elder else 'standard'}-{lang}")
    finally:
        a4.set_hold(False)
    qtbot.waitUntil(lambda: k.vm.step == "home", timeout=30000)  # out: home by itself
    assert a4.last_pages()


@CASES
def test_home_while_the_proof_waits_in_the_queue_cancels_it_and_says_where_to_print_it(qtbot, make_kiosk,
                                                                                      orientation, elder, lang):
    k = make_kiosk(ui={"orientation": orientation, "elder_mode": elder, "lang": lang}, idle={"end_s": 600.0})
    en = lang == "en_US"
    a4 = k.hw["a4"]
    a4.set_hold_pending(True)  # a job ahead of it: the proof waits in the queue
    try:
        to_goodbye_with_the_proof_on_the_printer(qtbot, k)
        k.ui.tap("end.home")
        qtbot.waitUntil(lambda: k.vm.step == "home", timeout=10000)
        qtbot.waitUntil(lambda: (k.vm.notice or {}).get("code") == 2176, timeout=10000)
        text = k.vm.notice["text"]
        if en:
            assert "cancelled; nothing came out" in text and "My applications" in text
            assert text.startswith("Please take your ID card and your papers. ")  # the reminder stays, first
        else:
            assert "已为您取消，没有出纸" in text and "我的办件" in text
            assert text.startswith("请取走您的身份证和高拍仪下的材料。")
        qtbot.waitUntil(lambda: layout_check.problems(k.ui) == [], timeout=3000)
        shot(k, f"home-a4-withdrawn-{orientation}-{'elder' if elder else 'standard'}-{lang}")
    finally:
        a4.set_hold_pending(False)
    assert a4.last_pages() == []  # the queue moved on: nothing of the proof came out for the next citizen
