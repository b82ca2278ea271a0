"""``kiosk autopilot --mine`` (issue 18): after its journeys the scripted citizen taps 我的办件, lays the same
card, finds the run's application listed (newest first) and opens it with its timeline; the layout checker
finds nothing on the card prompt, the list or the detail, here in landscape, elder mode and English."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.patient import patient_data_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_autopilot_finds_its_application_in_my_applications(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--item", "920000001000", "--mine",
                           "--elder", "--orientation", "landscape", "--lang", "en_US", "--identity", "graduate",
                           "--screenshots", str(tmp_path / "shots")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 2 and proc.returncode == 0, (lines, proc.stderr[-2000:])
    journey, mine = lines
    assert journey["status"] == "approved" and journey["platform_ref"].startswith("SZ")
    assert mine["mine"] == "list" and mine["listed"][0] == journey["platform_ref"] and "error" not in mine, mine
    assert mine["opened"] == journey["platform_ref"] and mine["timeline"] >= 2
    assert mine["statuses"][0] == "Approved" and "layout_problems" not in mine
    shots = sorted(p.name for p in (tmp_path / "shots").iterdir())
    for state in ("card", "list", "detail"):
        assert any(n.endswith(f"mine-{state}.png") for n in shots), (state, shots)
