"""An offline run (issue 15, item 3): the autopilot against an unreachable platform. The fee item is refused
at its guide before any work, and the run says so; the queueable item (无犯罪记录证明: no fee, no look-up)
completes with the offline receipt, whose promises hold: the local number printed, "sent when the network is
back", no SMS; once the network is back it goes out by itself and 进度查询 finds it by that local number with
the applicant's card."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_offline_a_fee_item_is_refused_at_the_guide_and_a_queueable_item_keeps_its_receipts_promises(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--offline", "--item", "910000002000",
                           "--item", "312000218000", "--screenshots", str(tmp_path / "shots")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 3 and proc.returncode == 0, (lines, proc.stderr[-2000:])
    fee, cert, lookup = lines
    assert fee["item"] == "910000002000" and fee["refused_at"] == "guide" and fee["start_enabled"] is False
    assert "需要在线缴费" in fee["reason"] and fee["taps"] <= 3  # 开始 → 我要办事 → the item: nothing more
    assert cert["item"] == "312000218000" and cert["status"] == "queued" and cert["platform_ref"] is None
    assert cert["receipt_printed"] and cert["offline_receipt"] == "kept" and "error" not in cert
    assert lookup["local_number"] == cert["local_number"] and lookup["looked_up_after_network_back"]
    assert lookup["platform_ref"].startswith("SZ") and "error" not in lookup
    shots = sorted(p.name for p in (tmp_path / "shots").iterdir())
    # the fee item never reached the card reader: its last screen was the guide
    assert not any(n.startswith("01-") and "identify" in n for n in shots)
    assert any(n.startswith("01-") and n.endswith("guide.png") for n in shots)


@pytest.mark.slow
def test_offline_in_elder_mode_the_local_number_to_keep_is_shown_whole(tmp_path):
    """The result screen's 本机编号 (26 characters) fits the card in elder mode: the layout checker of the run
    finds nothing cut off or off screen on any screen, the offline notice and flags included."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "autopilot", "--offline", "--elder",
                           "--item", "312000218000"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 2 and proc.returncode == 0, (lines, proc.stderr[-2000:])
    assert lines[0]["status"] == "queued" and "layout_problems" not in lines[0], lines[0]
