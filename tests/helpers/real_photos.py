"""Real document photos with true page corners, split into a tuning part and a held-apart part.

See bench/data/real_photos/manifest.json (the split and why) and SOURCES.md (licences). The tuning part is
committed. The held-apart part has several sources: those whose licence lets us copy them are committed next
to the tuning photos; the others are read from a local checkout (``KIOSK_HELD_PHOTOS`` for image-parser,
``env`` of each source in the manifest for the others) or the fetch mirror of their repository, and are skipped when
neither is on this machine.
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
    source: str = ""


def _manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def held_sources() -> list[dict]:
    """The held-apart part's sources as the manifest lists them (each wholly in this part)."""
    return _manifest()["held"]["sources"]


def tuning_sources() -> set[str]:
    tune = _manifest()["tune"]
    return ({p["source"] for p in tune["photos"]} | {tune["source"]}
            | {src["source"] for src in tune.get("sources", [])})


def tune_extra_sources() -> list[dict]:
    """The tuning part's sources added after jscanify (issue 22 item 1, third round), in the held part's format."""
    return _manifest()["tune"].get("sources", [])


def tuning_photos() -> list[Photo]:
    """The tuning part (may be used to adjust the detector): jscanify's photos, then the later sources (the
    committed ones always; those without a licence only where their checkout or fetch mirror is present)."""
    out = []
    for p in _manifest()["tune"]["photos"]:
        img = cv2.imread(str(FOLDER / p["file"]), cv2.IMREAD_COLOR)
        if img is None:
            raise FileNotFoundError(FOLDER / p["file"])
        out.append(Photo(p["file"], img, np.array(p["corners"], np.float64), p["what"], p["source"]))
    for src in tune_extra_sources():
        out += _labelled_photos(src)
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

    spec = _image_parser()
    dest.mkdir(parents=True, exist_ok=True)
    for p in spec["photos"]:
        ref = f"{spec['commit']}:{spec['folder_in_repo']}/{p['file']}"
        blob = subprocess.run(["git", "-C", str(_MIRROR), "show", ref], check=True, capture_output=True).stdout
        (dest / p["file"]).write_bytes(blob)


def _image_parser() -> dict:
    return next(src for src in held_sources() if src["source"] == "WorshipTool/image-parser")


def _downscale(img: np.ndarray) -> np.ndarray:
    f = PREVIEW_LONG_SIDE / max(img.shape[:2])
    if f < 1:
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return img


def _image_parser_photos() -> list[Photo]:
    folder = held_folder()
    if folder is None:
        return []
    out = []
    for p in _image_parser()["photos"]:
        img = cv2.imread(str(folder / p["file"]), cv2.IMREAD_COLOR)   # EXIF orientation applied, as labelled
        if img is None:
            continue
        img = _downscale(img)
        h, w = img.shape[:2]
        corners = np.array(p["corners_normalised"], np.float64) * [w, h]
        out.append(Photo(p["file"], img, corners, "image-parser photo", "WorshipTool/image-parser"))
    return out


def _mirror_blob(src: dict, name: str, env: str) -> bytes | None:
    """A photo of an uncommitted source: from the folder named by ``env``, else from its fetch mirror."""
    import subprocess

    folder = os.environ.get(env)
    if folder:
        path = Path(folder) / name
        return path.read_bytes() if path.exists() else None
    mirror = Path(src["mirror"])
    if not (mirror / "HEAD").exists():
        return None
    folder = src["folder_in_repo"].strip("/")
    ref = f"{src['commit']}:{folder}/{name}" if folder not in ("", ".") else f"{src['commit']}:{name}"   # photos at the top
    done = subprocess.run(["git", "-C", str(mirror), "show", ref], capture_output=True)
    return done.stdout if done.returncode == 0 else None


def _labelled_photos(src: dict) -> list[Photo]:
    """A source labelled for this set (tools/label_page_corners.py): corners in the stored / downscaled image."""
    out = []
    for p in src["photos"]:
        if "folder" in src:
            img = cv2.imread(str(FOLDER / p["file"]), cv2.IMREAD_COLOR)
        else:
            blob = _mirror_blob(src, p["file"], src["env"])
            if blob is None:
                continue
            img = cv2.imdecode(np.frombuffer(blob, np.uint8), cv2.IMREAD_COLOR)
            img = _downscale(img) if img is not None else None
        if img is None:
            continue
        out.append(Photo(p["file"], img, np.array(p["corners"], np.float64), p["what"], src["source"]))
    return out


def held_photos() -> list[Photo]:
    """The held-apart part, downscaled like a preview frame; sources not on this machine are left out."""
    out = _image_parser_photos()
    for src in held_sources():
        if src["source"] != "WorshipTool/image-parser":
            out += _labelled_photos(src)
    return out
