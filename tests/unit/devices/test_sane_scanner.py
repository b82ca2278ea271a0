"""The SANE document scanner driver against the real scanimage and SANE's own ``test`` backend.

SANE's test backend (in libsane1) is a real backend with its own option handling, test pictures and
status codes: it is enabled through a SANE_CONFIG_DIR made by the test, never by editing /etc/sane.d.
"""
from __future__ import annotations

import shutil
import time

import numpy as np
import pytest

from devices.base import Capability, DeviceState
from devices.scanner.sane import SaneScanner, ScanSettings, list_scanners, option_choices, scan_error
from devices.errors import DeviceError, DeviceErrorCode, ErrorKind, error_info
from devices.manager import DeviceManager, DeviceSpec
from kiosk.maintenance.devices import Discovery, ScannerCache, validate_url
from tests.helpers.fakes import wait_until

needs_scanimage = pytest.mark.skipif(shutil.which("scanimage") is None, reason="scanimage (sane-utils) missing")
C = DeviceErrorCode


@pytest.fixture
def sane_dir(tmp_path):
    d = tmp_path / "sane.d"
    d.mkdir()
    (d / "dll.conf").write_text("test\n")
    return d


def started(url, options):
    scanner = SaneScanner("scanner", url, options)
    scanner.start()
    return scanner


def scan_retrying(url, sane_dir, scan):
    """``scan(scanner)`` on a started scanner with the grid picture, then stopped; (its result, the scanner).
    The test backend now and then hangs a run: the driver kills it at timeout_s and it is tried again."""
    for attempt in range(3):
        scanner = started(url, {"config_dir": str(sane_dir), "extra_args": ["--test-picture", "Grid"]})
        try:
            return scan(scanner), scanner
        except DeviceError as exc:
            if exc.code != DeviceErrorCode.SCANNER_TIMEOUT or attempt == 2:
                raise
        finally:
            scanner.stop()


