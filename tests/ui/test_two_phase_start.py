"""The two-phase start-up of `kiosk run` (issue 22): the attract screen's first frame needs none of the core's
heavy libraries; the runtime is built after it, off the GUI thread; a tap meanwhile answers at once with the busy
state and is not lost; a runtime that cannot be built is said on screen with code 2220."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl  # noqa: F401 - Qt loaded before the kiosk (as the app does)

ROOT = Path(__file__).resolve().parents[2]
# Not before the first frame: the core's heavy libraries, nor pydantic and the full settings models (~130 ms:
# phase 1 reads kiosk.settings_boot; phase 2 loads the full settings on its worker thread).
HEAVY = ("cv2", "numpy", "requests", "PIL", "fastapi", "reportlab", "pydantic", "kiosk.settings",
         "devices.simulators")  # nor the simulators: phase 2's Composition registers them

# `kiosk run --demo` itself (ui/cli.py main -> ui/commands/run.py), in a fresh process, up to its first frame:
# what was loaded then is recorded, phase 2 is not started, and the kiosk stops.
PHASE_ONE = r"""
import json, sys
import ui.app
seen = {}
def first_frame(self, real=ui.app.KioskApp._first_frame):
    seen["loaded"] = sorted(m for m in %r if m in sys.modules)
    seen["settings"] = type(self.settings).__name__
    self._build = None  # phase 2 is not this test's
    real(self)
    print(json.dumps({"first_frame": self.first_frame_shown, **seen}), flush=True)
    self.quit(0)
ui.app.KioskApp._first_frame = first_frame
from ui import cli
cli.main(["run", "--demo", "--window", "--data-dir", sys.argv[1]])
""" % (HEAVY,)


def _env(tmp_path) -> dict:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_QUICK_BACKEND="software", PYTHONPATH=str(ROOT),
                XDG_STATE_HOME=str(tmp_path / "state"))  # `kiosk run` remembers its window's place there


def test_the_first_frame_needs_no_opencv_numpy_requests_nor_pydantic(tmp_path):
    out = subprocess.run([sys.executable, "-c", PHASE_ONE, str(tmp_path / "data")], cwd=ROOT, env=_env(tmp_path),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"first_frame": True, "loaded": [], "settings": "BootSettings"}


# `kiosk run --demo` to the end of phase 2: the kiosk answers taps with the full settings, then stops.
READY = r"""
import json, sys
import ui.app
def ready(self, real=ui.app.KioskApp._ready):
    real(self)
    print(json.dumps({"settings": type(self.settings).__name__, "kiosk_id": self.settings.kiosk_id}), flush=True)
    self.quit(0)
ui.app.KioskApp._ready = ready
from ui import cli
cli.main(["run", "--demo", "--window", "--data-dir", sys.argv[1], "--config", sys.argv[2]])
"""


def test_kiosk_run_demo_starts_and_its_first_lines_reach_the_log_file(tmp_path):
    quiet = tmp_path / "quiet.toml"
    quiet.write_text("[ui]\nvoice = false\n")
    out = subprocess.run([sys.executable, "-c", READY, str(tmp_path / "data"), str(quiet)], cwd=ROOT,
                         env=_env(tmp_path), capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"settings": "Settings", "kiosk_id": "SZ-DEMO-0001"}
    log = (tmp_path / "data" / "logs" / "kiosk.log").read_text(encoding="utf-8")
    # Logged in phase 1, before the log file existed (ui/boot_log.py), in the file's own format, once.
    assert len(re.findall(r"^\d{4}-\d\d-\d\d [\d:,]+ INFO ui.app: screen: ", log, re.M)) == 1, log[:2000]
    assert "INFO ui.app: kiosk ready" in log


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

    k = make_kiosk(idle={"print_after_s": 120})  # the result screen stays (its 3 s auto-print would move it on)
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
        qtbot.waitUntil(at(k, "result"), timeout=90000)
    finally:
        k.app.window.frameSwapped.disconnect(swapped)
    assert order == ["submit screen", "package"]
    assert k.journey.session.outcome.reference  # stored and sent as before


@pytest.fixture
def root_logging():
    """`kiosk run`'s start sets the root logger up (ui/boot_log.py, ui.cli.setup_logging): put pytest's back."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield
    for h in root.handlers:
        if h not in saved[0]:
            h.close()
    root.handlers, root.level = saved[0], saved[1]


def test_a_wrong_setting_is_said_on_screen_with_2220_logged_with_its_file_and_key_and_exits_2(
        qapp, qtbot, tmp_path, monkeypatch, capfd, root_logging):
    """A key the first frame does not read is checked in phase 2 (the full settings): the technician still
    learns which file and key, on the console and in the log file; the kiosk says 2220 and exits with the
    settings error's status 2, for systemd to start it again (a fixed file is then read)."""
    from kiosk.settings_boot import default_files
    from ui import app as app_module
    from ui.autopilot_driver import UiDriver
    from ui.commands.run import start
    from ui.models.boot_vm import BootPhase

    monkeypatch.setattr(app_module, "BOOT_FAILED_EXIT_MS", 100)
    bad = tmp_path / "bad.toml"
    bad.write_text("[platform]\ntimeout_s = -1\n")
    data = tmp_path / "data"
    app = start(default_files(True, [bad]), data_dir=data, overrides={"ui": {"fullscreen": False, "voice": False}})
    exits: list[int] = []
    app.quit = exits.append  # what would end `kiosk run` (its exit status)
    try:
        app.window.update()
        qtbot.waitUntil(lambda: app.phase is BootPhase.FAILED, timeout=30000)
        assert app.boot.notice["code"] == 2220
        qtbot.waitUntil(lambda: UiDriver(app.window).find("notice") is not None, timeout=5000)
        qtbot.waitUntil(lambda: bool(exits), timeout=5000)
        assert exits == [2]
        assert app.built is None and app.runtime is None
    finally:
        app.close()
    said = f"{bad}: platform.timeout_s: found -1: Input should be greater than 0"
    log = (data / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "ERROR ui.app: [2220] the kiosk could not start: " + said in log
    assert "Traceback" not in log  # the message says it all
    assert re.search(r"^\S+ \S+ INFO ui.app: screen: ", log, re.M)  # phase 1's line reached the file too
    assert said in capfd.readouterr().err


def test_a_wrong_boot_setting_stops_kiosk_run_before_any_window(tmp_path, capsys):
    """A field the first frame reads (here the orientation) cannot wait for phase 2: `kiosk run` stops at once
    with the message and status every command gives for a wrong setting."""
    from ui.cli import main

    bad = tmp_path / "bad.toml"
    bad.write_text('[ui]\norientation = "upside-down"\n')
    assert main(["run", "--demo", "--window", "--data-dir", str(tmp_path / "data"), "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kiosk: settings error:\n")
    assert f"{bad}: ui.orientation: found 'upside-down': Input should be 'portrait' or 'landscape'" in err
