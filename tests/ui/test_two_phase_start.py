"""The two-phase start-up of `kiosk run` (issue 22): the attract screen's first frame needs none of the core's
heavy libraries; the runtime is built after it, off the GUI thread; a tap meanwhile answers at once with the busy
state and is not lost; a runtime that cannot be built is said on screen with code 2220."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QUrl  # noqa: F401 - Qt loaded before the kiosk (as the app does)

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("cv2", "numpy", "requests", "PIL", "fastapi", "reportlab")

# What `kiosk run --demo` does up to its first frame (ui/cli.py main -> ui/commands/run.py), in a fresh process:
# the build (phase 2) records which heavy modules were loaded when it started, then stops the kiosk.
PHASE_ONE = r"""
import json, sys
from PySide6.QtGui import QGuiApplication
from ui import cli
from ui.app import KioskApp
cli.build_parser()
cli.register_simulators()
from kiosk.settings import default_files, load_settings
app = QGuiApplication([])
settings = load_settings(default_files(True), data_dir=sys.argv[1], overrides={"ui": {"fullscreen": False}})
seen = {}
def build():
    seen["loaded"] = sorted(m for m in %r if m in sys.modules)
    app.exit(0)
    raise SystemExit  # nothing to build here
kapp = KioskApp(settings=settings, build=build)
kapp.window.update()
app.exec()
kapp.wait_built()
print(json.dumps({"first_frame": kapp.first_frame_shown, **seen}))
""" % (HEAVY,)


def test_the_first_frame_needs_no_opencv_numpy_or_requests(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_QUICK_BACKEND="software", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", PHASE_ONE, str(tmp_path / "data")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"first_frame": True, "loaded": []}


def _settings(tmp_path):
    from kiosk.settings import default_files, load_settings

    return load_settings(default_files(True), data_dir=tmp_path / "data",
                         overrides={"ui": {"fullscreen": False, "voice": False, "simulator_panel": True}})


def test_runtime_is_built_after_the_first_frame_and_a_tap_meanwhile_is_kept(qapp, qtbot, tmp_path):
    from kiosk.journey.plan import Step
    from ui.app import KioskApp
    from ui.autopilot_driver import UiDriver
    from ui.cli import Composition
    from ui.models.boot_vm import BootPhase

    settings = _settings(tmp_path)
    go = threading.Event()
    started: list[bool] = []
    ready: list[object] = []

    def build():
        started.append(app.first_frame_shown)  # when phase 2 began: after the first frame?
        assert go.wait(30)
        return Composition(settings, defer_platform=True, responsive=True)

    def on_ready(comp) -> None:
        ready.append(comp)
        comp.start_deferred()  # as `kiosk run` does: the embedded platform serves, so nothing waits on it at close

    app = KioskApp(settings=settings, build=build, on_ready=on_ready)
    try:
        assert app.runtime is None and app.vm is None and not started  # nothing of the core before the window
        app.window.update()
        qtbot.waitUntil(lambda: bool(started), timeout=10000)
        assert started == [True]
        assert app.phase is BootPhase.SHOWING
        ui = UiDriver(app.window)
        assert ui.find("busy") is None  # not busy before the tap
        ui.tap("attract.services")  # 我要办事 while the runtime is still being built
        qtbot.waitUntil(lambda: ui.find("busy") is not None, timeout=5000)  # answered: the busy state shows
        assert app.boot.step == Step.ATTRACT.value
        go.set()
        qtbot.waitUntil(lambda: app.phase is BootPhase.READY, timeout=60000)
        assert ready == [app.built] and app.runtime is app.built.runtime
        # The kept tap went to the journey: the catalogue, as if the kiosk had been ready.
        qtbot.waitUntil(lambda: app.vm.step == Step.CATALOG.value, timeout=10000)
        qtbot.waitUntil(lambda: ui.find("busy") is None, timeout=5000)
        qtbot.waitUntil(lambda: ui.find("simPanel") is not None, timeout=5000)  # the demo panel came with it
    finally:
        go.set()
        app.close()
        if app.built is not None:
            app.built.close()


def test_a_runtime_that_cannot_be_built_is_said_on_screen_with_2220(qapp, qtbot, tmp_path):
    from ui.app import KioskApp
    from ui.autopilot_driver import UiDriver
    from ui.models.boot_vm import BootPhase

    def build():
        raise OSError("outbox database is unreadable")

    app = KioskApp(settings=_settings(tmp_path), build=build)
    try:
        app.window.update()
        qtbot.waitUntil(lambda: app.phase is BootPhase.FAILED, timeout=10000)
        assert app.boot.notice["code"] == 2220
        assert "暂停服务" in app.boot.notice["text"]
        ui = UiDriver(app.window)
        qtbot.waitUntil(lambda: ui.find("notice") is not None, timeout=5000)  # the sentence is on screen
        assert ui.find("busy") is None
        assert app.built is None
    finally:
        app.close()


def test_the_package_is_built_after_the_submit_screens_first_frame(qtbot, make_kiosk, monkeypatch):
    """Built while the screen changed, the package's CPU work (reportlab) held the GIL the GUI thread needed to
    paint the submit screen: its first frame came up to 235 ms after 确认提交 (issue 22)."""
    from kiosk.journey.steps import submit
    from tests.ui.test_ui_journey import at, drive_to_form, fill_form

    k = make_kiosk()
    drive_to_form(qtbot, k)
    fill_form(qtbot, k)
    k.ui.tap("form.next")
    qtbot.waitUntil(at(k, "review"))
    order: list[str] = []
    real = submit.build_package

    def building(*args, **kwargs):
        order.append("package")
        return real(*args, **kwargs)

    def swapped() -> None:
        if k.vm.step == "submit" and "submit screen" not in order:
            order.append("submit screen")

    monkeypatch.setattr(submit, "build_package", building)
    k.app.window.frameSwapped.connect(swapped)
    try:
        k.ui.tap("review.confirm")
        qtbot.waitUntil(at(k, "result"), timeout=15000)
    finally:
        k.app.window.frameSwapped.disconnect(swapped)
    assert order == ["submit screen", "package"]
    assert k.journey.session.outcome.reference  # stored and sent as before
