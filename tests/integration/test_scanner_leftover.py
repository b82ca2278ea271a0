"""A page left in the document scanner by the previous citizen never reaches the next application (issue 15,
item 7, for the scanner as for the camera bed): the real SANE driver runs the simulated sheet-fed scanner
(devices.scanner.sim, a scanimage with a page-loaded sensor), the real journey and the embedded platform."""
from __future__ import annotations

from devices.scanner.sim import SimFeeder
from kiosk.errors import KioskErrorCode
from kiosk.journey import JourneyEventKind
from kiosk.journey.plan import Step
from kiosk.settings import default_files, load_settings
from tests.helpers.kiosk import start_kiosk
from tests.integration.test_journey_scanner import to_materials, typed_sheet


def feeder_kiosk(tmp_path):
    feeder = SimFeeder(tmp_path / "sim-scanner")
    scanner = {"url": "sane://sim?source=ADF&resolution=150&timeout_s=20", "options": {"program": str(feeder.program())}}
    settings = load_settings(default_files(True), data_dir=tmp_path / "data",
                             overrides={"devices": {"scanner": scanner}})
    return (feeder, *start_kiosk(settings), settings)


def scan(j, rec) -> None:
    j.capture_page()
    rec.wait_for(lambda ev: not j.busy and (j.notice is not None or any(j.session.pages.values())), timeout_s=30)


def leftover_notices(events) -> list:
    return [e for e in events if e.kind == JourneyEventKind.NOTICE and e.data is not None
            and e.data.code == KioskErrorCode.SCANNER_PAGE_LEFT_BEHIND]


def test_paper_left_in_the_feeder_is_refused_until_taken_away_then_the_citizens_own_is_scanned(tmp_path):
    feeder, rt, rec, platform, settings = feeder_kiosk(tmp_path)
    try:
        j = rt.journey
        # The previous citizen's certificate stays in the feeder after their session.
        left = feeder.load(typed_sheet(1200, 850, ["PREVIOUS CITIZEN", "CERTIFICATE 4401"]), "previous")
        to_materials(rt, rec, settings)
        rec.wait_for(lambda ev: j.notice is not None and j.notice.code == KioskErrorCode.SCANNER_PAGE_LEFT_BEHIND,
                     timeout_s=30)
        assert "请先取走" in j.notice.text.zh
        # 扫描 now scans nothing: the sensor is asked again and still finds the page that is not this citizen's.
        told = len(leftover_notices(rec.events))
        j.capture_page()
        rec.wait_for(lambda ev: len(leftover_notices(ev)) > told, timeout_s=30)
        assert j.session.page_count() == 0 and feeder.sheets() == [left] and not j.busy
        # The sheet is taken away: the sensor reads empty at the next poll, the request goes.
        feeder.take_away()
        rec.wait_for(lambda ev: j.session.bed_cleared and j.notice is None, timeout_s=30)
        assert j.step == Step.MATERIALS
        # The citizen's own page goes in and is scanned.
        feeder.load(typed_sheet(1200, 850, ["MY OWN LETTER"] * 6), "own")
        scan(j, rec)
        assert j.notice is None and j.session.page_count() >= 1 and feeder.sheets() == []
    finally:
        rt.stop()
        platform.stop()


def test_an_empty_feeder_at_the_start_lets_the_citizen_scan_at_once(tmp_path):
    feeder, rt, rec, platform, settings = feeder_kiosk(tmp_path)
    try:
        j = rt.journey
        to_materials(rt, rec, settings)
        rec.wait_for(lambda ev: j.session.bed_cleared, timeout_s=30)
        feeder.load(typed_sheet(1200, 850, ["MY OWN LETTER"] * 6), "own")
        scan(j, rec)
        assert j.notice is None and j.session.page_count() >= 1
    finally:
        rt.stop()
        platform.stop()
