"""Benchmark of the document scanner (devices.camera.docscan) on seeded synthetic scenes.

Prints: mean Jaccard index (polygon IoU of detected vs true page, 0 when nothing is found, measured on the
visible part of the frame) overall and per difficulty category, false detections on empty desks,
single-thread detection time per 1280x720 frame, the same for the classic baseline (largest 4-point
contour after Canny), the cost of following a page through a preview stream (tracking the previous frame's
outline, and the live preview's whole per-frame analysis with its quality checks) against detection on the
same frames, the full pipeline time on 4000x3000 stills, and the encoded size of an A4 page.

Run: python bench/bench_docscan.py [--scenes N]   (default 520 scenes, a few minutes on one core)
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # as the kiosk runs numpy (kiosk.ops.threads)

import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.camera.docscan import (Quad, assess, detect_page, encode_page, enhance, quad_iou,  # noqa: E402
                                    rectify, track_page)
from devices.camera.sim.scene import render_scene  # noqa: E402

ANCHORS = "SmartDoc 2015 anchors: best classic method 0.9716, later methods 0.985-0.992 (real photos)"


def baseline_detect(image: np.ndarray) -> Quad | None:
    """The tutorial method: grey, blur, Canny, the largest contour whose approxPolyDP has four corners."""
    h, w = image.shape[:2]
    f = 500.0 / max(h, w)
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    # cv2.Canny(gray, 75, 200) itself, through the (dx, dy) entry point: OpenCV 5.0.0's image entry point
    # corrupts the heap on very dense edge maps (see docscan.detect.canny).
    dx, dy = cv2.Sobel(gray, cv2.CV_16S, 1, 0), cv2.Sobel(gray, cv2.CV_16S, 0, 1)
    edges = cv2.Canny(dx, dy, 75, 200)
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        approx = cv2.approxPolyDP(c, 0.02 * cv2.arcLength(c, True), True)
        if len(approx) == 4:
            return Quad.from_points((approx.reshape(4, 2) + 0.5) / f - 0.5)
    return None


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def detection_bench(n: int) -> None:
    per_cat: dict[str, list[float]] = defaultdict(list)
    base_cat: dict[str, list[float]] = defaultdict(list)
    t_ours, t_base = [], []
    for seed in range(n):
        s = render_scene(seed)
        q, dt = timed(detect_page, s.image)
        b, db = timed(baseline_detect, s.image)
        t_ours.append(dt)
        t_base.append(db)
        frame = (s.image.shape[1], s.image.shape[0])
        for bucket, quad in ((per_cat, q), (base_cat, b)):
            iou = quad_iou(quad, s.quad, frame=frame)
            bucket[s.category].append(iou)
            bucket["ALL"].append(iou)
            if not s.cut_off:
                bucket["ALL without cut_off"].append(iou)
    print(f"Synthetic set: {n} scenes 1280x720 (seeds 0..{n - 1}); {ANCHORS}")
    print(f"{'category':22s} {'n':>4s} {'ours':>8s} {'baseline':>9s} {'ours>0.9':>9s}")
    for cat in sorted(per_cat, key=lambda c: (c.startswith("ALL"), c)):
        ours, base = per_cat[cat], base_cat[cat]
        print(f"{cat:22s} {len(ours):4d} {np.mean(ours):8.4f} {np.mean(base):9.4f} "
              f"{np.mean(np.array(ours) > 0.9):9.3f}")
    mo, mb = statistics.median(t_ours) * 1e3, statistics.median(t_base) * 1e3
    print(f"detection time per 1280x720 frame, median (p90): ours {mo:.1f} ms "
          f"({np.percentile(t_ours, 90) * 1e3:.1f}), baseline {mb:.1f} ms "
          f"({np.percentile(t_base, 90) * 1e3:.1f}); ratio {mo / mb:.1f}x")
    print(f"mean Jaccard ours / baseline: {np.mean(per_cat['ALL']):.4f} / {np.mean(base_cat['ALL']):.4f}")


def tracking_bench(n: int) -> None:
    """A page lying still in a 1280x720 stream: frame 1 detected afresh (the named baseline) vs frame 1
    tracked from frame 0's outline; plus the live preview's analysis (track + live quality checks)."""
    t_det, t_track, t_live, agree, lost = [], [], [], [], 0
    for seed in range(n):
        s0 = render_scene(seed, frame=0)
        first = detect_page(s0.image)
        if first is None:
            continue
        s1 = render_scene(seed, frame=1)              # the same scene, fresh sensor noise
        d, dt = timed(detect_page, s1.image)
        t, tt = timed(track_page, s1.image, first)
        _, tl = timed(assess_live, s1.image, t)
        t_det.append(dt)
        t_track.append(tt)
        t_live.append(tt + tl)
        if t is None:
            lost += 1
        elif d is not None:
            agree.append(quad_iou(t, d, frame=(s1.image.shape[1], s1.image.shape[0])))
    md, mt, ml = (statistics.median(x) * 1e3 for x in (t_det, t_track, t_live))
    print(f"preview stream, {len(t_det)} scenes with a page, 1280x720, median per frame: detection {md:.1f} ms "
          f"(baseline), tracking {mt:.1f} ms ({mt / md:.2f}x), live analysis (track + checks) {ml:.1f} ms; "
          f"track lost on {lost}, tracked vs detected outline IoU median {statistics.median(agree):.4f}")


def assess_live(image: np.ndarray, quad: Quad | None):
    return assess(image, quad, orientation=False)


def empty_desk_bench(n: int) -> None:
    hits = sum(detect_page(render_scene(seed, page=False).image) is not None for seed in range(n))
    base = sum(baseline_detect(render_scene(seed, page=False).image) is not None for seed in range(n))
    print(f"empty desks: page reported on {hits}/{n} (baseline {base}/{n})")


def pipeline_bench(n: int) -> None:
    """detect + rectify + enhance + encode on 4000x3000 stills of A4 pages; sizes and text survival."""
    times: dict[str, list[float]] = defaultdict(list)
    sizes: dict[str, list[int]] = defaultdict(list)
    legible: dict[str, list[float]] = defaultdict(list)
    for seed in range(n):
        kind = ["form", "text", "certificate"][seed % 3]
        s = render_scene(5000 + seed, 4000, 3000, kind=kind, category="plain", upside_down=False)
        for mode in ("gray", "color", "bw"):
            t = time.perf_counter()
            q = detect_page(s.image)
            if q is None:
                continue
            src = s.image if mode == "color" else cv2.cvtColor(s.image, cv2.COLOR_BGR2GRAY)
            page = enhance(rectify(src, q), mode)
            data = encode_page(page, mode)
            times[mode].append(time.perf_counter() - t)
            sizes[mode].append(len(data))
            legible[mode].append(_ink_f1(page, data))
    for mode in ("gray", "color", "bw"):
        print(f"12 MP pipeline [{mode:5s}]: median {statistics.median(times[mode]) * 1e3:.0f} ms, "
              f"A4 page median {statistics.median(sizes[mode]) / 1024:.0f} KB "
              f"(max {max(sizes[mode]) / 1024:.0f} KB), text-pixel F1 after encoding "
              f"{statistics.median(legible[mode]):.3f}")


def _ink_f1(page: np.ndarray, data: bytes) -> float:
    """Agreement of ink pixels (< 128) before and after encoding, at the encoded size: 1.0 = identical text."""
    dec = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    ref = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    ref = cv2.resize(ref, (dec.shape[1], dec.shape[0]), interpolation=cv2.INTER_AREA)
    a, b = ref < 128, dec < 128
    return float(2 * (a & b).sum() / max(a.sum() + b.sum(), 1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=520)
    ap.add_argument("--empty", type=int, default=150)
    ap.add_argument("--stills", type=int, default=9)
    ap.add_argument("--tracked", type=int, default=200, help="scenes for the preview-stream (tracking) figures")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    t0 = time.perf_counter()
    detection_bench(args.scenes)
    tracking_bench(args.tracked)
    empty_desk_bench(args.empty)
    pipeline_bench(args.stills)
    print(f"bench time {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
