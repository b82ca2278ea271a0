"""The technicians' console in the real QML UI: hidden gesture + PIN, and fixing a wrongly configured printer
port without a terminal (the issue's "done when")."""
from __future__ import annotations

import os

import pytest

from devices import sim
from kiosk.maintenance.devices import Discovery, serial_ports
from kiosk.settings import LOCAL_SETTINGS, default_files, load_settings
from tests.helpers.serial_pty import FakeSerialDevice

WRONG_PORT = "serial:///dev/ttyNOPE0?baudrate=115200"  # a port that does not exist on this machine


def open_console(qtbot, k, pin="2468"):
    k.ui.tap("attract.start")
    qtbot.waitUntil(lambda: k.vm.step == "home" and k.ui.find("home.maintenanceCorner") is not None)
    for _ in range(k.app.maint.gestureTaps):
        k.ui.tap("home.maintenanceCorner")
    qtbot.waitUntil(lambda: k.ui.find("maint.pinpad") is not None)
    for digit in pin:
        k.ui.tap(f"maint.key.{digit}")
    k.ui.tap("maint.key.ok")


def text(k, name):
    return k.ui.property_of(name, "text") or ""


@pytest.fixture
def printer_on_a_real_port():
    hw = sim.get_hardware("sim://printer?name=hall")
    port = FakeSerialDevice(hw)
    yield hw, port
    port.close()


@pytest.mark.slow
def test_a_technician_finds_and_fixes_a_wrong_printer_port_from_the_console(qtbot, make_kiosk,
                                                                            printer_on_a_real_port):
    hw, port = printer_on_a_real_port
    k = make_kiosk(devices={"printer": {"url": WRONG_PORT}})
    # What discovery lists on the kiosk: pyserial's ports, plus the USB adapter the printer hangs on (a pty here,
    # which sysfs does not list, so the test hands it to the lister).
    k.app.maintenance.discovery = Discovery(serial=lambda: [(port.path, "USB-Serial CH340")] + serial_ports())
    open_console(qtbot, k)
    qtbot.waitUntil(lambda: k.ui.find("maint.device.printer.state") is not None)

    # The console says what is wrong and what to do.
    qtbot.waitUntil(lambda: "OFFLINE" in text(k, "maint.device.printer.state"), timeout=10000)
    assert "代码 1001" in text(k, "maint.device.printer.code")
    assert "dialout" in text(k, "maint.device.printer.remedy")  # the registry's remedy for 1001
    assert "/dev/ttyNOPE0" in text(k, "maint.device.printer.url")

    # The technician picks the port discovery found, keeps 115200 baud, saves.
    k.ui.tap("maint.device.printer.edit")
    qtbot.waitUntil(lambda: k.ui.find("maint.url.field") is not None)
    listed = [c["label"] for c in k.app.maint.candidates]
    index = next(i for i, label in enumerate(listed) if "CH340" in label)  # the row the technician reads
    k.ui.tap(f"maint.candidate.{index}")
    assert text(k, "maint.url.field") == f"serial://{port.path}?baudrate=115200"
    k.ui.tap("maint.baud.115200")
    k.ui.tap("maint.url.apply")

    # Live: the printer comes online on the new port; the setting is saved where updates do not touch it.
    qtbot.waitUntil(lambda: "IDLE" in text(k, "maint.device.printer.state"), timeout=10000)
    assert k.ui.find("maint.device.printer.code") is None
    new_url = f"serial://{port.path}?baudrate=115200"
    local = k.comp.settings.data_dir / LOCAL_SETTINGS
    assert new_url in local.read_text(encoding="utf-8")
    assert load_settings(default_files(True), data_dir=k.comp.settings.data_dir).devices.printer.url == new_url

    # A test receipt goes through the real driver over the serial port to the printer.
    k.ui.tap("maint.device.printer.test")
    qtbot.waitUntil(lambda: "Test receipt printed" in text(k, "maint.device.printer.result")
                    or "测试单已打印" in text(k, "maint.device.printer.result"), timeout=10000)
    assert hw.last_receipt is not None and "打印测试" in hw.last_receipt.text

    k.ui.tap("maint.leave")
    qtbot.waitUntil(lambda: k.ui.find("maint.console") is None)
    if os.environ.get("KIOSK_SCREENSHOTS"):
        k.ui.grab().save(os.path.join(os.environ["KIOSK_SCREENSHOTS"], "after-leave.png"))


