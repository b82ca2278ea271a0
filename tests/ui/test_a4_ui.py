"""The A4 printer in the real QML UI. The demo panel gives the simulated A4 printer its faults (paper out, jam, offline) with one tap each, and
the kiosk's A4 printer reports each with its numbered error; 全部恢复 (reset) clears them."""
from __future__ import annotations

from devices import sim
from devices.errors import DeviceErrorCode as C
from tests.ui.test_demo_panel_scenarios import _press


def test_the_panel_faults_the_simulated_a4_printer_and_the_kiosk_reports_each_code(make_kiosk, qtbot):
    k = make_kiosk()
    a4 = k.comp.runtime.devices.get("a4")
    assert a4 is not None and k.comp.settings.devices.a4.url == "sim://a4"
    hw = sim.get_hardware("sim://a4")
    for fault, code in (("a4_paper_out", C.A4_PAPER_OUT), ("a4_jam", C.A4_JAM), ("a4_offline", C.A4_OFFLINE)):
        _press(k, qtbot, f"sim.fault.{fault}")
        qtbot.waitUntil(lambda: a4.refresh().result(5) is not None and a4.health().error_code == code, timeout=10000)
        _press(k, qtbot, "sim.reset")
        qtbot.waitUntil(lambda: hw.can_print() and a4.refresh().result(5).ok, timeout=10000)
    # what the demo kiosk's A4 printer prints lands in its data directory, as PNG pages
    job = a4.print_pdf(_one_page(), "demo").result(20)
    assert job.ok and hw.last_pages()[0].is_relative_to(k.comp.settings.data_dir / "a4-printed")


def _one_page() -> bytes:
    from kiosk.printing.a4_test import a4_test_pdf

    return a4_test_pdf("SZ-DEMO-0001", "sim://a4")


def test_the_consoles_a4_card_prints_the_a4_test_sheet_and_says_so(make_kiosk, qtbot):
    from tests.ui.test_maintenance_console import open_console, text

    k = make_kiosk()
    open_console(qtbot, k)
    qtbot.waitUntil(lambda: k.ui.find("maint.device.a4.test") is not None, timeout=10000)
    assert text(k, "maint.device.a4.test") == "打印A4测试页"   # not the camera's 测试拍摄
    k.ui.ensure_visible(k.ui.find("maint.device.a4.test"))
    k.ui.tap("maint.device.a4.test")
    qtbot.waitUntil(lambda: "A4测试页已打印（1 页" in text(k, "maint.device.a4.result"), timeout=20000)
    assert sim.get_hardware("sim://a4").last_pages()
