"""``decode_frame`` on the camera bench's frames with its budget counted in this thread's CPU time.

Run: ``python bench/bench_barcode_frame_cpu.py [--frames N] [--code DIR] [--seed-offset 500] [--decode]`` (one
core; about 40 s, a minute more with ``--decode``).

Why: ``bench_barcode_camera.py`` times ``decode_frame`` by the wall clock, as the kiosk does; on a shared
machine other people's processes then take part of its 30 ms budget (zxing-cpp alone varied 92-383 ms per
frame between runs of one afternoon), so two versions can only be compared run by run. Here the budget's
clock and the medians are ``time.thread_time``: what the decoder itself spends, which is what a kiosk's
otherwise idle CPU would see. ``--code DIR`` imports ``devices`` from another checkout (e.g. main) to
compare versions in one sitting. Prints reads per symbology, wrong texts and the median and 90th
percentile of CPU ms per frame (a frame with no code spends the whole budget, so the 90th percentile is
about the budget while more than a tenth of the frames go unread). ``--seed-offset 500``: the held-apart set
(``barcode_frames.frames``: the same sources under other seeds), to check that a change tuned on the default
set's misses generalises. ``--decode``: also ``decode`` (the still decoder, no budget) on the same frames, the
mark that ``decode_frame`` should read within 2 frames of; ``--misses``: the frames each one misses;
``--desks N``: also N empty desks (no code; anything read is a false read), CPU ms each.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import cv2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20, help="frames per symbology")
    parser.add_argument("--budget-ms", type=float, default=50.0,
                        help="decode_frame's budget (CPU ms; 50: the kiosk's camera_decode_budget_ms)")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1],
                        help="checkout whose devices package is measured (default: this one)")
    parser.add_argument("--seed-offset", type=int, default=0,
                        help="render the frames with seeds moved by this (500: the held-apart set)")
    parser.add_argument("--decode", action="store_true", help="also decode (the still decoder) on the frames")
    parser.add_argument("--misses", action="store_true", help="list the frames each decoder misses")
    parser.add_argument("--desks", type=int, default=0,
                        help="also this many empty desks (no code, 1920x1080; seeds 9000+): CPU ms and reads")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code.resolve()))
    import devices.barcode.budget as budget  # noqa: PLC0415  (first: the bench modules put this checkout on the path)
    from devices.barcode.decode import decode, decode_frame  # noqa: PLC0415

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from barcode_frames import desk, frames  # noqa: PLC0415
    from bench_barcode_camera import KIOSK_FORMATS  # noqa: PLC0415

    cv2.setNumThreads(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    for name in ("budget", "decode", "frame"):  # the frame's start (decode or frame) and the budget's clock
        module = sys.modules.get(f"devices.barcode.{name}")
        if getattr(module, "time", None) is time:
            module.time = _CpuClock()
    print(f"devices from {Path(budget.__file__).resolve().parents[2]}, budget {args.budget_ms:.0f} ms of CPU, "
          f"seed offset {args.seed_offset}")
    all_frames, _ = frames(args.frames, seed_offset=args.seed_offset)
    for _ in range(3):  # as the camera bench: the budget learns its steps' costs first
        decode_frame(all_frames[0].image, formats=KIOSK_FORMATS, budget_ms=args.budget_ms)
    readers = {"decode_frame": lambda image: decode_frame(image, formats=KIOSK_FORMATS, budget_ms=args.budget_ms)}
    if args.decode:
        readers["decode"] = lambda image: decode(image, formats=KIOSK_FORMATS)
    for reader, read in readers.items():
        tally: dict[str, list[tuple[bool, bool, float]]] = {}
        missed: list[str] = []
        for index, frame in enumerate(all_frames):
            t0 = time.thread_time()
            texts = [b.text for b in read(frame.image)]
            ms = 1000.0 * (time.thread_time() - t0)
            for key in (frame.symbology, "all"):
                tally.setdefault(key, []).append((frame.expected in texts, any(t != frame.expected for t in texts),
                                                  ms))
            if frame.expected not in texts:
                missed.append(f"{index} {frame.source}#{frame.seed}")
        print(f"\n{reader}")
        print(f"{'symbology':12s} {'read':>7s} {'wrong':>5s} {'median CPU ms':>14s} {'p90 CPU ms':>11s}")
        for key, rows in sorted(tally.items(), key=lambda item: item[0] == "all"):
            ranked = sorted(r[2] for r in rows)
            print(f"{key:12s} {sum(r[0] for r in rows):3d}/{len(rows):<3d} {sum(r[1] for r in rows):5d} "
                  f"{statistics.median(ranked):14.1f} {ranked[int(0.9 * len(ranked))]:11.1f}")
        if args.misses:
            print("  missed: " + ", ".join(missed))
        if args.desks:
            _desks(read, args.desks, desk)
    return 0


def _desks(read, count: int, desk) -> None:
    """Empty desks: anything read is a false read; CPU ms per desk (does a frame with no code spend the
    whole budget?)."""
    import numpy as np  # noqa: PLC0415

    spent, texts = [], 0
    for seed in range(9000, 9000 + count):
        image = cv2.cvtColor(desk(np.random.default_rng(seed)), cv2.COLOR_GRAY2BGR)
        t0 = time.thread_time()
        texts += len(read(image))
        spent.append(1000.0 * (time.thread_time() - t0))
    spent.sort()
    print(f"{'empty desk':12s} {count:3d} desks, {texts} read, median / p90 / max CPU ms "
          f"{statistics.median(spent):.1f} / {spent[int(0.9 * len(spent))]:.1f} / {spent[-1]:.1f}")


class _CpuClock:
    """Stands in for the ``time`` module inside ``devices.barcode.budget``: ``perf_counter`` is CPU time."""

    perf_counter = staticmethod(time.thread_time)


if __name__ == "__main__":
    sys.exit(main())
