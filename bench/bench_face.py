"""Benchmark of the open face engine (kiosk/face: MediaPipe analyzer, dlib matcher) for the face check.

Data: bench/data/faces (SOURCES.md): 150 people, official US Congress portraits (public domain), each a
102 x 125 card-sized photo and a 225 x 275 portrait. A genuine pair is a person's card photo (resized to the
GA 467 card's 102 x 126) against a "live" frame made from their portrait: mirrored, turned up to 8 degrees,
lit brighter or darker, blurred a little, noise added, scaled to a face 150-230 px wide, placed in a
640 x 480 frame on a plain background and JPEG-compressed (seeded per person). An impostor pair is a
person's card photo against another person's live frame: 150 x 149 = 22,350 ordered pairs, so a false
accept rate is measured in steps of 1/22,350 = 0.0045 % (0.1 % = 22 pairs). Only 150 genuine pairs: a false
reject rate is measured in steps of 0.67 %, and it is optimistic (the card and the live face are the same
photograph here; a real card photo is years older than the face in front of the kiosk).

Prints: FAR and FRR at the matcher's threshold; the threshold sweep (the lowest threshold with FAR <= 0.1 %,
the equal error rate); the score spread; the time of one verification (detect + align + embed + compare of
both images, and of the live image alone with the card's descriptor made once per step) against the
face_recognition library's default pipeline on the same pairs (HOG upsampled once on the whole frame, the
same models) and against the issue's 300 ms goal; the analyzer's frames per second on a 640 x 480 stream
against dlib's HOG frontal face detector on the same frames (OpenCV 5 dropped the Haar cascade classifier
from the main module), and against the 15 fps goal; how many faces the analyzer finds in the card photos and the live frames.

Run: python bench/bench_face.py [--people N]   (default all 150; about a minute on one core)
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.face.analyzer import MediapipeFaceAnalyzer  # noqa: E402
from kiosk.face.matcher import DlibFaceMatcher  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "faces"
GOAL_FAR, GOAL_FRR = 0.001, 0.03
GOAL_VERIFY_MS, GOAL_FPS = 300.0, 15.0


def load_people(limit: int | None) -> list[tuple[str, np.ndarray, np.ndarray]]:
    people = []
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        card = cv2.imread(str(folder / "card.jpg"))
        live = cv2.imread(str(folder / "live.jpg"))
        if card is None or live is None:
            continue
        people.append((folder.name, cv2.resize(card, (102, 126), interpolation=cv2.INTER_CUBIC), live))
    return people[:limit] if limit else people


def live_frame(portrait: np.ndarray, seed: int) -> np.ndarray:
    """A 640 x 480 camera-like frame of the portrait, changed so it is not the card photo's pixels."""
    rng = np.random.default_rng(seed)
    img = cv2.flip(portrait, 1)  # a face is not symmetric: the mirror image is a different view
    h, w = img.shape[:2]
    angle = float(rng.uniform(-8, 8))
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(img, rot, (w, h), borderMode=cv2.BORDER_REPLICATE)
    gain, bias = float(rng.uniform(0.7, 1.3)), float(rng.uniform(-25, 25))
    img = np.clip(img.astype(np.float32) * gain + bias, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        img = cv2.GaussianBlur(img, (3, 3), 0)
    scale = float(rng.uniform(1.4, 1.7))  # the portrait's face is ~120-135 px wide: ~170-230 px after
    img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
    frame = np.full((480, 640, 3), rng.integers(60, 200, 3, dtype=np.uint8), np.uint8)
    ih, iw = img.shape[:2]
    y0 = max(0, (480 - ih) // 2 + int(rng.integers(-20, 21)))
    x0 = max(0, (640 - iw) // 2 + int(rng.integers(-60, 61)))
    ch, cw = min(ih, 480 - y0), min(iw, 640 - x0)
    frame[y0:y0 + ch, x0:x0 + cw] = img[:ch, :cw]
    noise = rng.normal(0, 4, frame.shape)
    frame = np.clip(frame.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    ok, jpg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return cv2.imdecode(jpg, cv2.IMREAD_COLOR)


def rates(genuine: np.ndarray, impostor: np.ndarray, threshold: float) -> tuple[float, float]:
    far = float(np.mean(impostor >= threshold))
    frr = float(np.mean(genuine < threshold))
    return far, frr


def sweep(genuine: np.ndarray, impostor: np.ndarray) -> tuple[float, float, float, float]:
    """(lowest threshold with FAR <= 0.1 %, FRR there, EER, its threshold)."""
    candidates = np.unique(np.concatenate([genuine, impostor, [1.0001]]))
    t_far = next(float(t) for t in candidates if rates(genuine, impostor, t)[0] <= GOAL_FAR)
    eer, t_eer = 1.0, 0.0
    for t in candidates:
        far, frr = rates(genuine, impostor, float(t))
        if max(far, frr) < eer:
            eer, t_eer = max(far, frr), float(t)
    return t_far, rates(genuine, impostor, t_far)[1], eer, t_eer


def baseline_embed(matcher: DlibFaceMatcher, image_bgr: np.ndarray) -> np.ndarray | None:
    """face_recognition's default: HOG upsampled once over the whole image, the same 5-point + ResNet."""
    dlib = matcher._dlib
    rgb = np.ascontiguousarray(image_bgr[:, :, ::-1])
    found = list(matcher._detector(rgb, 1))
    if not found:
        return None
    rect = max(found, key=lambda r: r.width() * r.height())
    shape = matcher._shape(rgb, rect)
    chip = dlib.get_face_chip(rgb, shape, size=150, padding=0.25)
    return np.asarray(matcher._net.compute_face_descriptor(chip), dtype=np.float32)


def timed(fn, *args) -> tuple[float, float, object]:
    """(CPU ms of this process, wall ms, result): CPU time is the figure that does not depend on what else
    the machine runs (the shared 2-core machine's load inflates wall time); both are printed."""
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn(*args)
    return (time.process_time() - c0) * 1000.0, (time.perf_counter() - t0) * 1000.0, out


def accuracy(matcher: DlibFaceMatcher, people, frames) -> None:
    cards, lives = [], []
    missing_card = missing_live = 0
    for (_, card, _), frame in zip(people, frames):
        c, v = matcher.embed(card), matcher.embed(frame)
        missing_card += c is None
        missing_live += v is None
        cards.append(c)
        lives.append(v)
    n = len(people)
    ok_c = np.array([c is not None for c in cards])
    ok_l = np.array([v is not None for v in lives])
    zero = np.zeros(128, np.float32)
    C = np.stack([c if c is not None else zero for c in cards])
    L = np.stack([v if v is not None else zero for v in lives])
    norms = np.linalg.norm(C, axis=1)[:, None] * np.linalg.norm(L, axis=1)[None, :]
    cos = np.where(norms > 0, C @ L.T / np.maximum(norms, 1e-12), -1.0)
    euclid = np.linalg.norm(C[:, None, :] - L[None, :, :], axis=2)
    both = ok_c[:, None] & ok_l[None, :]
    eye = np.eye(n, dtype=bool)
    genuine = np.where(np.diag(both), np.diag(cos), -1.0)  # no face = a reject
    impostor = cos[~eye & both]
    g_dist, i_dist = np.where(np.diag(both), np.diag(euclid), 9.0), euclid[~eye & both]
    t = matcher.threshold
    far, frr = rates(genuine, impostor, t)
    print(f"people {n}, images {2 * n}, genuine pairs {n}, impostor pairs {impostor.size} "
          f"(FAR resolution {100.0 / max(1, impostor.size):.4f} %, FRR resolution {100.0 / n:.2f} %)")
    print(f"no face found: {missing_card} card photos, {missing_live} live frames (counted as rejects)")
    accepted = int(round(far * impostor.size))
    bound = f" (0 accepted: below {300.0 / impostor.size:.4f} % at 95 % confidence)" if accepted == 0 else ""
    print(f"at threshold {t:.3f} (cosine): FAR {100 * far:.4f} % ({accepted} pairs){bound}, "
          f"FRR {100 * frr:.2f} % ({int(round(frr * n))} pairs); goal FAR <= {100 * GOAL_FAR:.1f} % at "
          f"FRR <= {100 * GOAL_FRR:.0f} %: {'met' if far <= GOAL_FAR and frr <= GOAL_FRR else 'NOT met'}")
    t_far, frr_at, eer, t_eer = sweep(genuine, impostor)
    print(f"lowest threshold with FAR <= 0.1 %: {t_far:.4f} (FRR there {100 * frr_at:.2f} %); "
          f"EER {100 * eer:.2f} % at {t_eer:.4f}")
    half = n // 2  # the threshold chosen on one half of the people, measured on the other half
    first = np.arange(n) < half
    pick = ~eye & both & first[:, None] & first[None, :]
    test = ~eye & both & ~first[:, None] & ~first[None, :]
    t_half = sweep(np.diag(cos)[first], cos[pick])[0]
    far_h, frr_h = rates(genuine[~first], cos[test], t_half)
    print(f"held-out check: threshold {t_half:.4f} chosen on people 1-{half} ({int(pick.sum())} impostor pairs) "
          f"gives on people {half + 1}-{n} ({int(test.sum())} impostor pairs) FAR {100 * far_h:.4f} %, FRR {100 * frr_h:.2f} %")
    print(f"for comparison, dlib's published rule (euclidean distance < 0.6) would here accept "
          f"{100 * float(np.mean(i_dist < 0.6)):.2f} % of impostors and reject {100 * float(np.mean(g_dist >= 0.6)):.2f} "
          f"% of genuine pairs; descriptor length mean {float(np.linalg.norm(C[ok_c], axis=1).mean()):.3f}")
    print(f"scores: genuine min {genuine.min():.4f} median {np.median(genuine):.4f}; impostor max "
          f"{impostor.max():.4f} 99.9th pct {np.percentile(impostor, 99.9):.4f} median {np.median(impostor):.4f}")


def speed(matcher: DlibFaceMatcher, people, frames, rounds: int) -> None:
    full, live_only, base, wall = [], [], [], []
    for (_, card, _), frame in list(zip(people, frames))[:rounds]:
        cpu, ms, _ = timed(matcher.score, card, frame)
        full.append(cpu)
        wall.append(ms)
        ref = matcher.embed(card)
        cpu, _, _ = timed(lambda: matcher.similarity(ref, matcher.embed(frame)))
        live_only.append(cpu)
        cpu, _, _ = timed(lambda: (baseline_embed(matcher, card), baseline_embed(matcher, frame)))
        base.append(cpu)
    f, lo, b = statistics.median(full), statistics.median(live_only), statistics.median(base)
    print(f"verification (card + live: detect, align, embed, compare), median of {len(full)}: {f:.0f} ms CPU "
          f"({statistics.median(wall):.0f} ms wall on this shared machine now); baseline face_recognition default "
          f"pipeline {b:.0f} ms CPU (ratio {f / b:.2f}); goal {GOAL_VERIFY_MS:.0f} ms (ratio {f / GOAL_VERIFY_MS:.2f}: "
          f"{'met' if f <= GOAL_VERIFY_MS else 'NOT met'})")
    print(f"live image only (card descriptor made once per step): {lo:.0f} ms CPU")


def detection_fps(people, n_frames: int) -> None:
    portrait = people[0][2]
    frames = []
    for k in range(n_frames):  # the same person swaying a little, as in front of the kiosk
        frame = np.full((480, 640, 3), 120, np.uint8)
        img = cv2.resize(portrait, None, fx=1.5, fy=1.5)
        dx, dy = int(20 * np.sin(k / 7.0)), int(10 * np.cos(k / 11.0))
        y0, x0 = 40 + dy, 150 + dx
        frame[y0:y0 + img.shape[0], x0:x0 + img.shape[1]] = img[:480 - y0, :640 - x0]
        frames.append(frame)
    analyzer = MediapipeFaceAnalyzer(video=True)
    analyzer.observe(frames[0])  # warm-up: the graph's first frame loads the models
    # MediaPipe runs its graph on threads of its own: process CPU time counts them all
    cpu, wall, seen = timed(lambda: sum(analyzer.observe(f, k * 33) is not None for k, f in enumerate(frames)))
    ours, ours_wall = n_frames / (cpu / 1000.0), n_frames / (wall / 1000.0)
    analyzer.close()
    import dlib  # the baseline: dlib's HOG frontal face detector (box only), face_recognition's default
    hog = dlib.get_frontal_face_detector()
    cpu, _, hog_seen = timed(lambda: sum(len(hog(np.ascontiguousarray(f[:, :, ::-1]), 0)) > 0 for f in frames))
    base = n_frames / (cpu / 1000.0)
    print(f"analyzer (face mesh, 468 landmarks, tracking) on 640x480: {ours:.0f} frames/s of CPU ({ours_wall:.0f} "
          f"wall), face in {seen}/{n_frames}; baseline dlib HOG detector (box only, not upsampled) {base:.0f} "
          f"frames/s of CPU, face in {hog_seen}/{n_frames} (ratio {ours / base:.2f}); goal {GOAL_FPS:.0f} fps "
          f"(ratio {ours / GOAL_FPS:.1f}: {'met' if ours >= GOAL_FPS else 'NOT met'})")


def analyzer_coverage(people, frames) -> None:
    still = MediapipeFaceAnalyzer(video=False)
    cards = sum(still.observe(card) is not None for _, card, _ in people)
    lives = sum(still.observe(f) is not None for f in frames)
    still.close()
    print(f"analyzer finds a face in {cards}/{len(people)} card photos (102x126) and {lives}/{len(frames)} live frames")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=0, help="use only the first N people (0 = all)")
    ap.add_argument("--timing-rounds", type=int, default=20)
    ap.add_argument("--fps-frames", type=int, default=200)
    args = ap.parse_args()
    cv2.setNumThreads(1)
    people = load_people(args.people or None)
    frames = [live_frame(live, seed=i) for i, (_, _, live) in enumerate(people)]
    matcher = DlibFaceMatcher()
    print(f"engine: {matcher.name}")
    accuracy(matcher, people, frames)
    speed(matcher, people, frames, args.timing_rounds)
    detection_fps(people, args.fps_frames)
    analyzer_coverage(people, frames)


if __name__ == "__main__":
    main()
