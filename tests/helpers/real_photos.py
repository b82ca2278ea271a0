"""Real document photos with true page corners, split into a tuning part and a held-apart part.

See bench/data/real_photos/manifest.json (the split and why) and SOURCES.md (licences). The tuning part is
committed; the held-apart part has no licence to redistribute and is read from a local checkout named by
``KIOSK_HELD_PHOTOS`` (or the fetch mirror of the source repository, when this machine has one).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

FOLDER = Path(__file__).resolve().parents[2] / "bench" / "data" / "real_photos"
MANIFEST = FOLDER / "manifest.json"
_MIRROR = Path("/work/.mirror/WorshipTool+image-parser/repo")
PREVIEW_LONG_SIDE = 1280


@dataclass(frozen=True)
class Photo:
    name: str
    image: np.ndarray          # BGR, at most PREVIEW_LONG_SIDE on the long side
    corners: np.ndarray        # (4, 2) TL TR BR BL in the pixels of ``image``
    what: str


def _manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def tuning_photos() -> list[Photo]:
    """The committed part (may be used to adjust the detector)."""
    out = []
    for p in _manifest()["tune"]["photos"]:
        img = cv2.imread(str(FOLDER / p["file"]), cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(FOLDER / p["file"])
        out.append(Photo(p["file"], img, np.array(p["corners"], np.float64), p["what"]))
    return out


def held_folder() -> Path | None:
    """Where the held-apart photos are on this machine, or None."""
    env = os.environ.get("KIOSK_HELD_PHOTOS")
    if env:
        return Path(env)
    cache = Path(os.environ.get("KIOSK_TEST_DATA", Path.home() / ".cache" / "kiosk-test-data")) / "image-parser"
    if cache.is_dir():
        return cache
    if (_MIRROR / "HEAD").exists():
        _export_from_mirror(cache)
        return cache
    return None


def _export_from_mirror(dest: Path) -> None:
    """Copy the held-apart photos out of a bare git mirror (no work tree) into the test-data cache."""
    import subprocess

    spec = _manifest()["held"]
    dest.mkdir(parents=True, exist_ok=True)
    for p in spec["photos"]:
        ref = f"{spec['commit']}:{spec['folder_in_repo']}/{p['file']}"
        blob = subprocess.run(["git", "-C", str(_MIRROR), "show", ref], check=True, capture_output=True).stdout
        (dest / p["file"]).write_bytes(blob)


def held_photos() -> list[Photo]:
    """The held-apart part, downscaled like a preview frame; empty when it is not on this machine."""
    folder = held_folder()
    if folder is None:
        return []
    out = []
    for p in _manifest()["held"]["photos"]:
        img = cv2.imread(str(folder / p["file"]), cv2.IMREAD_COLOR)   # EXIF orientation applied, as labelled
        if img is None:
            continue
        f = PREVIEW_LONG_SIDE / max(img.shape[:2])
        if f < 1:
            img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        h, w = img.shape[:2]
        corners = np.array(p["corners_normalised"], np.float64) * [w, h]
        out.append(Photo(p["file"], img, corners, "image-parser photo"))
    return out
