"""`make demo` needs a real X display: run the autopilot under Xvfb with Qt's xcb plugin (the libxcb
packages are checked here, which offscreen tests would never notice)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.patient import patient_data_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.xvfb
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed (Debian package xvfb)")
def test_the_autopilot_completes_a_journey_on_a_real_x_server(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    env.pop("QT_QUICK_BACKEND", None)
    shots = tmp_path / "shots"
    # A hang must say where it hangs: Python's fault handler prints every thread's stack on SIGABRT, which the
    # whole process group (xvfb-run, Xvfb, the kiosk) gets when the time is up.
    env["PYTHONFAULTHANDLER"] = "1"
    proc = subprocess.Popen(
        ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", sys.executable, "-m", "ui.cli", "autopilot",
         "--item", "920000008000", "--journeys", "1", "--screenshots", str(shots)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGABRT)
        out, err = proc.communicate(timeout=30)
        pytest.fail("the autopilot under X did not finish in 240 s; its threads:\n" + err[-12000:])
    assert proc.returncode == 0, out[-2000:] + err[-3000:]
    line = json.loads(out.strip().splitlines()[-1])
    assert line["receipt_printed"] and line["platform_ref"].startswith("SZ")
    assert len(list(shots.glob("*.png"))) >= 8
    # pytest-qt fails in-process tests on Qt warnings; this run is a subprocess, so read its stderr: a QML
    # warning (binding loop, undefined property, anchors ...) always names its file as "X.qml:LINE".
    qml_warnings = [line for line in err.splitlines() if ".qml:" in line]
    assert not qml_warnings, "\n".join(qml_warnings[:20])


def test_kiosk_help_lists_the_commands():
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    for command in ("run", "autopilot", "central", "catalog"):
        assert command in proc.stdout
