"""With the journey's audit written behind (as `kiosk run` does), the trail still has every step, in order,
by the time the runtime has stopped, and it verifies."""
from __future__ import annotations

import json

from kiosk.audit.key import audit_key
from kiosk.audit.trail import audit_files
from kiosk.audit.verify import verify
from kiosk.runtime import build_runtime
from kiosk.settings import default_files, load_settings


def test_every_journey_record_is_in_the_trail_after_stop(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path)
    rt = build_runtime(settings, "http://127.0.0.1:9", audit_write_behind=True)
    rt.start()
    try:
        assert rt.audit_writer is not None
        j = rt.journey
        j.wake()
        j.choose_item("312000218000")
        j.cancel()
    finally:
        rt.stop()
    records = [json.loads(line) for p in audit_files(settings.path("audit"))
               for line in p.read_text(encoding="utf-8").splitlines()]
    events = [r["event"] for r in records]
    for a, b in (("item", "cancel"), ("cancel", "session_end")):
        assert a in events and b in events and events.index(a) < events.index(b), events
    assert [r["seq"] for r in records] == list(range(1, len(records) + 1))
    assert verify(settings.path("audit"), audit_key(settings, create=False)).ok
