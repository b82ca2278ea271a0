"""Page detection on real photographs and on rendered hard scenes (issue 22), each against named baselines
measured in the same run.

Sets (tests/helpers/real_photos.py, tests/helpers/hard_scenes.py):
- real/tune: real photos the detector may be adjusted on (jscanify 1.4.3 and SmartDoc 2015 frames, committed in
  bench/data/real_photos; three unlicensed sources read from their checkout), then one row per source;
- real/held: real photos never used to adjust it, from several sources (some committed, some read from a local
  checkout, see bench/data/real_photos/SOURCES.md; a source not on this machine is left out and said so), then
  one row per source;
- hard/<kind>: rendered scenes of what the real sets lack (ruled forms, ID cards, receipts, booklets, stacks,
  objects across the page, pale on pale, a fold or a heavy rule across the page); empty desks for false pages.

Columns: mean Jaccard (polygon IoU inside the frame, 0 when nothing is found), how many below 0.9, misses
(nothing found where there is a page), median ms per frame; for three detectors: ``ours`` (this tree),
``before`` (devices/camera/docscan at commit BEFORE, main's detector before this change, ``--before`` to
choose; loaded from git) and
``tutorial`` (largest 4-point contour after Canny: bench_docscan.baseline_detect).

Run: python bench/bench_docscan_real.py [--hard N] [--empty N] [--synthetic N] [--per-photo] [--no-held]
(--per-photo lists the tuning photos one by one; the held-apart ones only with --held-per-photo, never while tuning)

Speed alone (issue 22's 15 ms a frame): python bench/bench_docscan_real.py --speed [--speed-base COMMIT] [--hard N]
[--repeats R]: ours against the detector at COMMIT (SPEED_BASE: main before the speed work), timed interleaved in
one process (the two alternate frame by frame, each frame's best of R runs), median ms per hard kind and over all,
the simulator's frames (--synthetic N) and the empty desks (--empty N), with the ratio ours/base; on a shared
machine compare ratios, not milliseconds. Also checks that both return the same corners and scores.
"""
from __future__ import annotations

import argparse
import atexit
import importlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # as the kiosk runs numpy (kiosk.ops.threads)

import cv2  # noqa: E402
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_docscan import baseline_detect  # noqa: E402
from devices.camera.docscan import Quad, detect_page, quad_iou  # noqa: E402
from tests.helpers import hard_scenes, real_photos  # noqa: E402

BEFORE = "c8ae134"   # main's head when the stack work of issue 22 started (dbf4769: before issue 22 began)
SPEED_BASE = "f1e2d5e"   # main's head before the speed work (issue 22's 15 ms; docs/docscan.md "Speed")


def load_before(commit: str = BEFORE, name: str = "docscan_before", entry: str = "detect_page"):
    """``entry`` (detect_page) of the detector at ``commit``, imported as package ``name`` from a temporary copy
    (None without git)."""
    tmp = Path(tempfile.mkdtemp(prefix="docscan-before-"))
    atexit.register(shutil.rmtree, tmp, True)   # the copy is imported for the whole run, then removed (not left in /tmp)
    pkg = tmp / name
    try:
        files = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", commit, "devices/camera/docscan/"],
                               check=True, capture_output=True, text=True).stdout.split()
        pkg.mkdir()
        for f in files:
            if f.endswith(".py"):
                blob = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{f}"], check=True,
                                      capture_output=True).stdout
                (pkg / Path(f).name).write_bytes(blob)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        print(f"(baseline 'before' unavailable: {exc})")
        return None
    sys.path.insert(0, str(tmp))
    return getattr(importlib.import_module(name if entry == "detect_page" else f"{name}.detect"), entry)


def _jaccard(found, truth: np.ndarray, size: tuple[int, int]) -> float:
    if found is None:
        return 0.0
    return quad_iou(Quad.from_points(np.asarray(found.as_array())), Quad.from_points(truth), size)


