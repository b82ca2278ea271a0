"""The device layer's layout: capabilities per device, the scanner as its own kind (and the migration of a
scanner still configured in the camera slot), simulators registered at the composition root only."""
from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from devices import sim
from devices.base import Capability
from devices.camera import DocumentCamera
from devices.errors import DeviceError, DeviceErrorCode
from devices.idcard import IdCardReader
from devices.manager import DeviceManager, DeviceSpec
from devices.scanner import SaneScanner
from devices.simulators import register_all
from kiosk.runtime import device_specs
from kiosk.settings import LOCAL_SETTINGS, default_files, load_settings

ROOT = Path(__file__).resolve().parents[3]


def test_the_camera_follows_the_scene_and_a_scanner_gives_flat_pages_by_its_url():
    camera = DocumentCamera("camera", "sim://camera")
    assert camera.supports(Capability.LIVE_PREVIEW) and not camera.supports(Capability.FLAT_PAGES)
    assert not camera.supports(Capability.BATCH)
    flatbed = SaneScanner("scanner", "sane://test?source=Flatbed")
    assert flatbed.capabilities == {Capability.FLAT_PAGES}
    feeder = SaneScanner("scanner", "sane://test?source=ADF")
    assert feeder.supports(Capability.BATCH) and not feeder.supports(Capability.BLANK_BACKS)
    duplex = SaneScanner("scanner", "sane://test?source=ADF%20Duplex")
    assert duplex.supports("batch") and duplex.supports(Capability.BLANK_BACKS)
    assert IdCardReader("idcard", "sim://idcard").capabilities == frozenset()
    assert not IdCardReader("idcard", "sim://idcard").supports(Capability.LIVE_PREVIEW)


def test_the_manager_builds_the_scanner_by_its_kind_and_no_camera_is_made_up():
    m = DeviceManager([DeviceSpec("scanner", "scanner", "sane://test")])
    assert isinstance(m.get("scanner"), SaneScanner) and m.get("camera") is None
    assert m.names() == ["scanner"]
    with pytest.raises(DeviceError) as err:
        DeviceManager([DeviceSpec("x", "teleporter", "sim://x")])
    assert err.value.code == DeviceErrorCode.UNSUPPORTED_URL


def test_a_scanner_in_the_camera_slot_of_settings_local_moves_to_the_scanner_with_a_warning(tmp_path, caplog):
    (tmp_path / LOCAL_SETTINGS).write_text(
        '[devices.camera]\nurl = "sane://genesys:libusb:001:004?resolution=300&mode=Color"\n'
        'options = { extra_args = ["--lamp-off-time", "1"] }\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kiosk.settings"):
        settings = load_settings(default_files(False), data_dir=tmp_path)
    assert settings.devices.scanner.url == "sane://genesys:libusb:001:004?resolution=300&mode=Color"
    assert settings.devices.scanner.enabled and settings.devices.scanner.options["extra_args"] == ["--lamp-off-time", "1"]
    assert not settings.devices.camera.enabled
    assert any("moved to [devices.scanner]" in r.getMessage() and LOCAL_SETTINGS in r.getMessage()
               for r in caplog.records)
    specs = {s.name: s for s in device_specs(settings)}
    assert "camera" not in specs and specs["scanner"].kind == "scanner"


def test_the_scanner_is_off_by_default_and_a_camera_url_stays_where_it_is(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path)
    assert not settings.devices.scanner.enabled and settings.devices.scanner.url == ""
    assert settings.devices.camera.url.startswith("sim://camera")
    assert [s.name for s in device_specs(settings)] == ["idcard", "printer", "camera", "barcode", "a4", "face_camera"]


def test_sim_urls_resolve_after_register_all_and_not_before():
    saved = dict(sim._FACTORIES)
    sim._FACTORIES.clear()
    try:
        with pytest.raises(DeviceError) as err:
            sim.get_hardware("sim://printer")
        assert "register_all" in err.value.detail
        register_all()
        assert sim.registered() == ["a4", "barcode", "camera", "face", "idcard", "printer"]
        assert sim.get_hardware("sim://printer").kind == "printer"
        assert sim.get_hardware("sim://idcard?name=a") is sim.get_hardware("sim://idcard?name=a")
    finally:
        sim._FACTORIES.clear()
        sim._FACTORIES.update(saved)


@pytest.mark.parametrize("driver, simulator", [
    ("devices.idcard.driver", "devices.idcard.sim"),
    ("devices.printer.driver", "devices.printer.sim"),
    ("devices.camera.capture", "devices.camera.sim"),
    ("devices.barcode.scanner", "devices.barcode.simulator"),
    ("devices.manager", "devices.simulators"),
])
def test_a_driver_imports_without_its_simulator(driver, simulator):
    code = (f"import sys, {driver}, devices.transport\n"
            f"loaded = [m for m in sys.modules if m.startswith('{simulator}') or m == 'devices.sim']\n"
            "assert not loaded, loaded\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
