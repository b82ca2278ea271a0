"""RSS stays flat over thousands of journeys: the kiosk caps glibc's malloc arenas at start (issue 22), unless
whoever started it set MALLOC_ARENA_MAX (deploy/kiosk.service does)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CODE = "from kiosk.ops.memory import limit_malloc_arenas; print(limit_malloc_arenas())"


def run(env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **env})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_arenas_are_capped_on_glibc():
    assert run({}) == "True"


def test_an_arena_limit_set_by_the_service_is_left_alone():
    assert run({"MALLOC_ARENA_MAX": "4"}) == "False"