@pytest.mark.slow
def test_wrong_pins_are_counted_on_screen_and_the_console_stays_shut(qtbot, make_kiosk):
    k = make_kiosk(maintenance={"max_attempts": 3})
    open_console(qtbot, k, pin="1111")
    qtbot.waitUntil(lambda: "2" in text(k, "maint.message"))
    for digit in "1111":
        k.ui.tap(f"maint.key.{digit}")
    k.ui.tap("maint.key.ok")
    for digit in "1111":
        k.ui.tap(f"maint.key.{digit}")
    k.ui.tap("maint.key.ok")
    qtbot.waitUntil(lambda: k.app.maint.state == "locked")
    assert "locked" in text(k, "maint.message")
    for digit in "2468":  # the right PIN, but the pad is locked
        k.ui.tap(f"maint.key.{digit}")
    k.ui.tap("maint.key.ok")
    assert k.app.maint.state == "locked" and k.ui.find("maint.device.printer.state") is None
    k.ui.tap("maint.cancel")
    qtbot.waitUntil(lambda: k.ui.find("maint.console") is None)


@pytest.mark.slow
def test_the_pad_asks_for_the_badge_first_and_then_the_pin_and_neither_alone_opens_it(qtbot, make_kiosk, tmp_path):
    k = make_kiosk()
    m = k.app.maintenance
    m.store.set_pin("480317")  # a real PIN: the demo PIN no longer opens it
    m.store.add_badge("TECH-BADGE-0042", "zhang")
    open_console(qtbot, k, pin="480317")  # the PIN alone: refused before it is even checked
    qtbot.waitUntil(lambda: "badge" in text(k, "maint.message"))
    assert k.app.maint.state == "prompt" and k.app.maint.needToken
    assert "工牌" in text(k, "maint.factor.prompt")
    shot = os.environ.get("KIOSK_SCREENSHOTS") or str(tmp_path)
    k.ui.grab(crop_to=None).save(os.path.join(shot, "maintenance-login.png"))
    k.hw["barcode"].scan("TECH-BADGE-0042")  # the badge alone: the pad now asks for the PIN
    qtbot.waitUntil(lambda: k.app.maint.holder == "zhang")
    qtbot.waitUntil(lambda: "zhang" in text(k, "maint.factor.token"))  # the screen follows the model a frame later
    assert k.app.maint.state == "prompt"
    assert text(k, "maint.message") == "" and "密码" in text(k, "maint.factor.prompt")
    k.ui.grab(crop_to=None).save(os.path.join(shot, "maintenance-login-pin.png"))
    for digit in "480317":
        k.ui.tap(f"maint.key.{digit}")
    k.ui.tap("maint.key.ok")
    qtbot.waitUntil(lambda: k.app.maint.state == "open")
    assert k.app.maint.who == "zhang"


def test_a_closed_kiosk_console_no_longer_ticks_so_its_idle_timeout_never_writes_to_a_closed_trail(qtbot, make_kiosk):
    """The console's idle timer kept running after the kiosk closed; when an open console timed out later, its
    leave() wrote to the closed audit trail and raised in the event loop of whatever ran next (a whole-suite
    failure of an unrelated test)."""
    k = make_kiosk()
    open_console(qtbot, k)
    qtbot.waitUntil(lambda: k.app.maint.state == "open")
    assert k.app.maint._timer.isActive()
    k.app.close()  # the fixture closes the runtime (and its trail) afterwards
    assert not k.app.maint._timer.isActive()
