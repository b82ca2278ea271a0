"""Home screen services: search by pinyin initials, status query, bills, help, voice prompts."""
from __future__ import annotations

import pytest

from tests.ui.test_ui_journey import at, drive_to_form, fill_form


def go_home(qtbot, k):
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))


def test_typing_pinyin_initials_finds_the_item(qtbot, make_kiosk):
    k = make_kiosk()
    go_home(qtbot, k)
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.tap("catalog.search")
    k.ui.type_text("wfz")
    qtbot.waitUntil(lambda: k.vm.catalogFilter["kind"] == "search")
    assert k.vm.items[0]["name"] == "无犯罪记录证明"
    k.ui.tap("catalog.item.312000218000")
    qtbot.waitUntil(at(k, "guide"))


def test_department_chips_filter_the_list(qtbot, make_kiosk):
    k = make_kiosk()
    go_home(qtbot, k)
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.tap("catalog.group.department.公安")
    qtbot.waitUntil(lambda: k.vm.catalogFilter["value"] == "公安")
    assert k.vm.items and all(i["department"] == "公安" for i in k.vm.items)


def test_bills_show_only_utility_payments(qtbot, make_kiosk):
    k = make_kiosk()
    go_home(qtbot, k)
    k.ui.tap("home.bills")
    qtbot.waitUntil(at(k, "catalog"))
    assert {i["kind"] for i in k.vm.items} == {"bill_payment"} and len(k.vm.items) == 3


@pytest.mark.slow
def test_a_citizen_tracks_an_application_by_its_number(qtbot, make_kiosk):
    k = make_kiosk(idle={"print_after_s": 120})  # the result screen stays (its 3 s auto-print would move it on)
    drive_to_form(qtbot, k)
    fill_form(qtbot, k)
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "review"))
    k.ui.tap("review.confirm")
    qtbot.waitUntil(at(k, "result"), timeout=90000)
    reference = k.journey.session.outcome.reference
    k.journey.end_session()
    qtbot.waitUntil(at(k, "attract"))
    go_home(qtbot, k)
    k.ui.tap("home.status")
    qtbot.waitUntil(at(k, "status"))
    k.ui.tap("status.input")
    k.ui.type_text("SZ123")
    k.ui.tap("status.query")
    qtbot.waitUntil(lambda: k.vm.notice.get("code") == 2016)
    k.ui.get("status.input").setProperty("text", "")
    k.ui.tap("status.input")
    k.ui.type_text(reference)
    k.ui.tap("status.query")
    qtbot.waitUntil(lambda: k.ui.find("status.state") is not None
                    and k.ui.get("status.state").property("text") == "秒批通过", timeout=10000)  # 参保证明: issued at once
    assert k.vm.statusResult.get("reference") == reference
    assert k.vm.statusResult["item"] == "个人参保证明查询打印"


def test_help_reaches_the_platform_and_says_so_with_the_phone_number(qtbot, make_kiosk):
    k = make_kiosk()
    go_home(qtbot, k)
    k.ui.tap("home.help")
    # Filed at the (embedded) platform: the screen says it reached staff, with the location's phone number.
    qtbot.waitUntil(lambda: k.vm.notice.get("code") == 2065, timeout=10000)
    assert k.ui.find("notice") is not None and k.journey.settings.help.phone in k.vm.notice["text"]
    assert k.journey.session.help.held


def test_help_is_on_every_screen_of_an_application(qtbot, make_kiosk):
    k = make_kiosk()
    drive_to_form(qtbot, k)
    k.ui.tap("header.help")
    qtbot.waitUntil(lambda: k.vm.notice.get("code") in (2015, 2065))
    assert k.vm.step == "form"  # the citizen's work stays


def test_every_step_speaks_its_instruction_in_the_current_language(qtbot, make_kiosk):
    k = make_kiosk(ui={"voice": True, "voice_engine": "mock"})
    go_home(qtbot, k)
    voice = k.app.voice
    # the journey's step event reaches the voice through a queued signal: it may follow the screen by a frame
    qtbot.waitUntil(lambda: voice.said[-1:] == ["您好，请选择要办理的业务"])
    k.ui.tap("header.lang")
    qtbot.waitUntil(lambda: k.vm.lang == "en_US")
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    qtbot.waitUntil(lambda: voice.said[-1:] == ["Please choose a service"])