def measure(detectors: dict, frames: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, dict[str, float]]:
    out = {}
    for name, fn in detectors.items():
        js, ms = [], []
        for img, truth in frames:
            t = time.perf_counter()
            q = fn(img)
            ms.append((time.perf_counter() - t) * 1e3)
            js.append(_jaccard(q, truth, (img.shape[1], img.shape[0])))
        js_a = np.array(js)
        out[name] = {"mean": float(js_a.mean()), "below": int((js_a < 0.9).sum()), "miss": int((js_a == 0).sum()),
                     "worst": float(js_a.min()), "ms": statistics.median(ms), "n": len(js), "each": js}
    return out


def _subset(res: dict[str, dict], keep: list[int]) -> dict[str, dict]:
    """The figures of ``res`` over the frames at indices ``keep`` (timing: the median of the whole set)."""
    out = {}
    for name, r in res.items():
        js = np.array([r["each"][i] for i in keep])
        out[name] = {"mean": float(js.mean()), "below": int((js < 0.9).sum()), "miss": int((js == 0).sum()),
                     "worst": float(js.min()), "ms": r["ms"], "n": len(js), "each": js.tolist()}
    return out


def row(label: str, res: dict[str, dict[str, float]]) -> None:
    cells = "  ".join(f"{r['mean']:.4f} {r['below']:>3d} {r['miss']:>3d} {r['worst']:.3f} {r['ms']:6.1f}"
                      for r in res.values())
    print(f"{label:22s} {next(iter(res.values()))['n']:>4d}  {cells}")


def learned_bed_rows(n_empty: int, n_hard: int) -> None:
    """What a technician's 学习空台面 (kiosk/capture/bed.py) changes: each rendered scene's own empty bed learned
    from 3 frames, under the scene's light or under another lamp; an outline whose inside shows that bed is
    refused. Baseline: ours without a learned bed, in the same run."""
    from kiosk.capture.bed import learn  # noqa: PLC0415
    from kiosk.capture.presence import bed_look  # noqa: PLC0415

    def learned(kind: str, seed: int, light: str):
        return learn([hard_scenes.render(kind, seed, bed=light).image] * 3, now=0.0)

    print(f"\nwith the empty bed learned (kiosk/capture/bed.py): frames still reported as a page, ours alone vs "
          f"the bed learned under the same light / under another lamp ({n_empty} per kind)")
    check_ms: list[float] = []
    for kind in hard_scenes.EMPTY_KINDS:
        counts = {"alone": 0, "same": 0, "other": 0}
        for seed in range(n_empty):
            img = hard_scenes.render(kind, seed).image
            q = detect_page(img)
            if q is None:
                continue
            counts["alone"] += 1
            for light in ("same", "other"):
                bed, look = learned(kind, seed, light), bed_look(img)
                t = time.perf_counter()
                refused = bed.only_bed(look, q.as_array(), (img.shape[1], img.shape[0]))
                check_ms.append((time.perf_counter() - t) * 1e3)
                counts[light] += not refused
        print(f"  {kind:14s} alone {counts['alone']}/{n_empty}  same light {counts['same']}/{n_empty}  "
              f"another lamp {counts['other']}/{n_empty}")
    lost, total = 0, 0
    kinds = [k for k in hard_scenes.KINDS if k not in ("near_border", "cover", "fold", "rule_split", "cover_dark", "cover_lit", "held")]   # no bed drawn
    alone_all, bed_all, inner_ms = [], [], []
    for kind in kinds:
        alone, with_bed = [], []
        for seed in range(n_hard):
            scene = hard_scenes.render(kind, seed)
            size = (scene.image.shape[1], scene.image.shape[0])
            q = detect_page(scene.image)
            alone.append(_jaccard(q, scene.quad, size))
            if q is None:
                with_bed.append(0.0)
                continue
            total += 1
            bed, look = learned(kind, seed, "other"), bed_look(scene.image)
            if bed.only_bed(look, q.as_array(), size):
                lost += 1
                with_bed.append(0.0)
                continue
            t = time.perf_counter()
            inner = bed.page_within(scene.image, q.as_array(), look)   # the live preview: on full detections
            inner_ms.append((time.perf_counter() - t) * 1e3)
            found = q if inner is None else Quad.from_points(inner)
            with_bed.append(_jaccard(found, scene.quad, size))
        alone_all += alone
        bed_all += with_bed
        if kind in ("on_table", "pale_on_pale", "stacked"):
            print(f"  hard/{kind:14s} mean Jaccard alone {np.mean(alone):.4f} (<0.9: {sum(j < 0.9 for j in alone)})  "
                  f"with the bed learned under another lamp {np.mean(with_bed):.4f} "
                  f"(<0.9: {sum(j < 0.9 for j in with_bed)})")
    print(f"  hard/8 kinds with a bed ({len(bed_all)}): alone {np.mean(alone_all):.4f} (<0.9: "
          f"{sum(j < 0.9 for j in alone_all)}, worst {min(alone_all):.3f})  with the bed learned under another lamp "
          f"{np.mean(bed_all):.4f} (<0.9: {sum(j < 0.9 for j in bed_all)}, worst {min(bed_all):.3f})")
    print(f"  pages laid on their learned bed (another lamp) refused as the bed: {lost}/{total} "
          f"({len(kinds)} kinds x {n_hard}); the check costs {statistics.median(check_ms):.2f} ms median "
          f"(bed_look of the frame not counted: the live preview makes it anyway); the sheet-in-outline search "
          f"{statistics.median(inner_ms):.2f} ms median, {max(inner_ms):.1f} max")


