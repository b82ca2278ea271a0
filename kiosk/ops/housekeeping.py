"""Housekeeping for round-the-clock operation: the temporary directory is emptied at start and after
every session, so nothing a citizen left behind (a stray scan, a half-written PDF) outlives the session
and the disk does not fill up over months."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger(__name__)


def sweep_tmp(directory: Path) -> int:
    """Remove everything inside ``directory`` (not the directory itself); returns how many entries went."""
    directory = Path(directory)
    removed = 0
    try:
        entries = list(directory.iterdir())
    except FileNotFoundError:
        return 0
    for entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        except OSError as exc:  # a file we may not delete must not stop the kiosk; the doctor shows it
            log.warning("tmp sweep: cannot remove %s: %s", entry, exc)
    if removed:
        log.info("tmp sweep: removed %d entries from %s", removed, directory)
    return removed
