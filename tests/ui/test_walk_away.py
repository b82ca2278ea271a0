"""Issue 15, item 10: the citizen who walks away. For a fee item (910000004000, ￥10) the autopilot leaves at
every step that has an idle timeout, in one run; at no step is money lost. SUBMIT has no idle timeout by
design: a kiosk killed there is covered by tests/unit/journey/test_money.py (the ledger after a power loss)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.patient import patient_data_dir
from ui.commands.autopilot import ABANDON_STEPS

ROOT = Path(__file__).resolve().parents[2]
FEE_ITEM = "910000004000"
BEFORE_PAYING = {"guide", "identify", "form", "materials", "sign", "delivery", "review"}


@pytest.mark.slow
def test_walking_away_at_every_step_of_a_fee_item_loses_no_money(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--item", FEE_ITEM, "--journeys", "1",
                           "--abandon-at", "all"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert proc.returncode == 0, (lines, proc.stderr[-2000:])
    by_step = {x["abandoned_at"]: x for x in lines if "abandoned_at" in x}  # other JSON lines are shown below
    assert set(by_step) == set(ABANDON_STEPS), lines
    walked = {s: x for s, x in by_step.items() if "skipped" not in x}
    assert {"guide", "review", "payment", "result", "receipt", "end"} <= set(walked)
    for step, line in walked.items():
        assert line["ended_by"] == "idle_timeout" and "error" not in line, line
        if step in BEFORE_PAYING:
            assert line["payment"] == "none", line  # nothing is charged before the review is confirmed
        elif step == "payment":
            assert line["payment"] == "refunded", line  # the phone paid after the kiosk closed the order
        else:
            assert line["payment"] == "submitted", line  # the paid order went out with the application
