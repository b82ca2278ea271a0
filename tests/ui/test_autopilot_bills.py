"""The same bill twice in one autopilot run is paid once (issue 15, items 2 and 10): the real journey, the
embedded platform and its biller's ledger, the simulated phone and printer."""
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
def test_the_same_bill_twice_is_paid_once_and_the_second_time_no_money_is_taken(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(patient_data_dir(tmp_path / "data")))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--item", "960000001000", "--journeys", "2",
                           "--screenshots", str(tmp_path / "shots")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 2 and proc.returncode == 0, (lines, proc.stderr[-2000:])
    first, second = lines
    assert first["status"] == "paid" and first["transaction_id"] and first["receipt_printed"]
    assert second["status"] == "already_paid" and second["transaction_id"] is None
    assert not second["receipt_printed"] and "error" not in second
    shots = sorted(p.name for p in (tmp_path / "shots").iterdir())
    # the first bill: no delivery, review, submit or result screen; the second: told on the payment screen
    assert not any(s in name for name in shots for s in ("delivery", "review", "submit", "result"))
    assert any(name.startswith("02-") and name.endswith("payment.png") for name in shots)
    assert not any(name.startswith("02-") and name.endswith("receipt.png") for name in shots)
