"""Start-up time to the first frame of the home screen and the time of each screen change, against a bare
QML window (label, button, text field, virtual keyboard) measured in the same run.

Run: python bench/bench_ui.py [--runs N]. Each measurement is a fresh process (offscreen, software
rendering, like the tests); medians are printed. The machine is shared and noisy: compare ratios.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]

BARE_QML = b"""
import QtQuick
import QtQuick.Controls
import QtQuick.VirtualKeyboard
ApplicationWindow {
    width: 1080; height: 1920; visible: true
    Column { anchors.centerIn: parent; spacing: 20
        Label { text: "\xe6\x94\xbf\xe5\x8a\xa1\xe6\x9c\x8d\xe5\x8a\xa1"; font.pixelSize: 48 }
        Button { text: "OK"; width: 300; height: 100 }
        TextField { width: 600 }
    }
    InputPanel { y: parent.height; width: parent.width }
}
"""


def first_frame(window, app) -> float:
    """Seconds since process start when the window shows its next frame."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    stamp: list[float] = []
    window.frameSwapped.connect(lambda: (stamp.append(time.perf_counter() - T0), loop.quit()) if not stamp else None)
    window.update()
    QTimer.singleShot(20000, loop.quit)
    loop.exec()
    return stamp[0] if stamp else float("nan")


def child_bare() -> dict:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine
    from PySide6.QtQuick import QQuickWindow  # noqa: F401

    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    app = QGuiApplication([])
    engine = QQmlApplicationEngine()
    engine.loadData(BARE_QML)
    window = engine.rootObjects()[0]
    return {"first_frame_s": first_frame(window, app)}


def child_kiosk() -> dict:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QGuiApplication

    from devices import sim
    from kiosk.settings import default_files, load_settings
    from kiosk.journey.plan import Step
    from ui.app import KioskApp
    from ui.cli import Composition

    app = QGuiApplication([])
    data = os.environ["BENCH_DATA_DIR"]  # shared across runs: a restart of a kiosk keeps its caches
    settings = load_settings(default_files(True), data_dir=data,
                             overrides={"ui": {"fullscreen": False, "voice": False}})
    comp = Composition(settings)
    kapp = KioskApp(comp.runtime)
    window = kapp.window
    attract = first_frame(window, app)
    journey = comp.runtime.journey
    vm = kapp.vm

    def change(action) -> float:
        """Action -> the new screen's page loaded -> its first frame (seconds)."""
        before = vm.step
        t = time.perf_counter()
        action()
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: loop.quit() if vm.step != before and not vm.busy else None)
        timer.start(1)
        QTimer.singleShot(20000, loop.quit)
        loop.exec()
        timer.stop()
        first_frame(window, app)
        return time.perf_counter() - t

    changes = {}
    changes["attract->home"] = change(journey.wake)
    home = time.perf_counter() - T0
    changes["home->catalog"] = change(journey.open_catalog)
    changes["catalog->guide"] = change(lambda: journey.choose_item("920000008000"))
    changes["guide->identify"] = change(journey.start_item)
    changes["identify->form"] = change(lambda: sim.get_hardware(settings.devices.idcard.url).place_card("graduate"))
    for name, value in (("proof_type", "summary"), ("from_month", "202301"), ("to_month", "202412")):
        journey.set_field(name, value)
    changes["form->delivery"] = change(journey.submit_form)
    changes["delivery->review"] = change(journey.delivery_done)
    changes["review->result"] = change(journey.confirm)
    changes["result->receipt"] = change(journey.proceed)
    assert journey.step in (Step.RECEIPT,), journey.step
    kapp.close()
    comp.close()
    return {"attract_first_frame_s": attract, "home_first_frame_s": home, "changes_s": changes}


DATA_DIR = tempfile.mkdtemp(prefix="bench-ui-")


def run_child(kind: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_QUICK_BACKEND="software", BENCH_DATA_DIR=DATA_DIR)
    out = subprocess.run([sys.executable, __file__, "--child", kind], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    if out.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", choices=["bare", "kiosk"])
    args = ap.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        result = child_bare() if args.child == "bare" else child_kiosk()
        print(json.dumps(result))
        return 0
    run_child("kiosk")  # warm-up: builds the caches a kiosk keeps across restarts (catalog, search index)
    bare = [run_child("bare")["first_frame_s"] for _ in range(args.runs)]
    kiosk = [run_child("kiosk") for _ in range(args.runs)]
    med_bare = statistics.median(bare)
    med_attract = statistics.median(k["attract_first_frame_s"] for k in kiosk)
    med_home = statistics.median(k["home_first_frame_s"] for k in kiosk)
    print(f"runs: {args.runs} (fresh process each, offscreen, software rendering)")
    print(f"baseline bare QML window, first frame:   {med_bare * 1000:7.0f} ms")
    print(f"kiosk attract screen, first frame:       {med_attract * 1000:7.0f} ms  ({med_attract / med_bare:.2f}x baseline)")
    print(f"kiosk home screen, first frame:          {med_home * 1000:7.0f} ms  ({med_home / med_bare:.2f}x baseline)")
    print("screen changes (action -> new screen's first frame), median ms:")
    for name in kiosk[0]["changes_s"]:
        vals = [k["changes_s"][name] for k in kiosk]
        print(f"  {name:18s} {statistics.median(vals) * 1000:7.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
