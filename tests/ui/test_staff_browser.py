"""The review workbench in a real browser engine (Qt WebEngine: Chromium inside Qt; Debian's chromium is not
on this machine): a kiosk submits, a reviewer logs in by typing, opens the case from the queue, claims and
approves it, and the kiosk's status query shows the approval. Screenshots of each page land in
screenshots/staff/ (git-ignored) for a person to look at."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_reviewer_logs_in_claims_and_approves_in_a_browser_and_the_kiosk_sees_the_decision():
    pytest.importorskip("PySide6.QtWebEngineWidgets")
    out = ROOT / "screenshots" / "staff"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_IM_MODULE", "QT_QUICK_BACKEND")}  # a desktop's
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))  # browser has no kiosk keyboard
    run = subprocess.run([sys.executable, "-m", "tests.helpers.staff_webengine", str(out)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, run.stdout[-2000:] + run.stderr[-2000:]
    seen = json.loads(lines[-1])
    assert run.returncode == 0, (seen["failed"], seen["qt_warnings"])
    assert seen["status"] == "approved" and seen["notes"][-2] == "人工审核通过" and seen["notes"][-1].startswith("已签发")
    assert seen["reviewers"] == ["wangli"] and seen["queue_still_lists_case"] is False
    assert len(seen["screenshots"]) == 5 and all(Path(p).stat().st_size > 10_000 for p in seen["screenshots"])
