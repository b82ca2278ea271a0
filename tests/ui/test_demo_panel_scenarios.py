"""The demo panel's screen-size profiles and its platform scenarios (issue 23), offscreen.

Each control is pressed as a tester presses it (a tap on the panel); what it says is then checked where it
happens: the scene's item sizes, the reference platform's answer to the kiosk's own client.
"""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk.errors import KioskErrorCode
from kiosk.screen import profile

WATER = ("960000002000", "20012345")        # the panel's water bill (ui.demo.sim_panel.DEMO_BILLS)
ELECTRICITY = ("960000001000", "0100123456")


def _press(k, qtbot, name: str) -> None:
    """Tap a panel control once it is laid out inside the window (the panel is placed after the scene)."""
    def placed() -> bool:
        item = k.ui.find(name)
        if item is None:
            return False
        k.ui.ensure_visible(item)
        p = k.ui.center(item)
        return 0 <= p.x() < k.app.window.width() and 0 <= p.y() < k.app.window.height()
    qtbot.waitUntil(placed, timeout=10000)
    k.ui.tap(name)


def _start(k, qtbot):
    qtbot.waitUntil(lambda: k.ui.find("attract.start") is not None, timeout=10000)
    k.ui.tap("attract.start")
    qtbot.waitUntil(lambda: k.vm.step == "home" and k.ui.find("header.lang") is not None, timeout=10000)


def test_choosing_the_15_6_inch_profile_keeps_a_button_the_same_millimetres_in_more_pixels_than_32(
        make_kiosk, qtbot):
    k = make_kiosk()
    _start(k, qtbot)
    button = k.ui.get("header.lang")  # a control sized in theme millimetres (Theme.button)
    _press(k, qtbot, "sim.profile.32")
    qtbot.waitUntil(lambda: k.vm.screenProfile == "32")
    big = profile("32", "portrait").px_per_mm
    qtbot.waitUntil(lambda: abs(k.vm.pxPerMm - big) < 1e-9)
    h32 = float(button.height())
    _press(k, qtbot, "sim.profile.15.6")
    small = profile("15.6", "portrait").px_per_mm
    qtbot.waitUntil(lambda: k.vm.screenProfile == "15.6" and float(button.height()) > h32 * 1.5)
    h15 = float(button.height())
    assert k.ui.find("header.lang") is button, "the screen was rebuilt, not re-laid out"
    assert h15 > h32, (h15, h32)
    # Same millimetres on either glass (px rounds up: within one pixel of each screen's mm)
    assert abs(h15 / small - h32 / big) <= 1 / big + 1 / small, (h15 / small, h32 / big)
    assert h32 / big >= 20, "a control stays >= 20 mm on the 32-inch screen"


def test_profile_survives_turning_the_screen(make_kiosk, qtbot):
    k = make_kiosk()
    k.vm.setScreenProfile("15.6")
    k.vm.setOrientation("landscape")
    assert k.vm.screenProfile == "15.6"
    assert k.vm.pxPerMm == pytest.approx(profile("15.6", "landscape").px_per_mm)
    k.vm.setScreenProfile("no such size")
    assert k.vm.screenProfile == "15.6"


def test_bill_already_paid_scenario_makes_the_platform_answer_paid_to_the_kiosk(make_kiosk, qtbot):
    k = make_kiosk()
    client = k.comp.runtime.client
    assert client.lookup_bill(*ELECTRICITY).status == "open"
    _press(k, qtbot, "sim.scenario.bill_paid")
    qtbot.waitUntil(lambda: k.app.sim.scenario == "bill_paid")
    bill = client.lookup_bill(*ELECTRICITY)
    assert bill.status == "paid" and bill.transaction_id and bill.paid_at, bill
    assert client.lookup_bill(*WATER).status == "open", "only the demo's electricity bill is paid"
    _press(k, qtbot, "sim.scenario.bill_paid")  # twice: still one paid bill, nothing breaks
    assert client.lookup_bill(*ELECTRICITY).transaction_id == bill.transaction_id


def test_payment_expires_scenario_lets_a_new_order_expire_while_the_tester_watches(make_kiosk, qtbot):
    k = make_kiosk(ui={"demo_payment_expires_s": 2.0})
    client = k.comp.runtime.client
    _press(k, qtbot, "sim.scenario.payment_expires")
    qtbot.waitUntil(lambda: k.app.sim.scenario == "payment_expires")
    order = client.create_payment("DEMO-EXPIRY-0001", WATER[0], {"account_no": WATER[1]})
    assert order.status == "pending"
    lives = dt.datetime.fromisoformat(order.expires_at) - dt.datetime.now(dt.UTC)
    assert lives.total_seconds() <= 3, f"the order lives {lives}, not the scenario's 2 s"
    qtbot.waitUntil(lambda: client.payment(order.order_id).status == "expired", timeout=8000)
    # 全部恢复: orders live their configured time again
    _press(k, qtbot, "sim.reset")
    again = client.create_payment("DEMO-EXPIRY-0002", ELECTRICITY[0], {"account_no": ELECTRICITY[1]})
    lives = dt.datetime.fromisoformat(again.expires_at) - dt.datetime.now(dt.UTC)
    assert lives.total_seconds() > 60


def test_after_bill_already_paid_scanning_the_demo_bill_tells_the_citizen_it_is_paid_with_no_qr_code(
        make_kiosk, qtbot):
    k = make_kiosk()
    _start(k, qtbot)
    _press(k, qtbot, "sim.scenario.bill_paid")
    qtbot.waitUntil(lambda: k.app.sim.scenario == "bill_paid")
    _press(k, qtbot, "sim.bill.electricity")  # what the panel's hint says to do next: scan, then 下一步
    qtbot.waitUntil(lambda: k.vm.step == "form" and k.ui.find("form.next") is not None and not k.vm.busy,
                    timeout=15000)
    k.ui.tap("form.next")
    qtbot.waitUntil(lambda: k.vm.payment.get("status") == "already_paid", timeout=15000)
    assert k.vm.step == "payment"
    # BILL_ALREADY_PAID: nothing to pay, no QR code (the notice follows the status from the worker thread)
    qtbot.waitUntil(lambda: k.vm.notice.get("code") == 2050, timeout=5000)
    assert not k.vm.payment.get("qr"), k.vm.payment


def test_after_payment_expires_the_kiosks_payment_qr_code_expires_on_screen(make_kiosk, qtbot):
    # 8 s, not 2: the QR code's "pending" is waited for as it shows, and a loaded machine's GUI thread may look late
    k = make_kiosk(ui={"demo_payment_expires_s": 8.0})
    _start(k, qtbot)
    _press(k, qtbot, "sim.scenario.payment_expires")
    qtbot.waitUntil(lambda: k.app.sim.scenario == "payment_expires")
    _press(k, qtbot, "sim.bill.water")
    qtbot.waitUntil(lambda: k.vm.step == "form" and k.ui.find("form.next") is not None and not k.vm.busy,
                    timeout=15000)
    k.ui.tap("form.next")
    qtbot.waitUntil(lambda: k.vm.payment.get("status") == "pending", timeout=15000)  # the QR code is shown
    qtbot.waitUntil(lambda: k.vm.payment.get("status") == "expired", timeout=30000)
    qtbot.waitUntil(lambda: k.vm.notice.get("code") == KioskErrorCode.PAYMENT_EXPIRED, timeout=10000)
