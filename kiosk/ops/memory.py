"""Memory that stays flat over thousands of citizens (issue 22: RSS after 1,000 journeys within 10 % of warm).

glibc gives every thread that allocates its own malloc arena (up to 8 per core) and hands freed memory back
to the system slowly, so a kiosk with a dozen worker threads (devices, outbox, platform, analysis) grew its
RSS by ~5 % per 100 journeys in bench_soak while its Python objects did not grow at all. Two arenas keep it
flat (+0.4 MB per 100 journeys after the first 50) and the warm process ~50 MB smaller; the threads contend
a little more for the allocator, which the soak's time per journey does not show. ``MALLOC_ARENA_MAX`` in the
environment (deploy/kiosk.service) still wins: this only applies when it is unset.

Large buffers (a camera still, a 1080p frame, a page image: 1-40 MB) are the other half. glibc serves a big
allocation with mmap and gives it back on free, but the first such free raises its mmap threshold to that
size (the "dynamic threshold", up to 32 MB), after which buffers of that size come from the heap and stay in
the process: bench_soak's RSS rose in 24 MB steps after page captures (warm 392 MB -> 441 MB after 1,000
journeys, x1.128). A fixed threshold of 1 MiB keeps every image buffer mmapped and returned on free (warm
342 MB, +7 MB after 120 journeys). ``MALLOC_MMAP_THRESHOLD_`` in the environment wins here too.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger(__name__)

ARENAS = 2  # malloc arenas for the whole process
MMAP_THRESHOLD_BYTES = 1 << 20  # allocations from this size are mmapped and returned to the system on free
_M_ARENA_MAX = -8  # glibc's mallopt parameter numbers (malloc.h)
_M_MMAP_THRESHOLD = -3


def _mallopt():
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return None


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas and fix its mmap threshold (call before the worker threads start). Returns
    whether the arena cap was applied: False where it does not apply (another C library, or
    ``MALLOC_ARENA_MAX`` already set by whoever started the process). The mmap threshold is fixed either way
    unless ``MALLOC_MMAP_THRESHOLD_`` is set (see ``fix_mmap_threshold``)."""
    fix_mmap_threshold()
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    mallopt = _mallopt()
    if mallopt is None:
        return False
    ok = bool(mallopt(_M_ARENA_MAX, int(arenas)))
    if not ok:
        log.debug("mallopt(M_ARENA_MAX) refused")
    return ok


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Serve every allocation of ``threshold`` bytes or more with mmap, for good: freed image buffers go back
    to the system instead of staying in the heap. False where it does not apply (another C library, or
    ``MALLOC_MMAP_THRESHOLD_`` set in the environment)."""
    if os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        return False
    mallopt = _mallopt()
    if mallopt is None:
        return False
    ok = bool(mallopt(_M_MMAP_THRESHOLD, int(threshold)))
    if not ok:
        log.debug("mallopt(M_MMAP_THRESHOLD) refused")
    return ok
