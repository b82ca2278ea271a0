"""本机打印 on the real screens (issues 15 and 18) for 个人参保证明查询打印 (920000008000, 秒批): with the A4
printer (sim://a4) the guide says 本机打印 / Printed here, there is no delivery step, and the printed receipt's
送达方式 line says where the proof is (the A4 tray, else 我的办件), never 窗口自取; without an A4 printer the
guide and the receipt say 窗口自取 and nothing promises a print. KIOSK_TEST_SHOTS=DIR keeps the screens."""
from __future__ import annotations

import pytest

from tests.ui.test_ui_journey import at, fill_form
from tests.ui.test_ui_offline import shot
from ui import layout_check
from ui.autopilot_driver import prop

ITEM = "920000008000"


def open_guide(qtbot, k):
    k.ui.tap("attract.start")
    qtbot.waitUntil(at(k, "home"))
    k.ui.tap("home.services")
    qtbot.waitUntil(at(k, "catalog"))
    k.ui.tap(k.ui.scroll_to(f"catalog.item.{ITEM}", "catalog.list"))
    qtbot.waitUntil(at(k, "guide"))


def to_receipt(qtbot, k):
    k.ui.tap("guide.start")
    qtbot.waitUntil(at(k, "identify"))
    k.hw["idcard"].place_card("graduate")
    qtbot.waitUntil(at(k, "form"), timeout=10000)
    fill_form(qtbot, k)
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "review"))  # straight from the form: no delivery step either way
    k.ui.tap("review.confirm")
    # the result screen prints the receipt by itself after 3 s: a loaded machine may look only once it has moved on
    qtbot.waitUntil(lambda: at(k, "result")() or k.vm.step == "receipt", timeout=90000)
    qtbot.waitUntil(lambda: k.vm.outcome.get("printed"), timeout=20000)
    return k.hw["printer"].last_receipt.text.replace("\n", "")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_with_an_a4_printer_the_proof_is_printed_here_and_the_guide_and_receipt_say_so(qtbot, make_kiosk, lang):
    k = make_kiosk(ui={"lang": lang})
    open_guide(qtbot, k)
    said = "Printed here" if lang == "en_US" else "本机打印"
    qtbot.waitUntil(lambda: prop(k.ui.get("guide.delivery"), "text") == said)
    assert layout_check.problems(k.ui) == []
    shot(k, f"selfprint-guide-a4-{lang}")
    receipt = to_receipt(qtbot, k)
    assert k.journey.session.delivery.method == "self_print"
    assert "本机打印" in receipt and "窗口自取" not in receipt
    # printed, or still in the tray when the receipt printed: either way the line says where it is
    assert "本机打印（已从A4出纸口打出）" in receipt or "请从A4出纸口取走；未取到可在“我的办件”打印" in receipt
    qtbot.waitUntil(lambda: k.vm.outcome["result"]["state"] == "printed", timeout=20000)
    assert k.hw["a4"].last_pages()
    shot(k, f"selfprint-receipt-a4-{lang}")


@pytest.mark.slow
def test_without_an_a4_printer_the_counter_is_the_delivery_and_nothing_promises_a_print(qtbot, make_kiosk):
    k = make_kiosk(devices={"a4": {"url": "", "enabled": False}})
    assert k.comp.runtime.devices.get("a4") is None
    open_guide(qtbot, k)
    qtbot.waitUntil(lambda: prop(k.ui.get("guide.delivery"), "text") == "窗口自取")
    shot(k, "selfprint-guide-no-a4")
    receipt = to_receipt(qtbot, k)
    assert k.journey.session.delivery.method == "pickup"
    assert "窗口自取" in receipt and "本机打印" not in receipt and "A4" not in receipt
    shot(k, "selfprint-receipt-no-a4")


@pytest.mark.slow
def test_an_a4_fault_after_the_start_says_to_print_it_from_mine_on_screen_and_receipt(qtbot, make_kiosk):
    k = make_kiosk(idle={"print_after_s": 120})  # the result screen stays until 打印回执 is tapped
    open_guide(qtbot, k)
    qtbot.waitUntil(lambda: prop(k.ui.get("guide.delivery"), "text") == "本机打印")  # the offer is made here
    k.ui.tap("guide.start")
    qtbot.waitUntil(at(k, "identify"))
    k.hw["idcard"].place_card("graduate")
    qtbot.waitUntil(at(k, "form"), timeout=10000)
    fill_form(qtbot, k)
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "review"))
    k.hw["a4"].set_jam(True)  # the simulator outlives the kiosk (one per URL): cleared after
    try:
        k.ui.tap("review.confirm")
        qtbot.waitUntil(lambda: k.vm.outcome.get("result", {}).get("state") == "failed", timeout=30000)
    finally:
        k.hw["a4"].set_jam(False)
    assert k.vm.step == "result"
    page = k.ui.get("page").property("item")
    qtbot.waitUntil(lambda: page.property("prompt") ==
                    "系统已自动审核通过（秒批），结果文书可在任一自助终端的“我的办件”中打印")
    shot(k, "selfprint-result-a4-jam")
    k.ui.tap("result.print")
    qtbot.waitUntil(lambda: k.vm.outcome.get("printed"), timeout=20000)
    receipt = k.hw["printer"].last_receipt.text.replace("\n", "")
    assert "本机未打印结果，请在“我的办件”打印" in receipt
    assert "已从A4出纸口打出" not in receipt and "窗口自取" not in receipt
    shot(k, "selfprint-receipt-a4-jam")
