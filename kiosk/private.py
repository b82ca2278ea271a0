"""Files and directories only the kiosk's user can read: directories 0700, files 0600, whatever the umask.

Under deploy/kiosk.service systemd already gives ``StateDirectoryMode=0700`` and ``UMask=0077``; a kiosk
started otherwise (a technician's ``kiosk`` command, the demo, a test) must not leave citizens' data
world-readable under a 0022 umask, so every writer under data_dir goes through these.
"""
from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents with mode 0700 (``mkdir(mode=)`` alone spares the parents)."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(d, DIR_MODE)  # mkdir's mode is filtered by the umask; 0700 is what we mean
    return path


def write_private(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Replace ``path`` atomically with ``data``, mode 0600, its directory created 0700."""
    path = Path(path)
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # an older .tmp left with another mode
        os.write(fd, data)
        if fsync:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