@needs_scanimage
@pytest.mark.parametrize("dpi", [150, 300])
def test_a_scanned_still_has_the_size_of_the_scan_area_at_the_resolution(sane_dir, dpi):
    # The test backend scans 80 x 100 mm by default; the grid picture has a black/white square every 10 mm.
    image, scanner = scan_retrying(f"sane://test?resolution={dpi}&mode=Color&timeout_s=10", sane_dir,
                             lambda scanner: scanner.capture().result(30))
    assert image.dtype == np.uint8 and image.ndim == 3
    assert image.shape[:2] == (int(100 / 25.4 * dpi), int(80 / 25.4 * dpi))
    # The grid's period in pixels follows the resolution: 10 mm of squares alternate black and white.
    row = image[image.shape[0] // 2 + 3, :, 1] > 127
    edges = np.flatnonzero(np.diff(row.astype(np.int8)) != 0)
    period_px = float(np.median(np.diff(edges)))
    assert abs(period_px - 10 / 25.4 * dpi) <= 1.5
    assert scanner.health().info["resolution"] == f"{image.shape[1]}x{image.shape[0]}"


@needs_scanimage
def test_the_manager_builds_the_scanner_kind(sane_dir):
    m = DeviceManager([DeviceSpec("scanner", "scanner", "sane://test?mode=Gray", {"config_dir": str(sane_dir)})])
    device = m.get("scanner")
    assert isinstance(device, SaneScanner) and device.kind == "scanner"
    assert not device.supports(Capability.LIVE_PREVIEW) and device.supports(Capability.FLAT_PAGES) and device.latest() is None
    m.start()
    try:
        wait_until(lambda: device.state == DeviceState.IDLE, timeout_s=10)
        assert device.health().info["modes"] == "Gray|Color"
    finally:
        m.stop()


@needs_scanimage
def test_a_missing_scanner_gives_the_numbered_error_with_its_remedy(sane_dir):
    scanner = started("sane://nosuch:0", {"config_dir": str(sane_dir)})
    try:
        wait_until(lambda: scanner.state == DeviceState.OFFLINE, timeout_s=10)
        health = scanner.health()
        assert health.error_code == C.SCANNER_NOT_FOUND == 1410
        assert "nosuch:0" in health.error_detail
        assert "scanimage -L" in error_info(health.error_code).remedy
        with pytest.raises(DeviceError) as caught:
            scanner.capture().result(10)
        assert caught.value.code == C.SCANNER_NOT_FOUND
    finally:
        scanner.stop()


@needs_scanimage
@pytest.mark.parametrize("status, code, state", [
    ("SANE_STATUS_JAMMED", C.SCANNER_JAMMED, DeviceState.ERROR),
    ("SANE_STATUS_COVER_OPEN", C.SCANNER_COVER_OPEN, DeviceState.ERROR),
    ("SANE_STATUS_NO_DOCS", C.SCANNER_FEEDER_EMPTY, DeviceState.IDLE),   # the citizen's to fix: no fault
])
def test_the_backends_status_becomes_a_numbered_error(sane_dir, status, code, state):
    # SANE's test backend hangs in about one run in seven when told to fail a read (measured: 3-6 of 30 per
    # status, never on a good scan): the driver's timeout ends such a run (SCANNER_TIMEOUT), and the test
    # looks again with a fresh scanner until the backend answers.
    for _attempt in range(8):
        scanner = started("sane://test?timeout_s=3",
                          {"config_dir": str(sane_dir), "extra_args": ["--read-return-value", status]})
        try:
            with pytest.raises(DeviceError) as caught:
                scanner.capture().result(30)
            if caught.value.code != C.SCANNER_TIMEOUT:
                assert caught.value.code == code
                wait_until(lambda: scanner.state == state, timeout_s=5)
                return
        finally:
            scanner.stop()
    pytest.fail(f"scanimage hung on every try with {status}")


@needs_scanimage
def test_a_mode_the_scanner_does_not_have_is_named_with_the_modes_it_has(sane_dir):
    scanner = started("sane://test?mode=Lineart", {"config_dir": str(sane_dir)})
    try:
        wait_until(lambda: scanner.state == DeviceState.OFFLINE, timeout_s=10)
        health = scanner.health()
        assert health.error_code == C.SCANNER_OPTION
        assert "Lineart" in health.error_detail and "Gray | Color" in health.error_detail
    finally:
        scanner.stop()


def test_a_hanging_scanimage_is_killed_at_the_timeout(tmp_path):
    # A fake scanimage that opens fine but never delivers a page; its sleeping child holds stdout, so only
    # killing the whole process group ends the wait.
    fake = tmp_path / "scanimage"
    fake.write_text("#!/bin/sh\ncase \"$*\" in *-A*) echo '    --mode Gray|Color [Gray]'; exit 0;; esac\n"
                    "sleep 60\n")
    fake.chmod(0o755)
    scanner = started("sane://fake?timeout_s=0.5", {"program": str(fake)})
    try:
        t0 = time.monotonic()
        with pytest.raises(DeviceError) as caught:
            scanner.capture().result(20)
        elapsed = time.monotonic() - t0
        assert caught.value.code == C.SCANNER_TIMEOUT
        assert 0.5 <= elapsed < 5
        wait_until(lambda: scanner.state == DeviceState.ERROR, timeout_s=5)
    finally:
        scanner.stop()


def test_a_missing_scanimage_program_is_its_own_error():
    scanner = started("sane://test", {"program": "/nonexistent/scanimage"})
    try:
        wait_until(lambda: scanner.state == DeviceState.OFFLINE, timeout_s=10)
        assert scanner.health().error_code == C.SCANNER_PROGRAM_MISSING
        assert "sane-utils" in error_info(C.SCANNER_PROGRAM_MISSING).remedy
    finally:
        scanner.stop()


def test_the_url_keeps_sane_device_names_whole_and_refuses_unknown_parameters():
    s = ScanSettings.from_url("sane://genesys:libusb:001:004?resolution=150&mode=Gray&source=ADF%20Duplex")
    assert s.device == "genesys:libusb:001:004" and s.source == "ADF Duplex"
    assert s.args() == ["-d", "genesys:libusb:001:004", "--format=pnm", "--resolution", "150", "--mode", "Gray",
                        "--source", "ADF Duplex"]
    with pytest.raises(DeviceError) as caught:
        ScanSettings.from_url("sane://test?resoluton=300")
    assert caught.value.code == C.UNSUPPORTED_URL and "resoluton" in caught.value.detail
    with pytest.raises(DeviceError):
        ScanSettings.from_url("sane://")
    assert validate_url("scanner", "sane://test?resolution=300") == []
    assert validate_url("scanner", "sane://test?format=tiff")
    assert validate_url("camera", "sane://test?resolution=300")   # a scanner is no longer a camera


def test_scanimage_stderr_and_exit_status_map_to_codes():
    assert scan_error(1, "scanimage: open of device x:0 failed: Invalid argument", "x:0").code == C.SCANNER_NOT_FOUND
    assert scan_error(1, "scanimage: unrecognized option '--bogus'", "t").code == C.SCANNER_OPTION
    assert scan_error(9, "scanimage: sane_read: Error during device I/O", "t").code == C.SCANNER_FAILED
    assert scan_error(7, "", "t").code == C.SCANNER_FEEDER_EMPTY
    assert error_info(C.SCANNER_FEEDER_EMPTY).kind == ErrorKind.USER
    listing = "  --mode Gray|Color [Gray]\n  --resolution 1..1200dpi (in steps of 1) [50]\n"
    assert option_choices(listing, "mode") == ["Gray", "Color"] and option_choices(listing, "resolution") == []


@needs_scanimage
def test_discovery_offers_the_scanners_scanimage_lists(sane_dir, monkeypatch):
    monkeypatch.setenv("SANE_CONFIG_DIR", str(sane_dir))
    assert ("test:0" in dict(list_scanners()))
    cache = ScannerCache()
    cache.refresh()
    urls = [c.url for c in Discovery(serial=list, cameras=list, keyboards=list, scanners=cache).candidates("scanner")]
    assert "sane://test:0?resolution=300&mode=Color" in urls


def test_a_feeder_url_scans_in_batches_and_a_flatbed_one_page_per_tap():
    assert ScanSettings.from_url("sane://test?source=Automatic%20Document%20Feeder").batch
    assert ScanSettings.from_url("sane://fujitsu:fi-7160:1?source=ADF%20Duplex").batch
    assert not ScanSettings.from_url("sane://test?source=Flatbed").batch
    assert not ScanSettings.from_url("sane://test").batch
    assert not ScanSettings.from_url("sane://test?source=ADF&batch=0").batch   # one sheet per tap, if wanted
    assert ScanSettings.from_url("sane://test?batch=1").batch
    assert SaneScanner("scanner", "sane://x?source=ADF%20Duplex").supports(Capability.BLANK_BACKS)
    assert not SaneScanner("scanner", "sane://x?source=ADF").supports(Capability.BLANK_BACKS)
    with pytest.raises(DeviceError) as err:
        ScanSettings.from_url("sane://test?batch=maybe")
    assert err.value.code == C.UNSUPPORTED_URL


@needs_scanimage
def test_the_feeders_pages_come_in_one_run_up_to_the_limit_and_leave_no_file_behind(sane_dir, tmp_path,
                                                                                     monkeypatch):
    import tempfile

    scans = tmp_path / "tmp"
    scans.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scans))   # where the batch's page files are written
    url = "sane://test?resolution=75&mode=Color&source=Automatic%20Document%20Feeder&timeout_s=10"
    # The second run starts afresh: the test backend's feeder holds ten sheets, then reports itself empty;
    # the batch ends there by itself instead of failing.
    (four, rest), scanner = scan_retrying(url, sane_dir, lambda scanner: (
        scanner.capture_pages(4).result(60), scanner.capture_pages(25).result(120)))
    assert scanner.supports(Capability.BATCH)
    assert len(four) == 4 and len(rest) == 10
    assert all(p.shape == (int(100 / 25.4 * 75), int(80 / 25.4 * 75), 3) for p in four + rest)
    assert scanner.health().info["last_batch_pages"] == "10"
    assert list(scans.iterdir()) == []   # the citizen's pages were on disk only while being read
