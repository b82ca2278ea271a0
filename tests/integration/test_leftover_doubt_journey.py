"""A page said to be left on the camera bed that nobody takes away stops blocking the citizen (the whole kiosk:
journey -> live preview -> simulated camera, the monitor).

Protects: "take it away" shown for ever and 拍摄 refused when the thing outlined is not taken away (a bed
whose own edges detection outlines looks to the kiosk exactly like this page left lying untouched); now the
screen says what to do either way, the citizen's own page is captured, the visit is audited and counted, and
the technician gets the monitor's alert (2164)."""
from __future__ import annotations

from kiosk.capture.leftover_doubt import load_doubts
from kiosk.errors import KioskErrorCode
from kiosk.journey.plan import Step
from kiosk.settings import default_files, load_settings
from tests.helpers.fakes import wait_until
from tests.helpers.kiosk import start_kiosk
from tests.integration.test_journey_headless import step_is


def test_an_untouched_page_left_on_the_bed_stops_blocking_and_the_technician_is_told(tmp_path):
    camera = {"options": {"auto_leftover_doubt_s": 1.0}}
    settings = load_settings(default_files(True), data_dir=tmp_path, overrides={"devices": {"camera": camera}})
    rt, rec, platform = start_kiosk(settings)
    audited: list[dict] = []
    rt.audit.subscribe(audited.append)
    try:
        from devices import sim

        hw = {n: sim.get_hardware(getattr(settings.devices, n).url) for n in ("idcard", "camera")}
        j = rt.journey
        hw["camera"].put_page("text")                  # lies there, untouched, all along
        j.wake()
        j.open_catalog()
        j.choose_item("312000218000")
        j.start_item()
        hw["idcard"].place_card("graduate")
        rec.wait_for(step_is(rt, Step.FORM))
        j.set_field("phone", "13800138000")
        j.set_field("purpose", "employment")
        assert j.submit_form() == [] and j.step == Step.MATERIALS
        rec.wait_for(lambda ev: j.notice is not None and j.notice.code == KioskErrorCode.PAGE_LEFT_BEHIND,
                     timeout_s=30)
        rec.wait_for(lambda ev: j.notice is not None and j.notice.code == KioskErrorCode.LEFTOVER_DOUBTED,
                     timeout_s=30)
        assert j.notice.level == "info" and "请直接放您的材料" in j.notice.text.zh
        assert j.session.page_count() == 0                  # nothing captured of what lay there
        # (recorded for the technician, then audited, on the preview's thread)
        assert wait_until(lambda: any(r.get("event") == "leftover_doubted" for r in audited), timeout_s=30)
        doubts = load_doubts(tmp_path)
        assert doubts is not None and doubts.count == 1
        rt.monitor.check()
        assert {a.key: a.code for a in rt.monitor.alerts.active()}.get("camera.leftover") == 2164
        j.capture_page()                               # what lies there unchanged is never taken
        assert not j.busy and j.session.page_count() == 0 and j.notice.code == KioskErrorCode.LEFTOVER_DOUBTED
        hw["camera"].put_page("form")                  # the citizen lays their own page: captured by itself
        rec.wait_for(lambda ev: j.session.page_count("purpose_letter") == 1 and not j.busy, timeout_s=30)
        rec.wait_for(lambda ev: j.notice is None or j.notice.code != KioskErrorCode.LEFTOVER_DOUBTED, timeout_s=30)
    finally:
        rt.stop()
        platform.stop()
