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



# A 32 MB buffer freed, then 16 MB and 4 x 3 MB ones: what stays in the process afterwards (MB). Without a fixed
# mmap threshold glibc raises it to 32 MB at the first free and keeps the later buffers in its heap.
BUFFERS = """
import numpy as np
def rss():
    return next(int(l.split()[1]) // 1024 for l in open('/proc/self/status') if l.startswith('VmRSS'))
{setup}
base = rss()
a = np.ones(32 << 20, np.uint8); del a
b = np.ones(16 << 20, np.uint8); del b
c = [np.ones(3 << 20, np.uint8) for _ in range(4)]; del c
print(rss() - base)
"""


def kept_mb(setup: str, env: dict[str, str] | None = None) -> int:
    out = subprocess.run([sys.executable, "-c", BUFFERS.format(setup=setup)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **(env or {})})
    assert out.returncode == 0, out.stderr
    return int(out.stdout.strip())


def test_freed_image_buffers_go_back_to_the_system():
    assert kept_mb("") >= 8  # glibc's default keeps them: the effect this guards against is real here
    assert kept_mb("from kiosk.ops.memory import limit_malloc_arenas; limit_malloc_arenas()") <= 2


def test_freed_image_buffers_go_back_even_when_the_service_caps_the_arenas():
    setup = "from kiosk.ops.memory import limit_malloc_arenas; assert not limit_malloc_arenas()"
    assert kept_mb(setup, {"MALLOC_ARENA_MAX": "2"}) <= 2
