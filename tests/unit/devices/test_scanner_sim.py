"""The simulated sheet-fed scanner (devices.scanner.sim) under the real SANE driver: it speaks scanimage's
command line, and its paper sensor (page-loaded) gives the driver PAGE_SENSOR."""
from __future__ import annotations

import numpy as np
import pytest

from devices.base import Capability
from devices.errors import DeviceError, DeviceErrorCode
from devices.scanner.sane import SaneScanner, sensor_value
from devices.scanner.sim import SimFeeder


def sheet(shade: int) -> np.ndarray:
    page = np.full((300, 220, 3), 245, np.uint8)
    page[40:60, 20:200] = shade
    return page


@pytest.fixture
def feeder(tmp_path):
    return SimFeeder(tmp_path / "sim-scanner")


@pytest.fixture
def scanner(feeder):
    s = SaneScanner("scanner", "sane://sim?source=ADF&timeout_s=20", {"program": str(feeder.program())})
    s.start()
    yield s
    s.stop()


def test_the_paper_sensor_says_whether_a_sheet_lies_in_the_feeder_without_scanning_it(scanner, feeder):
    assert scanner.page_loaded().result(timeout=30) is False
    assert scanner.supports(Capability.PAGE_SENSOR) and scanner.supports(Capability.BATCH)
    feeder.load(sheet(30))
    assert scanner.page_loaded().result(timeout=30) is True
    assert len(feeder.sheets()) == 1  # asking the sensor feeds nothing


def test_a_scan_takes_the_sheets_in_feed_order_and_an_empty_feeder_is_the_scanners_own_error(scanner, feeder):
    feeder.load(sheet(10), "first")
    feeder.load(sheet(90), "second")
    pages = scanner.capture_pages(5).result(timeout=30)
    assert [int(p[50, 100, 0]) for p in pages] == [10, 90] and feeder.sheets() == []
    with pytest.raises(DeviceError) as caught:
        scanner.capture().result(timeout=30)
    assert caught.value.code == DeviceErrorCode.SCANNER_FEEDER_EMPTY


def test_a_backend_without_a_sensor_has_no_page_sensor():
    listing = "    --source ADF|Flatbed [ADF]\n    --page-loaded[=(yes|no)] [yes] [hardware]\n"
    assert sensor_value(listing, "page-loaded") is True
    assert sensor_value(listing.replace("[yes]", "[no]"), "page-loaded") is False
    assert sensor_value("    --mode Color|Gray [Color]\n", "page-loaded") is None
