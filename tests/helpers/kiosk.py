"""A headless kiosk for integration tests: the embedded reference platform, the runtime built against it and
a recorder of the journey's events."""
from __future__ import annotations

from central.server import EmbeddedPlatform
from devices.simulators import register_all
from kiosk.runtime import build_runtime
from tests.helpers.fakes import Recorder


def start_kiosk(settings):
    """(runtime, recorder, platform), all started; the caller stops the runtime, then the platform."""
    register_all()
    platform = EmbeddedPlatform(settings.path("central"), settings.catalog_dir)
    platform.start()
    rt = build_runtime(settings, platform.url)
    rt.start()
    rec = Recorder()
    rt.journey.subscribe(rec)
    return rt, rec, platform
