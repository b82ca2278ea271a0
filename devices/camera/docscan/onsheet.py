"""A card lying on a printed sheet, outlined with the sheet (part of devices.camera.docscan; issue 22, rounds 28, 31).

An ID card on a pale pink letter (synthetic scene 335): the card's right and bottom sides lie nearly on one line
with the letter's, and the chosen outline is those two lines run on to the frame's top and left borders, taking in
the letter and a patch of desk (not solid: its sides step on 0.71-0.75 of their length). The card's own outline
would score 0.97, solid, but its top and left sides step mainly in COLOUR (the card's blue-white against the pink
letter and the grey desk: 5-9 luma levels), and among the frame's lines the letter's text, the pens and the tablet
outvote them, so no line quad offers it.

A person sees one card on a sheet: a smaller, solid outline inside the loose one, sharing two of its sides, whose
other sides are where the colour changes. So, only where the chosen outline is not solid: the edges inside it
(grown by _GROW about its centre, at _GAIN of the usual thresholds) give plain Hough lines (as docscan.card), and
their line quads are scored as usual against the whole frame. A solid one wholly in frame, _INSIDE of it within the
chosen outline and at most _SMALLER of its area, with two or three of its sides on the chosen outline's side lines
(both ends within _ON_LINE px), scoring _BETTER more, and whose OTHER sides step in colour (the median chroma step
across each _CHROMA opponent units or more: a card's edge against another sheet or a tinted desk), is chosen
instead. Round 23 tried the same without the colour test (docscan.overrun, not kept): a band of shade across a form
closes a piece of it sharing two sides with the chosen outline, and a shade's edge steps in luma only.

Round 31: the colour step is read at every reach in _ACROSS, out beyond a printed line's width. A certificate whose
own outline is not solid (unseen seed 556 in round 28) was narrowed to its page's left and bottom sides and its blue
printed frame's top and right: right beside a printed line one flank is the line's ink, so it steps in colour like a
card's side, but a few px out both flanks are the same paper. A card's side is a step between two surfaces, the same
at every reach (335: 5.8-12.8 chroma units at 2-5 px; the rendered printed frames 1.5 or less at 4 px).
"""
from __future__ import annotations

from typing import Callable

import cv2
import numpy as np

from .edges import OPP_TO_BANDS, edge_work
from .geom import NEXT_CORNER, linspace, median, vnorm
from .lines import _distinct
from .refine import sample_points
from .work import Work as _Work

_GROW = 1.1      # the patch looked into: the chosen outline grown about its centre
_GAIN = 0.6      # edge thresholds inside it (as docscan.card)
_VOTES = 0.14    # Hough votes a line needs, as a fraction of the frame's short side (as docscan.card)
_INSIDE = 0.95   # fraction of the new quad's area within the chosen outline
_ON_LINE = 2.0   # detection px: both ends of a shared side lie this close to the chosen outline's side line
_SMALLER = 0.9   # ... and covers at most this much of the chosen outline's area (a card, not the outline again)
_BETTER = 0.1    # the new quad scores this much more than the chosen outline
_CHROMA = 4.0    # opponent units: median chroma step across each side not shared with the chosen outline
_ACROSS = (2.0, 3.0, 4.0, 5.0)   # detection px either side of a side where the step is read: near it and beyond
#                                 a printed line's width (a 1-4 px line of a 1280 px frame is 1 px here, blurred)


