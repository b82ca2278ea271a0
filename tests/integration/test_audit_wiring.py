"""The runtime writes every journey step and device fault to the audit trail, and the trail verifies."""
from __future__ import annotations

from devices import sim
from kiosk.audit.trail import audit_files
from kiosk.audit.key import audit_key
from kiosk.audit.verify import verify
from kiosk.runtime import build_runtime
from kiosk.settings import default_files, load_settings
from kiosk.journey.plan import Step
from tests.helpers.fakes import wait_until


def test_a_journey_and_a_device_fault_leave_a_verifiable_masked_trail(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path)
    (settings.path("tmp") / "stale-scan.jpg").write_bytes(b"left over from a crash")
    rt = build_runtime(settings, "http://127.0.0.1:9")
    rt.start()
    try:
        assert list(settings.path("tmp").iterdir()) == []  # swept at start
        j = rt.journey
        j.wake()
        j.choose_item("312000218000")  # queueable: needs no platform (this runtime has none)
        j.start_item()
        card = sim.get_hardware(settings.devices.idcard.url)
        card.place_card("graduate")
        wait_until(lambda: j.step == Step.FORM)
        (settings.path("tmp") / "draft.pdf").write_bytes(b"%PDF")
        sim.get_hardware(settings.devices.printer.url).unplug()
        wait_until(lambda: rt.audit.last_seq and any(
            '"device_fault"' in p.read_text(encoding="utf-8") for p in audit_files(settings.path("audit"))))
        j.cancel()
        assert list(settings.path("tmp").iterdir()) == []  # swept at the session's end
    finally:
        rt.stop()
    text = "".join(p.read_text(encoding="utf-8") for p in audit_files(settings.path("audit")))
    for event in ('"event":"step"', '"event":"item"', '"event":"card_read"', '"event":"cancel"',
                  '"event":"session_end"', '"event":"device_fault"'):
        assert event in text, event
    identity = card.card
    assert identity is None or identity.id_number not in text
    assert "440305200205141170" not in text and "李小明" not in text
    report = verify(settings.path("audit"), audit_key(settings, create=False))
    assert report.ok, [str(f) for f in report.findings]
