"""One BLAS thread for the whole kiosk process (issue 22 items 1 and 5: speed per frame, CPU of the live preview).

numpy's wheels bundle OpenBLAS, which runs a least-squares fit, a large matrix product or a solve on as many
threads as the machine has cores. The page detector makes many small such calls per frame (docscan.rim fits the
desk's light with ``lstsq`` on ~3,000 border pixels; refinement and scoring multiply long arrays), from the
analysis thread, while the GUI thread, the camera driver and the barcode scanner run beside it. On a 2-core
machine that is busy, OpenBLAS's worker threads spin waiting for each other: measured on this machine at a load
of 5-7, one ``lstsq`` of 3000 x 6 took 7.1 ms of wall time and 3.1 ms of CPU with the default threads against
0.62 ms and 0.30 ms with one thread; a whole detection of an empty desk 78-84 ms of CPU against 42-55 ms.

OpenBLAS reads ``OPENBLAS_NUM_THREADS`` once, when numpy is first imported, so this must run before that; the
kiosk's composition root (ui.cli.main) calls it first. A value already in the environment (a technician's
experiment, deploy/kiosk.service) wins.
"""
from __future__ import annotations

import os
import sys

BLAS_THREADS = 1
_VARS = ("OPENBLAS_NUM_THREADS",)


def one_blas_thread(threads: int = BLAS_THREADS) -> bool:
    """Set the BLAS thread count for this process unless numpy is already loaded (then it is too late: returns
    False, whatever the environment says) or the environment already sets it (left as it is). Returns whether
    the environment now holds a count for numpy to read."""
    if "numpy" in sys.modules:
        return False
    for name in _VARS:
        os.environ.setdefault(name, str(threads))
    return True
