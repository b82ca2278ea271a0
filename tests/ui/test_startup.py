"""Start-up as `kiosk run --demo` does it (issue 22): the embedded platform is built after the attract
screen's first frame, the kiosk then reaches it; the screens' QML is compiled into one byte-code cache."""
from __future__ import annotations

import os

from PySide6.QtCore import QUrl  # noqa: F401 - Qt loaded before the kiosk (as the app does)


def test_embedded_platform_is_built_after_the_first_frame(qapp, qtbot, tmp_path):
    from kiosk.journey.plan import Step
    from kiosk.platform.reachability import Reachability
    from kiosk.settings import default_files, load_settings
    from ui.app import KioskApp
    from ui.cli import Composition
    from ui.demo.sim_panel import DEMO_BILLS

    settings = load_settings(default_files(True), data_dir=tmp_path / "data",
                             overrides={"ui": {"fullscreen": False, "voice": False, "simulator_panel": True}})
    comp = Composition(settings, defer_platform=True)
    app = None
    try:
        app = KioskApp(comp.runtime, gate=comp.gate, platform=comp.platform, on_first_frame=comp.start_deferred)
        assert not comp.platform.built and not comp.platform.serving  # nothing of FastAPI before the window shows
        assert app.vm.step == Step.ATTRACT.value
        app.window.update()
        qtbot.waitUntil(lambda: app.first_frame_shown, timeout=10000)
        qtbot.waitUntil(lambda: comp.platform.serving, timeout=30000)
        # The kiosk reaches it: the heartbeat sent at start waited in the port's queue and is answered.
        qtbot.waitUntil(lambda: comp.runtime.link.refresh() == Reachability.ONLINE, timeout=30000)
        # The demo panel's levers act on the platform built after the first frame.
        assert app.sim.hasLevers
        app.sim.mark_bill_paid(next(iter(DEMO_BILLS)))
    finally:
        if app is not None:
            app.close()
        comp.close()


def test_every_screen_compiles_into_the_qml_cache(qapp):
    from ui.app import prepare_environment
    from ui.qml_cache import ENV, build, cache_dir, qml_files

    count, errors = build()
    assert errors == []
    assert count == len(qml_files()) > 40
    assert os.environ[ENV] == str(cache_dir())
    assert any(cache_dir().glob("*.qmlc"))
    prepare_environment  # noqa: B018 - the kiosk's own start points Qt at the same cache (ui/app.py)
