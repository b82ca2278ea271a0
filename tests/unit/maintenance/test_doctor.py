"""kiosk doctor: a healthy demo passes; each broken set-up is named with what to do; the exit status says so."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from central.server import EmbeddedPlatform
from devices import sim
from kiosk.maintenance.doctor import Doctor, Status, library_check, worst
from kiosk.settings import default_files, load_settings
from kiosk.maintenance.troubleshooting import END, codes_markdown, generated_section

DOCS = Path(__file__).resolve().parents[3] / "docs"
FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC"]


@pytest.fixture
def demo(tmp_path):
    platform = None

    def make(**overrides):
        nonlocal platform
        settings = load_settings(default_files(True), data_dir=tmp_path, overrides=overrides or None)
        platform = EmbeddedPlatform(settings.path("central"), settings.catalog_dir)
        platform.start()
        return settings, platform.url

    yield make
    if platform is not None:
        platform.stop()


def by_name(checks):
    return {c.name: c for c in checks}


def test_a_healthy_demo_passes_every_check(demo):
    settings, url = demo()
    checks = Doctor(settings, platform_url=url, font_lister=lambda: FONTS).run()
    bad = [(c.name, c.status, c.detail) for c in checks if c.status in (Status.FAIL, Status.WARN)]
    assert bad == []
    names = by_name(checks)
    assert {"fonts", "device idcard", "device printer", "device camera", "device barcode", "disk", "platform",
            "clock", "outbox", "audit"} <= set(names)
    assert "2048x1536" in names["device camera"].detail and worst(checks) == Status.OK


def test_no_chinese_font_fails_and_says_which_package(demo):
    settings, url = demo()
    fonts = Doctor(settings, platform_url=url, font_lister=lambda: []).fonts()
    assert fonts.status == Status.FAIL and "fonts-noto-cjk" in fonts.remedy
    missing_fc = Doctor(settings, platform_url=url, runner=lambda argv: (127, "")).fonts()
    assert missing_fc.status == Status.FAIL and "fontconfig" in missing_fc.remedy
    fallback = Doctor(settings, platform_url=url, font_lister=lambda: ["WenQuanYi Zen Hei"]).fonts()
    assert fallback.status == Status.WARN


def test_a_missing_device_is_named_with_its_code_and_remedy(demo):
    settings, url = demo(devices={"printer": {"url": "serial:///dev/ttyNOPE0?baudrate=115200"}})
    checks = by_name(Doctor(settings, platform_url=url, font_lister=lambda: FONTS).run())
    printer = checks["device printer"]
    assert printer.status == Status.FAIL and "[1001]" in printer.detail and "cable" in printer.remedy
    assert checks["serial printer"].status == Status.FAIL and "does not exist" in checks["serial printer"].detail
    assert checks["device idcard"].status == Status.OK


def test_an_unplugged_simulator_and_low_paper_are_told_apart(demo):
    settings, url = demo()
    sim.get_hardware(settings.devices.camera.url).unplug()
    sim.get_hardware(settings.devices.printer.url).set_paper("near_end")
    doc = Doctor(settings, platform_url=url, font_lister=lambda: FONTS)
    checks = by_name(doc.devices())
    assert checks["device camera"].status == Status.FAIL and "[1401]" in checks["device camera"].detail
    assert checks["device printer"].status == Status.WARN and "paper" in checks["device printer"].detail


def test_a_running_kiosk_is_asked_through_its_heartbeat_not_by_grabbing_its_ports(tmp_path):
    settings = load_settings(default_files(False), data_dir=tmp_path)
    hb = settings.path("monitoring") / "heartbeat.json"
    hb.write_text(json.dumps({"devices": {
        "idcard": {"state": "idle", "supplies": {}}, "printer": {"state": "error", "error_code": 1202},
        "camera": {"state": "idle"}, "barcode": {"state": "idle"}}}), encoding="utf-8")
    checks = by_name(Doctor(settings).devices())
    assert checks["device printer"].status == Status.FAIL and "[1202]" in checks["device printer"].detail
    assert "running kiosk" in checks["device idcard"].detail
    old = time.time() - 3600
    os.utime(hb, (old, old))  # a stale heartbeat: the kiosk is not running, the doctor opens the devices
    assert "running kiosk" not in by_name(Doctor(settings, device_timeout_s=2).devices())["device idcard"].detail


def test_clock_platform_secret_outbox_and_audit_problems_fail(demo, tmp_path):
    settings, url = demo()
    doc = Doctor(settings, platform_url="http://127.0.0.1:9", clock=lambda: 978_307_200.0)  # 2001
    assert doc.platform().status == Status.FAIL
    assert doc.clock_check().status == Status.FAIL and "2001" in doc.clock_check().detail
    secret = tmp_path / "secret"
    secret.write_text("s3cret")
    secret.chmod(0o644)
    prod = load_settings(default_files(False), data_dir=tmp_path, overrides={"platform": {"secret_file": str(secret)}})
    check = Doctor(prod).secret()
    assert check.status == Status.FAIL and "chmod 640" in check.remedy
    from kiosk.audit.trail import AuditTrail, audit_files
    from kiosk.audit.key import audit_key

    trail = AuditTrail(settings.path("audit"), key=audit_key(settings), fsync=False)
    for i in range(3):
        trail.record("step", {"i": i})
    trail.close()
    f = audit_files(settings.path("audit"))[0]
    f.write_text(f.read_text().replace('"i":1', '"i":7'))
    audit = Doctor(settings, platform_url=url).audit_trail()
    assert audit.status == Status.FAIL and "seq 2" in audit.detail


def test_library_check_names_the_debian_package_for_a_missing_library(tmp_path):
    lib = tmp_path / "libqwayland.so"
    lib.write_bytes(b"")
    out = "\tlibwayland-cursor.so.0 => not found\n\tlibc.so.6 => /lib/libc.so.6\n"
    check = library_check("qt wayland", [lib], runner=lambda argv: (0, out))
    assert check.status == Status.FAIL and check.remedy.endswith("libwayland-cursor0")
    assert library_check("qt wayland", [lib], runner=lambda argv: (0, "libc.so.6 => /lib")).status == Status.OK


def test_troubleshooting_doc_lists_every_code_from_the_registries():
    from devices.errors import all_errors
    from kiosk.errors import kiosk_errors

    doc = (DOCS / "troubleshooting.md").read_text(encoding="utf-8")
    assert generated_section(doc) == codes_markdown(), \
        "docs/troubleshooting.md is stale: run `kiosk doctor --codes --write docs/troubleshooting.md`"
    codes = [i.code for i in all_errors()] + [c for c, *_ in kiosk_errors()]
    table = doc.split(END)[0]
    assert all(f"| **{code}** |" in table for code in codes)


@pytest.mark.slow
def test_the_doctor_command_exits_0_on_the_demo_and_1_when_a_device_is_missing(tmp_path, capsys, monkeypatch):
    from ui.cli import main

    # The voice checks ask this session's speech-dispatcher: a runtime dir of the test's own, not the machine's.
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))

    assert main(["doctor", "--demo", "--json", "--data-dir", str(tmp_path / "ok")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and {c["name"] for c in report["checks"]} >= {"qt quick", "qt keyboard", "device printer"}
    bad = tmp_path / "bad.toml"
    bad.write_text('[devices.camera]\nurl = "camera://7?width=640&height=480"\n', encoding="utf-8")
    assert main(["doctor", "--demo", "--config", str(bad), "--data-dir", str(tmp_path / "bad")]) == 1
    out = capsys.readouterr().out
    assert "FAIL  device camera" in out and "v4l2-ctl" in out