def card_on_sheet(work: _Work, quads: np.ndarray, scores: np.ndarray, solid: np.ndarray, first: int,
                  shortlist: Callable) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """``quads, scores, solid, first`` with a card found inside the chosen (not solid) outline appended and made
    the first, or as given. ``shortlist`` turns (rho, theta) lines, frame borders last, into scored line quads."""
    if solid[first]:
        return quads, scores, solid, first
    h, w = work.edges.shape
    outline = quads[first]
    c = outline.mean(axis=0)
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, np.round(c + (outline - c) * _GROW).astype(np.int32), 255)
    bands = np.clip(work.opp * OPP_TO_BANDS[0] + OPP_TO_BANDS[1], 0, 255).astype(np.uint8)
    found = cv2.HoughLines(edge_work(work.opp, bands, work.scale, _GAIN, mask).edges, 1, np.pi / 180,
                           max(8, round(_VOTES * min(h, w))))
    if found is None:
        return quads, scores, solid, first
    found = found.reshape(-1, 2).astype(np.float64)
    borders = [(-0.5, 0.0), (w - 0.5, 0.0), (-0.5, np.pi / 2), (h - 0.5, np.pi / 2)]
    lq, ls, lsolid = shortlist(np.array(_distinct(found[:, 0], found[:, 1]) + borders, np.float64))
    inside = ((lq[..., 0] > 1) & (lq[..., 0] < w - 2) & (lq[..., 1] > 1) & (lq[..., 1] < h - 2)).all(axis=1)
    ok = np.flatnonzero(lsolid & inside & (ls >= scores[first] + _BETTER))
    for i in ok[np.argsort(-ls[ok])]:
        shared = _on_sides(lq[i], outline)
        inside, smaller = _within(lq[i], outline, (h, w))
        if 2 <= shared.sum() <= 3 and inside >= _INSIDE and smaller <= _SMALLER and _colour_steps(work, lq[i], ~shared):
            return (np.concatenate([quads, lq[i][None]]), np.append(scores, ls[i]), np.append(solid, True),
                    len(quads))
    return quads, scores, solid, first


def _on_sides(quad: np.ndarray, outline: np.ndarray) -> np.ndarray:
    """Per side of ``quad``: whether both its ends lie within _ON_LINE of one of ``outline``'s side lines."""
    a, b = outline, outline[NEXT_CORNER]
    d = b - a
    n = np.stack([-d[:, 1], d[:, 0]], axis=1) / np.maximum(vnorm(d, axis=1, keepdims=True), 1e-9)
    ends = np.stack([quad, quad[NEXT_CORNER]], axis=1)                     # (4 sides, 2 ends, 2)
    dist = np.abs(((ends[:, :, None, :] - a[None, None]) * n[None, None]).sum(axis=3))   # (4, 2, 4 lines)
    return (dist <= _ON_LINE).all(axis=1).any(axis=1)


def _within(quad: np.ndarray, outline: np.ndarray, shape: tuple[int, int]) -> tuple[float, float]:
    """The fraction of ``quad``'s area within ``outline``, and its area over the outline's (both in frame)."""
    mq, mo = np.zeros(shape, np.uint8), np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(mq, np.round(quad).astype(np.int32), 1)
    cv2.fillConvexPoly(mo, np.round(outline).astype(np.int32), 1)
    return float((mq & mo).sum()) / max(1.0, float(mq.sum())), float(mq.sum()) / max(1.0, float(mo.sum()))


def _colour_steps(work: _Work, quad: np.ndarray, sides: np.ndarray) -> bool:
    """Whether each of the chosen ``sides`` of ``quad`` steps in colour: the median, along the side, of the chroma
    difference between inside and outside is _CHROMA or more at every reach in _ACROSS (a shade's edge steps in luma
    only; a printed line's flanks beyond its width are the same paper)."""
    centre = quad.mean(axis=0)
    t = linspace(0.1, 0.9, 24)[:, None]
    for k in np.flatnonzero(sides):
        a, b = quad[k], quad[(k + 1) % 4]
        d = b - a
        n = np.array([-d[1], d[0]]) / max(float(np.linalg.norm(d)), 1e-9)
        n *= np.sign(float(((a + b) / 2 - centre) @ n)) or 1.0
        pts = a + d * t
        for off in _ACROSS:   # a card's side steps at every reach; a printed line's flanks match beyond its width
            vin = sample_points(work.opp, pts - n * off)
            vout = sample_points(work.opp, pts + n * off)
            if float(median(vnorm(vin[:, 1:] - vout[:, 1:], axis=1))) < _CHROMA:
                return False
    return True
