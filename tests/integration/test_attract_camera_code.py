"""A code laid under the document camera of an idle kiosk is still read (issue 22): on the attract screen the
camera scanner passes over frames that show nothing new (devices/barcode/still.py), and a bill's code laid on
the desk opens its payment with the account filled, as it does on the home screen."""
from __future__ import annotations

from devices import sim
from kiosk.journey.plan import Step
from kiosk.settings import default_files, load_settings
from tests.helpers.fakes import wait_until
from tests.helpers.kiosk import start_kiosk

BILL = "(415)6901234000016(8020)0100123456(3902)12345"  # tests/ui/test_ui_home.py: the water bill


def test_a_bill_code_laid_under_the_idle_kiosks_camera_opens_its_payment(tmp_path):
    # No decode of a still desk "just in case": the code is read only if the gate lets its frame through.
    settings = load_settings(default_files(True), data_dir=tmp_path,
                             overrides={"barcode": {"camera_idle_still_max_skips": 1000}})
    rt, _, platform = start_kiosk(settings)
    try:
        scanner = rt.camera_scanner
        assert rt.journey.step == Step.ATTRACT and scanner.skip_still
        wait_until(lambda: scanner.stats().still >= 1, timeout_s=20)  # the empty desk, passed over
        sim.get_hardware(settings.devices.camera.url).show_payload(BILL, module_px=6, fraction=0.3)
        assert wait_until(lambda: rt.journey.step == Step.FORM, timeout_s=20), rt.journey.step
        assert rt.journey.session.item.code == "960000001000"
        assert not scanner.skip_still  # a citizen's screen: every frame decoded again
    finally:
        rt.stop()
        platform.stop()