def speed_rows(commit: str, n_hard: int, n_empty: int, n_synthetic: int, repeats: int) -> int:
    """Median ms per frame of ours and of the detector at ``commit``, interleaved frame by frame (see the docstring);
    1 if any frame's corners or score differ between the two."""
    from devices.camera.docscan.detect import detect_scored  # noqa: PLC0415
    from devices.camera.sim.scene import render_scene  # noqa: PLC0415
    base = load_before(commit, "docscan_speed_base", "detect_scored")
    if base is None:
        return 1
    sets: dict[str, list[np.ndarray]] = {f"hard/{k}": [hard_scenes.render(k, s).image for s in range(n_hard)]
                                         for k in hard_scenes.KINDS}
    sets["empty desks"] = [hard_scenes.render(k, s).image for k in hard_scenes.EMPTY_KINDS for s in range(n_empty)]
    sets["simulator"] = [render_scene(s).image for s in range(n_synthetic)]
    best: dict[str, list[tuple[float, float]]] = {}
    differ, turn = 0, 0
    for name, imgs in sets.items():
        best[name] = []
        for img in imgs:
            times = {"ours": [], "base": []}
            for _ in range(repeats):
                turn += 1
                for who in (("ours", "base") if turn % 2 else ("base", "ours")):
                    t = time.perf_counter()
                    found = (detect_scored if who == "ours" else base)(img)
                    times[who].append((time.perf_counter() - t) * 1e3)
                    if who == "ours":
                        ours = found
                    else:
                        theirs = found
            best[name].append((min(times["ours"]), min(times["base"])))
            q0, q1 = (None if q is None else np.asarray(q.as_array(), np.float64) for q in (ours[0], theirs[0]))
            differ += ((q0 is None) != (q1 is None) or (q0 is not None and np.abs(q0 - q1).max() > 1e-6)
                       or abs(ours[1] - theirs[1]) > 1e-9)
    best["hard/ALL"] = [t for k in hard_scenes.KINDS for t in best[f"hard/{k}"]]
    print(f"speed: ours against {commit} (interleaved, best of {repeats} per frame; median ms per frame)")
    print(f"{'set':22s} {'n':>4s} {'ours':>7s} {commit[:10]:>10s} {'ratio':>6s}")
    for name, pairs in best.items():
        if pairs:
            o, b = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
            print(f"{name:22s} {len(pairs):4d} {o:7.1f} {b:10.1f} {o / b:6.3f}")
    print(f"frames whose corners (1e-6 px) or score (1e-9) differ from {commit}'s: {differ}")
    return int(differ > 0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hard", type=int, default=15, help="rendered scenes per kind")
    ap.add_argument("--empty", type=int, default=50, help="empty desks per kind")
    ap.add_argument("--before", default=BEFORE, help="commit whose detector is the 'before' column")
    ap.add_argument("--per-photo", action="store_true", help="also each tuning photo's Jaccard per detector")
    ap.add_argument("--held-per-photo", action="store_true",
                    help="also each held-apart photo's Jaccard (never while adjusting the detector)")
    ap.add_argument("--no-held", action="store_true", help="leave the held-apart part out (while tuning)")
    ap.add_argument("--synthetic", type=int, default=0,
                    help="also the simulator's own scenes (render_scene seeds 0..N-1; 520 in docs/docscan.md)")
    ap.add_argument("--speed", action="store_true", help="only time ours against --speed-base, interleaved")
    ap.add_argument("--speed-base", default=SPEED_BASE, help="commit whose detector --speed times ours against")
    ap.add_argument("--repeats", type=int, default=1, help="--speed: runs per frame and detector, the best kept")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    if args.speed:
        return speed_rows(args.speed_base, args.hard, args.empty, args.synthetic, args.repeats)
    detectors = {"ours": detect_page}
    before = load_before(args.before)
    if before is not None:
        detectors["before"] = before
    detectors["tutorial"] = baseline_detect
    head = "  ".join(f"{n + ': mean <0.9 miss worst ms':34s}" for n in detectors)
    print(f"{'set':22s} {'n':>4s}  {head}")
    tune_photos = real_photos.tuning_photos()
    res = measure(detectors, [(p.image, p.corners) for p in tune_photos])
    row("real/tune", res)
    for src in dict.fromkeys(p.source for p in tune_photos):
        row(f"  {src.split('/')[0][:20]}", _subset(res, [i for i, p in enumerate(tune_photos) if p.source == src]))
    absent = [s["source"] for s in real_photos.tune_extra_sources() if s["source"] not in {p.source for p in tune_photos}]
    if absent:
        print("real/tune: not on this machine (bench/data/real_photos/SOURCES.md): " + ", ".join(absent))
    if args.per_photo:
        for i, p in enumerate(tune_photos):
            print(f"    {p.name:34s} " + "  ".join(f"{n} {r['each'][i]:.3f}" for n, r in res.items()))
    photos = [] if args.no_held else real_photos.held_photos()
    held = [(p.image, p.corners) for p in photos]
    missing = [] if args.no_held else [s["source"] for s in real_photos.held_sources()
                                       if s["source"] not in {p.source for p in photos}]
    if missing:
        print("real/held: not on this machine (bench/data/real_photos/SOURCES.md): " + ", ".join(missing))
    if held:
        res = measure(detectors, held)
        row("real/held (apart)", res)
        for src in dict.fromkeys(p.source for p in photos):
            row(f"  {src.split('/')[0][:20]}", _subset(res, [i for i, p in enumerate(photos) if p.source == src]))
        if args.held_per_photo:
            for i, p in enumerate(photos):
                print(f"    {p.name:34s} " + "  ".join(f"{n} {r['each'][i]:.3f}" for n, r in res.items())
                      + f"  ({p.what})")
    all_hard = []
    for kind in hard_scenes.KINDS:
        frames = [(s.image, s.quad) for s in (hard_scenes.render(kind, seed) for seed in range(args.hard))]
        all_hard += frames
        row(f"hard/{kind}", measure(detectors, frames))
    row("hard/ALL", measure(detectors, all_hard))
    print(f"\nempty desks ({args.empty} per kind): frames reported as a page")
    for kind in hard_scenes.EMPTY_KINDS:
        imgs = [hard_scenes.render(kind, seed).image for seed in range(args.empty)]
        counts = {n: sum(fn(i) is not None for i in imgs) for n, fn in detectors.items()}
        print(f"  {kind:14s} " + "  ".join(f"{n} {c}/{len(imgs)}" for n, c in counts.items()))
    learned_bed_rows(args.empty, args.hard)
    if args.synthetic:
        from devices.camera.sim.scene import render_scene  # noqa: PLC0415
        scenes = [render_scene(seed) for seed in range(args.synthetic)]
        row("synthetic (simulator)", measure(detectors, [(s.image, s.quad.as_array()) for s in scenes]))
        empty = [render_scene(seed, page=False).image for seed in range(150)]
        print("  simulator empty desks " + "  ".join(f"{n} {sum(fn(i) is not None for i in empty)}/150"
                                                   for n, fn in detectors.items()))
    print("\ncolumns per detector: mean Jaccard, count below 0.9, misses, worst, median ms per frame "
          "(real photos at <= 1280 px, rendered scenes 1280x720)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
