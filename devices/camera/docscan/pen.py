"""A piece of the page cut off by a pen across it (part of devices.camera.docscan; issue 22 item 1, round 32).

A pen, a pencil or a cable lying across a card or a sheet is a thin dark (or coloured) band with two parallel
flanks a few pixels apart; its flank steps as strongly as a page's side, so the outline may stop there and leave
the part of the page beyond the pen out (the simulator's seed 511, a blue pen across an ID card). A person sees
the page's paper go on beyond the pen in the same colour, and the page's two sides that the pen crosses run
straight on past it. A page's real side is a step with paper on one flank and desk on the other: beyond it the
desk stays unlike the inside.

So a side of the chosen outline is looked at when, across it, the colour leaves the inside's paper within a pixel
or two, stays off it for a thin band (the pen, 1.5-12 detection pixels) and comes back to the same paper beyond
it, on most of the side. The side is then put on the pen's far flank and docscan.fold's walk along the two
neighbouring sides (desk just outside, paper just inside, up to where the step ends, and the far side stepping
to the desk) moves it out to the page's true edge. The caller refines the new outline again.
"""
from __future__ import annotations

import numpy as np

from .fold import _area, _extend_side
from .refine import sample_points
from .work import Work as _Work

_N = 15               # profiles across a side, 15-85 % along it
_IN = 2.5             # detection pixels inside the side where the page's paper is read
_STEP = 0.5           # and the profile's step outward
_REACH = 18.0         # how far out a pen's far flank is looked for
_LEAVE = 2.0          # the colour leaves the paper within this many pixels of the side ...
_MIN_W, _MAX_W = 1.5, 15.0   # ... for a band this wide (a pencil at 0.25 scale to a thick marker and its shadow) ...
_OFF = 22.0           # ... at least this far (opponent distance) from the paper somewhere across it
_SAME_LUMA = 14.0     # and the paper beyond is the same: luma within this (and lit a little differently) ...
_SAME_CHROMA = 9.0    # ... and chroma within this
_BEYOND = 2.0         # ... over this many pixels past the band
_PAST = 2.5           # detection pixels past the band's far edge where the page's sides are followed on
_SKEW = 0.85          # the two reaches past the pen may differ by this fraction of the longer (a slanted pen)
_GRAIN = 3.0          # on wood grain, desk within this many times its median luma deviation along the sides
_SHARE = 0.6          # share of the side's profiles that show the band
ENABLED = True        # the rule switched off gives main's detector (tests, timing)


def side_profiles(work: _Work, quad: np.ndarray, offsets: np.ndarray, n: int = _N
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Profiles across each side of ``quad`` at ``n`` places 15-85 % along it, sampled at ``offsets`` detection
    pixels along the outward normal (negative: inside): the normals (4, 2), in frame (4, n, M) and the colours
    (4, n, M, 3). Shared with docscan.margin."""
    h, w = work.edges.shape
    nxt = np.roll(quad, -1, axis=0)
    d = nxt - quad
    normal = np.stack([d[:, 1], -d[:, 0]], axis=1) / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-6)
    normal *= np.sign((((quad + nxt) / 2 - quad.mean(axis=0)) * normal).sum(axis=1, keepdims=True))   # outward
    base = quad[:, None] + d[:, None] * np.linspace(0.15, 0.85, n)[None, :, None]                   # (4, n, 2)
    pts = base[:, :, None] + normal[:, None, None] * offsets[None, None, :, None]
    seen = (pts[..., 0] >= 1) & (pts[..., 0] <= w - 2) & (pts[..., 1] >= 1) & (pts[..., 1] <= h - 2)
    return normal, seen, sample_points(work.opp, pts)


def past_a_pen(work: _Work, quad: np.ndarray) -> np.ndarray | None:
    """``quad`` (a refined outline in detection pixels, corners in order round it) with a side that is a pen's flank
    moved out to the page's true edge (see the module docstring); None when no side is."""
    if not ENABLED:
        return None
    h, w = work.edges.shape
    best, best_area = None, _area(quad)
    offs = np.arange(_STEP, _REACH + _STEP, _STEP)
    deep = -np.arange(_IN, _IN + 3.0)                          # the paper, read at three depths inside
    normal, seen, vals = side_profiles(work, quad, np.concatenate([deep, offs]))
    seen = seen.all(axis=2)
    # The page's paper along each side: the median of the inside samples (print lines and specks drop out).
    paper = np.median(vals[:, :, :len(deep)].reshape(4, -1, 3), axis=1)[:, None, None]
    out = vals[:, :, len(deep):]
    same = ((np.abs(out[..., 0] - paper[..., 0]) < _SAME_LUMA)
            & (np.linalg.norm(out[..., 1:] - paper[..., 1:], axis=-1) < _SAME_CHROMA))          # (4, N, M)
    far = np.linalg.norm(out - paper, axis=-1) >= _OFF
    run = int(round(_BEYOND / _STEP)) + 1
    # what the loop below asks of a profile first, for all at once: the colour leaves the paper within _LEAVE
    # (offs ascend) and is _OFF from it somewhere (the band) -- a profile without both gives no width
    may = seen & (~same[..., offs <= _LEAVE]).any(axis=2) & far.any(axis=2)
    # the loop's search for each profile at once: the first sample off the paper (within _LEAVE on a ``may``
    # profile), the first one past it back on the paper with at least 0.6 of the next ``run`` on it too, and a
    # sample _OFF from the paper between the two; counts of booleans, so the same answers as sample by sample
    need = next(c for c in range(run + 1) if c / run >= 0.6)   # on the paper in a window of ``run``: its mean >= 0.6
    cut = len(offs) - run + 1                                   # windows that fit
    first = np.argmax(~same, axis=2)                                                                # (4, N)
    on = np.concatenate([np.zeros((4, _N, 1), np.intp), np.cumsum(same, axis=2)], axis=2)
    back = same[..., :cut] & (on[..., run:] - on[..., :cut] >= need) & (np.arange(cut) > first[..., None])
    start = np.argmax(back, axis=2)
    hit = np.concatenate([np.zeros((4, _N, 1), np.intp), np.cumsum(far, axis=2)], axis=2)
    band = np.take_along_axis(hit, start[..., None], 2)[..., 0] > np.take_along_axis(hit, first[..., None], 2)[..., 0]
    width = offs[start]
    gives = may & back.any(axis=2) & band & (width >= _MIN_W) & (width <= _MAX_W)
    for k in range(4):
        if may[k].sum() < _SHARE * _N:
            continue   # too few profiles can show the band: the side cannot pass the share below
        widths = list(width[k][gives[k]])
        if len(widths) < _SHARE * _N:
            continue
        # The side put on the pen's far flank: each corner moved along its neighbouring side (the page's own side,
        # which the pen crosses at a slant) until it is the band's width (and its shadow) out.
        shifted, gap = quad.copy(), float(np.median(widths)) + _PAST
        for c, other in ((k, (k - 1) % 4), ((k + 1) % 4, (k + 2) % 4)):
            along = quad[c] - quad[other]
            length = max(float(np.linalg.norm(along)), 1e-6)
            shifted[c] = quad[c] + along / length * gap / max(float(np.dot(along / length, normal[k])), 0.5)
        # The desk beside the neighbouring sides read away from the pen's crossing (its shadow falls there).
        ext = _extend_side(work, shifted, k, (h, w), desk_span=(0.35, 0.75), skew=_SKEW, grain=_GRAIN)
        if ext is not None and _area(ext) > best_area:
            best, best_area = ext, _area(ext)
    return best
