"""Taps per item, measured by the autopilot through the real UI (issue 17): 无犯罪记录证明 in at most 10 touches
on controls (keystrokes of its one typed field not counted), the pure confirmations merged away."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.patient import patient_data_dir

ROOT = Path(__file__).resolve().parents[2]
CERT = "312000218000"  # 无犯罪记录证明: 15 taps before issue 17


@pytest.mark.slow
def test_the_certificate_of_no_criminal_record_takes_at_most_ten_taps(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--item", CERT, "--journeys", "1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert proc.returncode == 0 and len(lines) == 1 and "error" not in lines[0], (lines, proc.stderr[-2000:])
    line = lines[0]
    assert line["receipt_printed"] and line["status"] in ("received", "approved")
    assert line["taps"] <= 10, line
