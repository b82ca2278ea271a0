"""A headless kiosk for integration tests: the embedded reference platform, the runtime built against it and
a recorder of the journey's events."""
from __future__ import annotations

from central.config import demo_kiosks
from central.server import EmbeddedPlatform
from devices.simulators import register_all
from kiosk.runtime import build_runtime
from tests.helpers.fakes import Recorder


def start_kiosk(settings, *, other_kiosks: dict[str, str] | None = None):
    """(runtime, recorder, platform), all started; the caller stops the runtime, then the platform.
    ``other_kiosks`` (id -> secret) are enrolled at the platform besides the demo kiosk."""
    register_all()
    platform = EmbeddedPlatform(settings.path("central"), settings.catalog_dir,
                                kiosks={**demo_kiosks(), **(other_kiosks or {})})
    platform.start()
    rt = build_runtime(settings, platform.url)
    rt.start()
    rec = Recorder()
    rt.journey.subscribe(rec)
    return rt, rec, platform
