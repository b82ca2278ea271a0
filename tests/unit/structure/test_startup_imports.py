"""Start-up (issue 22): what the kiosk's start path must not import before its first frame. The embedded
platform's web stack is built after the first frame; reportlab only when an A4 receipt is printed."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LATE = ("fastapi", "hypercorn", "starlette", "central.app", "reportlab")


def test_the_start_path_does_not_import_the_platform_web_stack_nor_reportlab():
    code = ("import sys, json; import ui.app, ui.cli, ui.commands.run, central.server, central.fault_gate; "
            f"print(json.dumps([m for m in {list(LATE)!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
