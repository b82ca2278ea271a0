"""A card's sides lost among a busy desk's lines, looked for again round the card (part of devices.camera.docscan;
issue 22, round 19).

An ID card on a bold checkerboard (synthetic scene 475) steps 97-118 luma levels all round and its true outline
scores 1.04 as a page, yet no line quad outlines it: the checkerboard's own lines run within 1 degree of the card's
sides, and the Hough keeps at most a few lines per direction (docscan.lines), strongest first, so two of the card's
sides never become lines. Its convex hull of edge chains (docscan.hulls) lies near it (Jaccard 0.77) but a corner of
the hull is cut off by the clutter round it.

A card on a pale desk (scene 195) fails at the lines too: its top and left sides step only 5-16 luma levels, and
the gradient directions along such a faint step scatter (of 156 edge pixels along its top, 33 point within 2.5
degrees of its normal), so the orientation-gated Hough of docscan.lines gathers too few votes for them.

So, only when nothing else found a page: each hull quad of a card's or a page's size (_MIN_AREA to _MAX_AREA of the
frame, up to _MAX_HULLS, largest first) whose inside looks like paper is grown by _GROW about its centre; the edges
inside that patch alone (at _GAIN of the usual thresholds) give plain Hough lines (every edge pixel votes, whatever
its gradient direction: the patch holds little but the card), and their line quads are scored as usual against the
whole frame. Only a solid outline (every side well supported) wholly in frame scoring MIN_SCORE is kept (a desk's
line closed by the frame border round a paper-like patch is how two empty pale desks fooled a first version); the
caller refines it and drops it unless its sides are straight.
"""
from __future__ import annotations

from typing import Callable

import cv2
import numpy as np

from .edges import OPP_TO_BANDS, edge_work
from .hulls import hull_quads
from .lines import _distinct
from .work import Work as _Work

_MIN_AREA = 0.012    # hull quads from this fraction of the frame (geom.MIN_AREA_FRAC) ...
_MAX_AREA = 0.4      # ... to this (larger is a page or a table, for docscan.inner)
_MAX_HULLS = 3       # paper-like hull quads looked round, largest first
_GROW = 1.3          # the patch: the hull quad grown about its centre by this (seed 475: a corner cut by 10 px)
_GAIN = 0.6          # edge thresholds inside the patch (as docscan.inner)
_MIN_OVERLAP = 0.5   # Jaccard of the outline with its hull quad: the card the hull stands for, not a patch inside it
_VOTES = 0.14        # Hough votes a patch line needs, as a fraction of the frame's short side (25 px of 180)


def card_quads(work: _Work, order: Callable, paper: Callable, shortlist: Callable, min_score: float
               ) -> tuple[np.ndarray, np.ndarray]:
    """Solid line quads (small image, ordered) wholly in frame scoring ``min_score``, found round paper-like hull
    quads, best first, with their scores. ``order`` orders quads' corners, ``paper`` tells paper-like insides,
    ``shortlist`` turns (rho, theta) lines, frame borders last, into scored line quads (quads, scores, solid)."""
    h, w = work.edges.shape
    found_q, found_s = [], []
    hulls = [np.asarray(q, np.float64).reshape(4, 2) for q in hull_quads(work)]
    hulls = [q for q in hulls if _MIN_AREA <= _area(q) / (h * w) <= _MAX_AREA]
    if not hulls:
        return np.zeros((0, 4, 2)), np.zeros(0)
    hulls = order(np.array(sorted(hulls, key=_area, reverse=True)))
    hulls = hulls[paper(hulls)][:_MAX_HULLS]
    bands = np.clip(work.opp * OPP_TO_BANDS[0] + OPP_TO_BANDS[1], 0, 255).astype(np.uint8) if len(hulls) else None
    for hq in hulls:
        c = hq.mean(axis=0)
        mask = np.zeros((h, w), np.uint8)
        cv2.fillConvexPoly(mask, np.round(c + (hq - c) * _GROW).astype(np.int32), 255)
        found = cv2.HoughLines(edge_work(work.opp, bands, work.scale, _GAIN, mask).edges, 1, np.pi / 180,
                               max(8, round(_VOTES * min(h, w))))
        if found is None:
            continue
        found = found.reshape(-1, 2).astype(np.float64)   # strongest first
        borders = [(-0.5, 0.0), (w - 0.5, 0.0), (-0.5, np.pi / 2), (h - 0.5, np.pi / 2)]
        quads, scores, solid = shortlist(np.array(_distinct(found[:, 0], found[:, 1]) + borders, np.float64))
        inside = ((quads[..., 0] > 1) & (quads[..., 0] < w - 2) & (quads[..., 1] > 1) & (quads[..., 1] < h - 2)).all(1)
        ok = np.flatnonzero(solid & inside & (scores >= min_score))
        ok = ok[[_jaccard(quads[i], hq, (h, w)) >= _MIN_OVERLAP for i in ok]]
        if len(ok):
            best = ok[np.argmax(scores[ok])]
            found_q.append(quads[best])
            found_s.append(scores[best])
    if not found_q:
        return np.zeros((0, 4, 2)), np.zeros(0)
    rank = np.argsort(-np.array(found_s))
    return np.array(found_q)[rank], np.array(found_s)[rank]


def _area(quad: np.ndarray) -> float:
    return float(cv2.contourArea(quad.astype(np.float32).reshape(-1, 1, 2)))


def _jaccard(a: np.ndarray, b: np.ndarray, shape: tuple[int, int]) -> float:
    ma, mb = np.zeros(shape, np.uint8), np.zeros(shape, np.uint8)
    cv2.fillConvexPoly(ma, np.round(a).astype(np.int32), 1)
    cv2.fillConvexPoly(mb, np.round(b).astype(np.int32), 1)
    return float((ma & mb).sum()) / max(1.0, float((ma | mb).sum()))
