"""Memory that stays flat over thousands of citizens (issue 22: RSS after 1,000 journeys within 10 % of warm).

glibc gives every thread that allocates its own malloc arena (up to 8 per core) and hands freed memory back
to the system slowly, so a kiosk with a dozen worker threads (devices, outbox, platform, analysis) grew its
RSS by ~5 % per 100 journeys in bench_soak while its Python objects did not grow at all. Two arenas keep it
flat (+0.4 MB per 100 journeys after the first 50) and the warm process ~50 MB smaller; the threads contend
a little more for the allocator, which the soak's time per journey does not show. ``MALLOC_ARENA_MAX`` in the
environment (deploy/kiosk.service) still wins: this only applies when it is unset.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger(__name__)

ARENAS = 2  # malloc arenas for the whole process
_M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas (call before the worker threads start); False where it does not apply
    (another C library, or ``MALLOC_ARENA_MAX`` already set by whoever started the process)."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = bool(mallopt(_M_ARENA_MAX, int(arenas)))
    if not ok:
        log.debug("mallopt(M_ARENA_MAX) refused")
    return ok
