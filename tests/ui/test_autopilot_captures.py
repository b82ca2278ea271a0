"""The autopilot's count of pages captured by hand (issue 22): every journey line carries it, the run's total
goes to stderr, and each page taken by hand says what the screen showed and which scene was laid."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.patient import patient_data_dir

ROOT = Path(__file__).resolve().parents[2]
ITEM = "940000001000"  # 个体工商户设立登记: three materials laid under the camera


@pytest.mark.slow
def test_pages_auto_capture_did_not_take_are_counted_per_journey_and_for_the_run(tmp_path):
    # A hold-still time longer than the citizen's patience: auto-capture never fires, every page is taken by
    # hand. The patience is 4 s, not a person's 8 (three pages: 12 s less of waiting); the screen says
    # "steadying" well before (a page laid still is outlined within a second).
    slow = tmp_path / "slow.toml"
    slow.write_text("[devices.camera.options]\nauto_hold_s = 30\n", encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--config", str(slow), "--item", ITEM,
                           "--journeys", "1", "--capture-patience", "4"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert proc.returncode == 0 and len(lines) == 1 and "error" not in lines[0], (lines, proc.stderr[-2000:])
    line = lines[0]
    assert line["pages_captured_by_hand"] == 3, line
    hand = line["hand_captures"]
    assert [h["material"] for h in hand] == ["application", "premises_proof", "family_proof"], hand
    for h in hand:
        assert h["screen"] == "steadying" and h["kind"] == "form" and isinstance(h["seed"], int), h
        assert h["preview"]["seq"] > 0 and h["camera_seq"] >= h["preview"]["seq"], h  # the preview kept up
    summary = [json.loads(x)["summary"] for x in proc.stderr.splitlines() if x.startswith('{"summary"')]
    assert summary == [{"journeys": 1, "failures": 0, "pages_captured_by_hand": 3, "pages_laid_again": 0}], \
        proc.stderr[-2000:]
