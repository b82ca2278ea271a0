"""电子监察 in a real browser engine (Qt WebEngine): a supervisor logs in by typing, sees the overdue case on the
dashboard and urges it, opens the trail of a kiosk's case with the chain check, and records a return call on a
bad rating's follow-up. Screenshots land in screenshots/staff/ (git-ignored) for a person to look at."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_supervisor_urges_an_overdue_case_reads_a_trail_and_records_a_return_call_in_a_browser():
    pytest.importorskip("PySide6.QtWebEngineWidgets")
    out = ROOT / "screenshots" / "staff"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_IM_MODULE", "QT_QUICK_BACKEND")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-m", "tests.helpers.watch_webengine", str(out)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, run.stdout[-2000:] + run.stderr[-2000:]
    seen = json.loads(lines[-1])
    assert run.returncode == 0, (seen["failed"], seen["qt_warnings"])
    assert seen["supervisions"] == [["zhaomin", "workbench"]]  # nobody claimed it, no mobile: the flag only
    assert seen["steps"] == [["zhaomin", "call"]]
    assert len(seen["screenshots"]) == 5 and all(Path(p).stat().st_size > 10_000 for p in seen["screenshots"])
