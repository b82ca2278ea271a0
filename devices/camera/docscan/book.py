"""A hardback with a picture cover on a dark table in a dim room, seen from its near end (part of
devices.camera.docscan; issue 22 item 1, round 21).

The tuning photo cv_desk.png (mdmamunhasan/interest-point-matching): a textbook whose cover is a cave painting under
a cream title panel, on a round black table, the room dark (the frame's median luma 19). Three tests drop it:
- lines: its left and right sides are 33 degrees from parallel, past docscan.steep's 22, so no line quad is the cover
  (the nearest 65 detection px off) although a Hough line lies within 1-4 px of each of its four sides;
- sides: the spine's brown cloth strip is only 5-6 levels lighter than the black table, so the cover's left side has
  0.17-0.42 support, under the 0.3 every score wants of every side;
- surround: past its near side lies the white page block, not the table, so docscan.cover does not find one
  surface round it (and the page block's side steps the wrong way for a page).

So, only when nothing else found a page and the frame is dim (median luma under _DIM): line quads with opposite sides
up to _WIDE from parallel that are rectangles in perspective (docscan.steep's test), wholly in frame, carrying print
(docscan.cover's test), with three sides stepping clearly (support _STRONG) and the fourth at least _WEAK and lighter
inside, at least three sides lighter inside than a dark surround (outside under _DARK_OUT, the inside _LIFT over it).
The best by summed support is the cover.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .cover import _has_print
from .geom import NEXT_CORNER, linspace, median, order_corners, vnorm
from .lines import line_quads
from .refine import sample_points, side_support
from .steep import rectangle_in_perspective
from .work import Work as _Work

_DIM = 45.0           # the frame's median opponent luma under this is a dim room (cv_desk.png: 19)
_WIDE = math.radians(36)
_STRONG = 0.8         # support of the three clear sides
_WEAK = 0.1           # support of the fourth (the spine's cloth strip: 0.17-0.42)
_DARK_OUT = 50.0      # opponent luma outside the sides that are the table
_LIFT = 2.0           # a side lighter inside by this much
_INSIDE = 30.0        # the cover's median luma over the table's
_CHECK = 40           # line quads checked, by summed first support
_PROBE = 3.0          # detection px either side of a side where the surround is read


def dark_book(work: _Work, hough: Callable[[], np.ndarray]) -> np.ndarray | None:
    """The cover's quad (detection pixels, TL TR BR BL) of a book on a dark table in a dim room, or None; ``hough``
    gives the frame's lines (docscan.lines.hough_lines), asked only in a dim frame."""
    opp = work.opp
    if float(median(opp[..., 0])) >= _DIM:
        return None
    shape = work.edges.shape
    quads, support, known, _, _ = line_quads(opp, hough(), _WIDE, lambda q: rectangle_in_perspective(q, shape))
    if len(quads) == 0:
        return None
    ok = (known > 0.9).all(axis=1) & (np.sort(support, axis=1)[:, 1] >= _STRONG)
    idx = np.flatnonzero(ok)
    idx = idx[np.argsort(-support[idx].sum(axis=1))][:_CHECK]
    if len(idx) == 0:
        return None
    cand = np.array([order_corners(q) for q in quads[idx]])
    sup, kn, lum_in, lift = side_support(opp, cand, n=24)
    srt = np.sort(sup, axis=1)
    good = (kn > 0.9).all(axis=1) & (srt[:, 1] >= _STRONG) & (srt[:, 0] >= _WEAK)
    weakest = np.argmin(sup, axis=1)
    good &= lift[np.arange(len(cand)), weakest] > _LIFT
    good &= (lift > _LIFT).sum(axis=1) >= 3
    out_luma, in_luma = _outside(opp, cand)
    dark = out_luma < _DARK_OUT
    good &= ((dark & (lift > _LIFT)).sum(axis=1) >= 3)
    table = np.array([median(o[d]) if d.any() else 255.0 for o, d in zip(out_luma, dark)])
    good &= in_luma > table + _INSIDE
    good[good] = _has_print(opp, cand[good])
    if not good.any():
        return None
    best = np.flatnonzero(good)[np.argmax(sup[good].sum(axis=1))]
    return cand[best]


def _outside(opp: np.ndarray, quads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median luma just outside each side (N, 4), and the median luma of the inside (N,)."""
    a, b = quads, quads[:, NEXT_CORNER]
    d = (b - a) / np.maximum(vnorm(b - a, axis=2, keepdims=True), 1e-9)
    normal = np.stack([d[..., 1], -d[..., 0]], axis=-1)
    centre = quads.mean(axis=1, keepdims=True)
    normal *= np.sign((((a + b) / 2 - centre) * normal).sum(axis=2, keepdims=True))   # outward
    t = linspace(0.1, 0.9, 16)
    pts = a[:, :, None, :] + (b - a)[:, :, None, :] * t[None, None, :, None]
    out = sample_points(opp, pts + normal[:, :, None, :] * _PROBE)[..., 0]
    rel = pts - centre[:, :, None, :]
    inner = centre[:, :, None, None, :] + rel[..., None, :] * linspace(0.2, 0.8, 5)[:, None]
    inside = sample_points(opp, inner.reshape(len(quads), -1, 2))[..., 0]
    return median(out, axis=2), median(inside, axis=1)
