"""The API fuzz module builds its platform's data directory when it is imported (by every pytest worker, even one
that runs none of its cases): the process must leave nothing of it in /tmp when it exits."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_fuzz_module_leaves_no_data_directory_behind():
    proc = subprocess.run([sys.executable, "-c", "import tests.integration.test_central_fuzz as m; print(m._DATA)"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    made = Path(proc.stdout.strip().splitlines()[-1])
    assert made.name.startswith("central-fuzz-"), proc.stdout
    assert not made.exists(), f"{made} left behind"
