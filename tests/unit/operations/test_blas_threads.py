"""The kiosk runs numpy's OpenBLAS on one thread (kiosk.ops.threads): its worker threads spun waiting for each
other on a busy 2-core machine, tripling the page detector's CPU on an empty desk. Set before numpy's first import
by the composition root; a count the service or a technician set is left alone."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.ops.threads import one_blas_thread

ROOT = Path(__file__).resolve().parents[3]
# The kiosk's own start (ui.cli.main, here printing its help), then numpy, then OpenBLAS asked how many threads
# it runs (the symbol numpy's bundled scipy-openblas exports).
CODE = """
import contextlib, ctypes, glob, io, os
from ui import cli
with contextlib.redirect_stdout(io.StringIO()):
    cli.main([])
import numpy
lib = glob.glob(os.path.join(os.path.dirname(numpy.__file__) + '.libs', 'libscipy_openblas*.so'))
if not lib:
    print('no-bundled-openblas')
else:
    print(ctypes.CDLL(lib[0]).scipy_openblas_get_num_threads64_())
"""


def threads_after_start(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**clean, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", **env})
    assert out.returncode == 0, out.stderr
    result = out.stdout.strip().splitlines()[-1]
    if result == "no-bundled-openblas":
        pytest.skip("this numpy does not bundle scipy-openblas")
    return result


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="OpenBLAS runs one thread anyway on one core")
def test_the_kiosk_starts_numpy_with_one_blas_thread():
    assert threads_after_start({}) == "1"


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores to tell 2 threads from 1")
def test_a_thread_count_set_by_whoever_started_the_kiosk_is_left_alone():
    assert threads_after_start({"OPENBLAS_NUM_THREADS": "2"}) == "2"


def test_too_late_once_numpy_is_loaded():
    import numpy  # noqa: F401  (pytest has loaded it long before: OpenBLAS has read its environment)
    assert one_blas_thread() is False
