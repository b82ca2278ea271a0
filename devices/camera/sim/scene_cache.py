"""Rendered simulator scenes kept on disk for other processes: the test run only.

A scene (``scene.render_scene``) is a pure function of its seed, size, page kind and category, and takes 1-3 s of
CPU to draw at the simulated camera's 2048x1536. The test run starts the kiosk some sixty times in processes of its
own (the autopilot tests), each laying the same pages again. When ``KIOSK_SIM_SCENE_CACHE`` names a directory (the
test run's conftest makes a fresh one per run and removes it at the end, so a renderer changed between runs is never
served stale), a scene drawn by one process is read back by the next, byte for byte the same. Unset (the demo, a
kiosk), every scene is drawn.
"""
from __future__ import annotations

import hashlib
import os
import threading
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np

ENV = "KIOSK_SIM_SCENE_CACHE"


def cached_image(key: tuple, render: Callable[[], np.ndarray]) -> np.ndarray:
    """``render()``'s image, read from the shared directory when another process drew it under ``key``."""
    return cached_arrays(key, lambda: {"image": render()})["image"]


def cached_arrays(key: tuple, render: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """``render()``'s named arrays (kept together in one file), read back when another process drew them."""
    root = os.environ.get(ENV)
    if not root:
        return render()
    path = Path(root) / (hashlib.sha256(repr(key).encode()).hexdigest()[:40] + ".npz")
    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as stored:
            return {name: stored[name] for name in stored.files}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass
    arrays = render()
    part = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:  # written aside and renamed: a reader sees a whole file or none
        with open(part, "wb") as f:
            np.savez(f, **arrays)
        os.replace(part, path)
    except OSError:
        part.unlink(missing_ok=True)
    return arrays
