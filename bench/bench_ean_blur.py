"""The EAN template reader (``devices/barcode/ean_blur.py``) against its version before round 6c, same run.

Run: ``python bench/bench_ean_blur.py [--frames N] [--baseline REV]`` (one core; about 30 s at 20 frames).

Every region the locator finds in the camera bench's frames (``bench/barcode_frames.py``, N per symbology:
~930 regions at 20) is cut across its bars as ``decode`` cuts it for the reader, and each cut is read by

* the named baseline: ``ean_blur.py`` as it was at ``--baseline`` (default 9c8b140, main before round 6c),
  loaded from git into this process,
* ``read_ean`` now (the same acceptance, faster),
* ``read_ean(..., live=True)`` now: what ``decode_frame`` runs (middle scanlines first, only extents that
  two scanlines share, stopping at the first agreement),

timed in this thread's CPU time (the machine is shared). Prints median, 90th percentile, max and total ms
per cut, the ratio of each to the baseline, the texts each read (by cut) and every cut where ``read_ean``
and the baseline disagree (there must be none) or the live reading differs from a reading of both.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from barcode_frames import frames

from devices.barcode import ean_blur
from devices.barcode import preprocess as pp
from devices.barcode.locate import bar_angle, regions

BASELINE = "9c8b140"


def baseline_reader(rev: str) -> Callable[[np.ndarray], object] | None:
    """``read_ean`` of ``devices/barcode/ean_blur.py`` at ``rev``, imported beside the current package (its
    relative imports resolve to today's ``preprocess``/``locate``/``symbol``); None if git cannot show it."""
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:devices/barcode/ean_blur.py"],
                           capture_output=True, text=True, check=False)
    if shown.returncode != 0:
        print(f"baseline {rev} not found in git ({shown.stderr.strip()}): no comparison")
        return None
    path = Path(tempfile.mkdtemp()) / "ean_blur_baseline.py"
    path.write_text(shown.stdout)
    spec = importlib.util.spec_from_file_location("devices.barcode._ean_blur_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.read_ean


def cuts(per_symbology: int) -> list[tuple[str, int, str, np.ndarray]]:
    """(frame source, region index, expected text, cut across the bars) for every located region."""
    out = []
    for frame in frames(per_symbology)[0]:
        base = pp.identity(pp.to_gray(frame.image))
        for i, region in enumerate(regions(base.image)):
            cut = pp.cut_out(base, region.box(), bar_angle(base.image, region), "region-bars")
            out.append((frame.source, i, frame.expected, cut.image))
    return out


def timed(read: Callable[[np.ndarray], object], image: np.ndarray) -> tuple[object, float]:
    t0 = time.thread_time()
    found = read(image)
    return found, 1000.0 * (time.thread_time() - t0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20, help="frames per symbology")
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the baseline ean_blur.py")
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    readers: dict[str, Callable[[np.ndarray], object]] = {}
    old = baseline_reader(args.baseline)
    if old is not None:
        readers[f"baseline {args.baseline}"] = old
    readers["read_ean"] = ean_blur.read_ean
    readers["read_ean live"] = lambda image: ean_blur.read_ean(image, live=True)
    regions_cut = cuts(args.frames)
    times: dict[str, list[float]] = {name: [] for name in readers}
    texts: dict[str, list[str]] = {name: [] for name in readers}
    disagree = 0
    for source, index, expected, image in regions_cut:
        found = {}
        for name, read in readers.items():  # alternately, so that the machine's load falls on all alike
            found[name], ms = timed(read, image)
            times[name].append(ms)
            if found[name] is not None:
                text = found[name][0]
                texts[name].append(f"{source}#{index}{'' if expected.endswith(text) else ' WRONG ' + text}")
        if old is not None and found[f"baseline {args.baseline}"] != found["read_ean"]:
            disagree += 1
            print(f"DISAGREE {source} region {index}: baseline {found[f'baseline {args.baseline}']}, "
                  f"now {found['read_ean']}")
        if found["read_ean"] is not None and found["read_ean live"] is not None \
                and found["read_ean"][0] != found["read_ean live"][0]:
            print(f"LIVE DIFFERS {source} region {index}")
    first = statistics.median(times[next(iter(readers))])
    total0 = sum(times[next(iter(readers))])
    print(f"{len(regions_cut)} located regions of {args.frames} frames per symbology, CPU ms per cut")
    print(f"{'reader':22s} {'median':>7s} {'p90':>7s} {'max':>7s} {'total':>8s} {'x median':>9s} {'x total':>8s} reads")
    for name, ms in times.items():
        ranked = sorted(ms)
        print(f"{name:22s} {statistics.median(ms):7.2f} {ranked[int(0.9 * len(ranked))]:7.2f} {ranked[-1]:7.1f} "
              f"{sum(ms):8.0f} {statistics.median(ms) / first:9.2f} {sum(ms) / total0:8.2f} "
              f"{len(texts[name])}: {', '.join(texts[name])}")
    if old is not None:
        print(f"read_ean vs the baseline: {disagree} cuts read differently (must be 0)")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
