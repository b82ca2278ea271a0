"""Liveness figures (issue 19): genuine vs spoof acceptance, the passive measures' spread, and the cost.

Three sources, from least to most independent; each line says which it is:

1. ``sim``: sequences of the simulated face camera (devices.camera.sim.face): live people doing the
   random challenges, and a printed photo, a phone screen and a replayed video held up (the hand turning
   the photo or phone when a turn is asked). The simulator and the check were written together, so these
   figures show that the pieces work, not how well liveness works on real people.
2. ``ours``: single frames made by physically-motivated transforms (devices.camera.sim.spoof: print =
   double blur, ink gamut and paper texture; screen = subpixel grid sampled by the camera's pixels) from
   the portraits under devices/camera/sim/faces/ (face-engine's public-domain portraits when present,
   else the drawn placeholders). Labelled ours: they test the passive measures on faces the simulator
   did not draw, with spoofs we made.
3. ``external``: real camera frames nobody here made, given with ``--external DIR``: a labels.json there
   maps each file to {"label": "live"|"print"|"screen", "box": [x, y, w, h]}. Measured with
   the three sample frames of minivision-ai/Silent-Face-Anti-Spoofing (images/sample/image_T1.jpg live,
   image_F1.jpg a print, image_F2.jpg a phone screen; Apache-2.0; boxes read by eye, EXTERNAL_SAMPLE
   below). They are photographs of real people, so they are not committed here: copy them in to run it.
   Three frames prove little; they showed the simulator's first moire limit (25) would pass a real
   screen, and set the limits now in kiosk.settings.LivenessSettings.

Run: python bench/bench_liveness.py [--sequences N] [--external DIR]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices import sim  # noqa: E402
from devices.camera.sim import face_model as fm  # noqa: E402
from devices.camera.sim import spoof as sp  # noqa: E402
from devices.simulators import register_all  # noqa: E402
from kiosk.face import passive  # noqa: E402
from kiosk.face.liveness import ChallengeLiveness  # noqa: E402
from kiosk.settings import LivenessSettings  # noqa: E402
from tests.helpers.fake_face import play  # noqa: E402

# The external sample's labels (minivision-ai/Silent-Face-Anti-Spoofing, images/sample/, 480x640 frames).
EXTERNAL_SAMPLE = {
    "image_T1.jpg": {"label": "live", "box": [125, 100, 165, 220]},
    "image_F1.jpg": {"label": "print", "box": [190, 140, 200, 230]},
    "image_F2.jpg": {"label": "screen", "box": [150, 170, 200, 260]},
}


def bench_sequences(n: int, settings: LivenessSettings) -> None:
    register_all()
    kinds = [None, "photo", "screen", "replay"]
    print(f"sim: {n} sequences per kind at 15 frames/s, {settings.challenges} random challenges, "
          f"{settings.challenge_timeout_s:.0f} s each")
    for kind in kinds:
        accepted, reasons, frames, feed_ms = 0, {}, [], []
        for i in range(n):
            sim.reset()
            person = "holder" if i % 2 == 0 else "impostor"
            url = f"sim://face?seed={11 + i}&person={person}" + (f"&spoof={kind}" if kind else "")
            hw = sim.get_hardware(url)
            check = ChallengeLiveness(settings, rng=random.Random(1000 + i))
            original = check.feed
            spent = []

            def timed(frame, obs, _feed=original, _spent=spent):
                t0 = time.perf_counter()
                out = _feed(frame, obs)
                _spent.append((time.perf_counter() - t0) * 1000)
                return out

            check.feed = timed  # type: ignore[method-assign]
            play(hw, check)
            result = check.result()
            accepted += result.passed
            reasons[result.reason or "pass"] = reasons.get(result.reason or "pass", 0) + 1
            frames.append(hw.frames)
            feed_ms.extend(spent)
        rate = accepted / n
        label = "genuine accepted" if kind is None else f"{kind} accepted (should be 0)"
        print(f"  {kind or 'live':7s} {label}: {accepted}/{n} = {rate:.0%}; outcomes {reasons}; "
              f"frames to decision median {statistics.median(frames):.0f}; check per frame median "
              f"{statistics.median(feed_ms):.1f} ms, p95 {np.percentile(feed_ms, 95):.1f} ms")
    sim.reset()


def _portraits() -> list[fm.Portrait]:
    names = sorted(p.name for p in fm.FACES_DIR.iterdir() if (p / "live.png").exists()) if fm.FACES_DIR.exists() else []
    if names:
        print(f"ours: {len(names)} portraits from {fm.FACES_DIR}")
        return [fm.load_portrait(n) for n in names]
    print("ours: no portraits committed under devices/camera/sim/faces/: 12 drawn placeholders")
    return [fm.draw_placeholder(f"person{i}", seed=100 + i) for i in range(12)]


def bench_transforms(settings: LivenessSettings) -> None:
    scores: dict[str, dict[str, list[float]]] = {k: {"texture": [], "moire": []} for k in ("live", "print", "screen")}
    rng = np.random.default_rng(5)
    for p in _portraits():
        frame = cv2.resize(p.image, (480, int(480 * p.image.shape[0] / p.image.shape[1])), interpolation=cv2.INTER_AREA)
        s = 480 / p.image.shape[1]
        outline = p.points[fm.GROUPS["outline"]] * s
        x0, y0 = outline.min(axis=0)
        x1, y1 = outline.max(axis=0)
        box = (float(x0), float(y0), float(x1 - x0), float(y1 - y0))
        noise = rng.normal(0, 2.0, frame.shape)
        views = {"live": frame, "print": sp.printed(frame, rng), "screen": sp.on_screen(frame, rng)}
        for kind, img in views.items():
            img = np.clip(img + noise, 0, 255).astype(np.uint8)
            scores[kind]["texture"].append(passive.texture(img, box))
            scores[kind]["moire"].append(passive.moire(img, box))
    for kind, m in scores.items():
        print(f"  {kind:7s} texture {min(m['texture']):.1f}-{max(m['texture']):.1f} (limit >= {settings.texture_min}), "
              f"moire {min(m['moire']):.1f}-{max(m['moire']):.1f} (limit <= {settings.moire_max})")
    flagged_screen = sum(v > settings.moire_max for v in scores["screen"]["moire"])
    flagged_live = sum(v > settings.moire_max or t < settings.texture_min
                       for v, t in zip(scores["live"]["moire"], scores["live"]["texture"]))
    n = len(scores["live"]["moire"])
    print(f"  screens caught by moire alone: {flagged_screen}/{n}; live frames wrongly flagged: {flagged_live}/{n}; "
          "prints are left to the depth check in a head turn (a single frame has none)")


def bench_external(directory: Path, settings: LivenessSettings) -> None:
    labels_path = directory / "labels.json"
    labels = json.loads(labels_path.read_text(encoding="utf-8")) if labels_path.exists() else EXTERNAL_SAMPLE
    print(f"external: {len(labels)} frames from {directory}")
    for name, entry in sorted(labels.items()):
        img = cv2.imread(str(directory / name))
        if img is None:
            print(f"  {name}: missing")
            continue
        box = tuple(float(v) for v in entry["box"])
        tex, mo = passive.texture(img, box), passive.moire(img, box)
        verdict = "screen" if mo > settings.moire_max else ("flat" if tex < settings.texture_min else "live-looking")
        print(f"  {name:14s} {entry['label']:6s} texture {tex:5.1f} moire {mo:5.1f} -> {verdict}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sequences", type=int, default=6, help="simulated sequences per kind (live, photo, screen, replay)")
    ap.add_argument("--external", type=Path, help="a folder of real frames with labels.json (see the docstring)")
    args = ap.parse_args()
    settings = LivenessSettings()
    bench_sequences(args.sequences, settings)
    bench_transforms(settings)
    if args.external:
        bench_external(args.external, settings)
    else:
        print("external: not run (give --external DIR; see the docstring for the sample used)")


if __name__ == "__main__":
    main()
