"""The A4 printer in the technician's tools: the console lists the print server's queues, validates
cups:// URLs, applies one live and prints the A4 test sheet; the doctor reads the queue's state reasons;
the monitor's supply alerts name paper or toner as they are."""
from __future__ import annotations

import json
import re
import subprocess

import pytest

from devices import sim
from devices.base import Supply
from kiosk.maintenance.console import Maintenance
from kiosk.maintenance.devices import Discovery, validate_url
from kiosk.maintenance.doctor import Doctor, Status
from kiosk.ops.monitor import DeviceWatch
from kiosk.printing.a4_test import TEST_LINES, TEST_MARK, a4_test_pdf
from kiosk.runtime import build_runtime
from kiosk.settings import default_files, load_settings
from tests.helpers.fakes import FakeClock, wait_until


@pytest.fixture
def console(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path,
                             overrides={"devices": {"a4": {"options": {"check_interval_s": 0.2}}}})
    rt = build_runtime(settings, "http://127.0.0.1:9")
    rt.start()
    m = Maintenance(rt, monotonic=FakeClock(5_000.0), boot=lambda: "boot-A",
                    discovery=Discovery(serial=lambda: [], cameras=lambda: [], keyboards=lambda: [],
                                        queues=lambda: [("Hall-A4", "HP LaserJet M404"), ("pdf", "")], demo=True))
    m.request_entry()
    m.enter_pin("2468")
    yield m, rt
    m.close()
    rt.stop()


def test_the_console_offers_the_simulator_and_every_cups_queue_for_the_a4_printer(console):
    m, _ = console
    found = m.candidates("a4")
    assert [c.url for c in found] == ["sim://a4", "cups://Hall-A4", "cups://pdf"]
    assert "HP LaserJet M404" in found[1].label


@pytest.mark.parametrize("url, problem", [
    ("cups://Hall-A4", None), ("cups://Hall-A4?server=10.0.0.5:631&job_timeout_s=90", None), ("sim://a4", None),
    ("cups://Hall-A4?colour=yes", "unknown parameter"), ("cups://", "queue name"),
    ("serial:///dev/ttyS1", "a4 accepts cups://, sim://"),
])
def test_a4_urls_are_validated_before_they_are_saved(url, problem):
    problems = validate_url("a4", url)
    assert (problems == []) if problem is None else any(problem in p for p in problems), problems


def test_the_a4_test_prints_the_test_sheet_and_a_jam_is_shown_with_its_code(console, tmp_path):
    m, rt = console
    assert "a4" in [row["name"] for row in m.device_rows()]
    wait_until(lambda: rt.devices.get("a4").state.value == "idle")
    result = m.test_device("a4").result(20)
    assert result.ok and result.details["pages"] == 1 and "A4测试页已打印" in result.zh
    hw = sim.get_hardware("sim://a4")
    assert hw.last_pages()[0].is_relative_to(tmp_path / "a4-printed")
    hw.set_jam(True)
    wait_until(lambda: rt.devices.get("a4").state.value == "error", timeout_s=10)
    jammed = m.test_device("a4").result(10)
    assert not jammed.ok and jammed.code == 1253 and jammed.zh == "A4打印机卡纸"


def test_the_console_applies_a_cups_queue_live_and_saves_no_wiring_detail(console):
    m, rt = console
    assert m.apply_url("a4", "cups://Hall-A4?server=127.0.0.1:9") == []
    assert rt.devices.get("a4").url == "cups://Hall-A4?server=127.0.0.1:9"
    wait_until(lambda: rt.devices.get("a4").health().error_code == 1250, timeout_s=10)   # nothing listens there
    saved = load_settings(default_files(True), data_dir=rt.settings.data_dir).devices.a4
    assert saved.url == "cups://Hall-A4?server=127.0.0.1:9" and "sim_output_dir" not in saved.options
    assert m.apply_url("a4", "sim://a4") == []   # back to the simulator: it renders into the data directory again
    assert rt.devices.get("a4").options["sim_output_dir"] == str(rt.settings.data_dir / "a4-printed")