def test_elder_mode_keeps_every_home_function_bigger_and_says_how_to_go_back(qtbot, make_kiosk):
    """An elder needs bills, language and help too (elder mode used to hide the first two and cut help off)."""
    k = make_kiosk()
    go_home(qtbot, k)
    normal_h = k.ui.get("home.services").height()
    k.ui.tap("home.elder")
    qtbot.waitUntil(lambda: k.vm.elder)
    for name in ("home.services", "home.status", "home.bills", "home.elder", "home.lang", "home.help"):
        tile = k.ui.get(name)
        assert tile.isEnabled() and tile.height() > normal_h, name  # shown, enabled, bigger
    from ui import layout_check
    from ui.autopilot_driver import prop
    assert layout_check.control_problems(k.ui) == []  # none of them below the screen's edge
    texts = [prop(i, "text") for i in layout_check._screen_items(k.ui) if prop(i, "text")]
    assert "恢复标准字号" in texts and "字更大，操作更简单" not in texts  # the mode tile tells the way back


def test_a_device_out_of_service_is_announced_calmly_on_home_and_cleared_when_back(qtbot, make_kiosk):
    k = make_kiosk()
    go_home(qtbot, k)
    k.hw["printer"].set_paper("out")
    qtbot.waitUntil(lambda: k.ui.find("deviceAlert.printer") is not None, timeout=10000)
    alert = k.vm.deviceAlerts[0]
    assert alert["code"] == 1201 and "打印机" in alert["text"]
    from ui import layout_check
    from ui.autopilot_driver import prop
    shown = [str(prop(i, "text")) for i in layout_check._screen_items(k.ui) if prop(i, "text")]
    assert not any("1201" in t or "代码" in t for t in shown)  # the code is the technician's, not the citizen's
    k.hw["printer"].set_paper("ok")
    qtbot.waitUntil(lambda: k.ui.find("deviceAlert.printer") is None, timeout=10000)


@pytest.mark.slow
def test_the_printed_receipt_qr_under_the_camera_opens_its_status(qtbot, make_kiosk):
    """Issue 5's loop: the receipt the kiosk printed, shown to the document camera, opens the status screen."""
    from kiosk.printing.receipt import tracking_payload

    k = make_kiosk(idle={"print_after_s": 120})  # the result screen stays until 打印回执 is tapped
    drive_to_form(qtbot, k)
    fill_form(qtbot, k)
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "review"))
    k.ui.tap("review.confirm")
    qtbot.waitUntil(at(k, "result"), timeout=90000)
    k.ui.tap("result.print")
    qtbot.waitUntil(lambda: k.vm.outcome.get("printed"), timeout=10000)
    reference = k.journey.session.outcome.reference
    printed = k.hw["printer"].last_receipt.qr_payloads[0].decode()
    token = k.comp.runtime.outbox.get(k.journey.session.application_id).result["tracking_token"]
    assert printed == tracking_payload(k.comp.settings.platform.tracking_url, token)  # the token, not the number
    k.journey.end_session()
    qtbot.waitUntil(at(k, "attract"))
    go_home(qtbot, k)
    k.hw["camera"].show_payload(printed)  # the citizen holds the receipt under the camera
    qtbot.waitUntil(lambda: k.ui.find("status.state") is not None, timeout=15000)
    assert k.vm.step == "status" and k.vm.statusResult["reference"] == reference


def test_a_bill_barcode_at_the_scanner_opens_its_payment_with_the_account_filled(qtbot, make_kiosk):
    k = make_kiosk()
    go_home(qtbot, k)
    k.hw["barcode"].scan("(415)6901234000016(8020)0100123456(3902)12345")
    qtbot.waitUntil(lambda: k.vm.step == "form" and k.vm.fieldValues.get("account_no") == "0100123456",
                    timeout=10000)
    assert k.journey.session.item.code == "960000001000"