def _doctor(tmp_path, **a4):
    others = {name: {"enabled": False} for name in ("idcard", "printer", "camera", "barcode")}
    settings = load_settings(default_files(True), data_dir=tmp_path, overrides={"devices": {
        **others, "a4": {"url": "sim://a4", "options": {"check_interval_s": 0.2}, **a4}}})
    return Doctor(settings, use_heartbeat=False, device_timeout_s=5)


def test_the_doctor_checks_the_a4_printers_state_reasons(tmp_path):
    hw = sim.get_hardware("sim://a4")
    ok = {c.name: c for c in _doctor(tmp_path).devices()}["device a4"]
    assert ok.status == Status.OK and "reasons none" in ok.detail
    hw.set_toner("low")
    low = {c.name: c for c in _doctor(tmp_path).devices()}["device a4"]
    assert low.status == Status.WARN and "toner-low-report" in low.detail and "toner" in low.remedy
    hw.set_toner("ok")
    hw.set_paused(True)
    paused = {c.name: c for c in _doctor(tmp_path).devices()}["device a4"]
    assert paused.status == Status.FAIL and "[1257]" in paused.detail and "cupsenable" in paused.remedy


def test_the_doctor_asks_a_running_kiosks_heartbeat_about_the_a4_printers_toner(tmp_path):
    settings = load_settings(default_files(False), data_dir=tmp_path,
                             overrides={"devices": {"a4": {"url": "cups://Hall-A4", "enabled": True}}})
    (settings.path("monitoring") / "heartbeat.json").write_text(json.dumps({"devices": {
        "a4": {"state": "idle", "supplies": {"paper": "ok", "toner": "low"}}}}), encoding="utf-8")
    check = {c.name: c for c in Doctor(settings).devices()}["device a4"]
    assert check.status == Status.WARN and "toner" in check.detail and "toner cartridge" in check.remedy
    assert "paper roll" not in check.remedy


def test_supply_alerts_name_toner_for_the_a4_printer_and_paper_rolls_for_the_receipt_printer():
    raised = []

    class Alerts:
        def raise_(self, key, level, zh, en, **kw):
            raised.append((key, level, zh, kw.get("code")))

        def clear(self, key):
            pass

    class NoDevices:
        def subscribe(self, listener):
            return lambda: None

        def health(self):
            return {}

    watch = DeviceWatch(NoDevices(), Alerts(), lambda *a: None)
    watch._supply("a4", "toner", Supply.LOW)
    watch._supply("a4", "paper", Supply.OUT)
    watch._supply("printer", "paper", Supply.LOW)
    assert raised == [("a4.toner", "warning", "A4打印机墨粉将用完，请及时更换墨粉盒", None),
                      ("a4.paper", "critical", "A4打印机缺纸", 1252),
                      ("printer.paper", "warning", "打印机纸将用完，请及时更换纸卷", None)]


def test_the_a4_test_sheet_is_one_a4_page_with_its_chinese_lines_and_a_long_url_kept_on_the_page():
    url = "cups://Hall_A4?server=/tmp/kiosk-cupsd-abcdefgh/cups.sock&job_timeout_s=180&user=kiosk-technician"
    pdf = a4_test_pdf("SZ-DEMO-0001", url)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Pages:           1" in info and "595.276 x 841.89 pts (A4)" in info
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert TEST_MARK in text and all(line in text for line in TEST_LINES[:3])
    # every word lies inside the corner marks, 10 mm from the page's edge (a long URL once ran off the page)
    bbox = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)) < 595.276 - 10 * 72 / 25.4


def test_print_test_on_the_simulated_a4_printer_says_where_its_pages_are(tmp_path, capsys):
    from ui.cli import main

    assert main(["devices", "print-test", "--url", f"sim://a4?dir={tmp_path / 'paper'}"]) == 0
    out = capsys.readouterr().out
    assert "printed job 1 (1 page) on sim-a4" in out and "reasons none" in out
    assert f"page {tmp_path / 'paper' / 'job-1' / 'page-1.png'}" in out
    assert (tmp_path / "paper" / "job-1" / "page-1.png").stat().st_size > 1000
    sim.get_hardware(f"sim://a4?dir={tmp_path / 'paper'}").set_paper("out")
    assert main(["devices", "print-test", "--url", f"sim://a4?dir={tmp_path / 'paper'}"]) == 1
    assert "1252 The A4 printer is out of paper" in capsys.readouterr().err
