"""A printed card darker than a bright pale desk, its edge a step down or a dark rim (part of devices.camera.docscan;
issue 22 item 1, round 24).

A specimen driving licence's back on a white table (tuning photo tonyxlh-card-back-white.jpg, 0.000 on main; round 24 tried, kept in round 25 with card_shaped): the
table is lit to luma 170-210 and the card, a pale patterned print with a magnetic stripe, is darker than it along
every side (lift -9 to -58 at the detection scale), so every paper score refuses it ("paper is lighter than the
desk"); its white lower strip lies on the table at the table's own shade, so that side steps on 0.42 of its length
and the left one on 0.54, and the cover scores, which want every side stepping on 0.6, refuse it too. The four Hough
lines of its sides are there (a line quad within 2.2 detection px). A person sees the card by its straight outline
all round: where its inside is darker, a step down; where it is the table's shade, the card's edge, a 1-3 px line
darker than both flanks (its cut edge and its thin shadow).

So, only when nothing else found a page: a line quad wholly in frame whose inside is paper-like (light, one colour
apart from the ink) and carries print, darker than the desk just outside along all four sides, each side seen
along _SEEN of its length as a step (the usual support) or as a rim: the darkest point within _REACH of the side
dips _RIM levels under both flanks _FLANK px away. A grid cell of a mat or a tile is not darker inside than out; a
shadow on a pale desk has soft edges (no step, no rim) and no print; a grey tablet or a dark folder has no paper
inside.
"""
from __future__ import annotations

from typing import Callable

import cv2
import numpy as np

from .geom import linspace, median, plausible_quads, vnorm
from .refine import NEXT_CORNER, sample_points, side_support
from .work import Work as _Work

_IN_FRAME = 1.5   # detection pixels every corner keeps off the frame's edge
_LIFT = 5.0       # grey levels every side's inside is darker than the desk just outside
_SEEN = 0.6       # share of a side's profiles showing a step or a rim
_STEP = 0.8       # a side stepping along this share of its length needs no rim
_N = 24           # profiles across each side
_REACH = 1.5      # detection px either side of the side searched for the rim
_FLANK = 3.5      # detection px from the side where the flanks are read
_RIM = 8.0        # levels the rim dips under both flanks
_DESK = 140.0     # the desk just outside is pale: median luma of the outside flank at least this
_PRINT = 0.03     # share of the inside's edge pixels (of its area) that tells print from a blank patch
_MAX_ASK = 40     # quads looked at in full, best summed support first
_RADIUS = 3.18 / 54.0  # an ID-1 card's corner radius, of its short side
_TIP = 0.12       # how far in along both sides (of the radius) the tip of a rounded corner is read: desk, not card
_ID1 = 54.0 / 85.6     # an ID-1 card's short/long side
_ASPECT_TOL = 0.08  # short/long may differ by this from _ID1 (a card seen a little in perspective)
_CORNER_STEP = 10.0  # grey levels the card is darker than the desk at a corner for that corner to tell anything
_TIP_DESK = 0.5   # share of the way from the card's luma to the desk's the tip of a rounded corner reads at least
_CORNERS = 3      # rounded corners the card shows at least


def darker_card(work: _Work, evidence: tuple[np.ndarray, ...], order: Callable[[np.ndarray], np.ndarray],
                paper: Callable[[np.ndarray], np.ndarray]) -> np.ndarray | None:
    """The small-image quad (TL TR BR BL) of a printed card darker than its pale desk, or None. ``evidence``: the
    line quads with their profile evidence (docscan.lines.line_quads); ``order``: corner ordering of a batch;
    ``paper``: whether ordered quads have a paper-like inside."""
    lq, support, known, _, lift = evidence
    if len(lq) == 0:
        return None
    h, w = work.opp.shape[:2]
    inside = ((lq[..., 0] >= _IN_FRAME) & (lq[..., 0] <= w - 1 - _IN_FRAME)
              & (lq[..., 1] >= _IN_FRAME) & (lq[..., 1] <= h - 1 - _IN_FRAME)).all(axis=1)
    ok = np.flatnonzero(inside & (known.min(axis=1) >= 0.99) & (lift.max(axis=1) < -_LIFT))
    if len(ok) == 0:
        return None
    quads = order(lq[ok])
    keep = plausible_quads(quads, (h, w))
    ok, quads = ok[keep], quads[keep]
    if len(ok) == 0:
        return None
    rank = np.argsort(-support[ok].sum(axis=1))[:_MAX_ASK]
    ok, quads = ok[rank], quads[rank]
    seen, desk = _seen(work.opp[..., 0], lq[ok], support[ok])   # the sides in the evidence's own order
    good = np.flatnonzero((seen.min(axis=1) >= _SEEN) & (desk >= _DESK))
    if len(good) == 0:
        return None
    good = good[paper(quads[good])]
    x, y = quads[good, :, 0], quads[good, :, 1]
    area = 0.5 * np.abs((x * y[:, NEXT_CORNER] - y * x[:, NEXT_CORNER]).sum(axis=1))
    for i in good[np.argsort(-area, kind="stable")]:   # the card's outline holds its printed blocks' (the largest)
        if _printed(work, quads[i]):
            return quads[i]
    return None


def still_darker(work: _Work, quad: np.ndarray) -> bool:
    """Whether a refined small-image quad (TL TR BR BL) still passes the side tests: every side seen, the desk pale,
    darker inside along three sides at least (a refined side on the card's edge line may read its white margin
    against a desk in shade)."""
    support, known, _, lift = side_support(work.opp, quad[None], n=_N)
    seen, desk = _seen(work.opp[..., 0], quad[None], support)
    return bool(known.min() >= 0.99 and (lift < -_LIFT).sum() >= 3 and seen.min() >= _SEEN and desk[0] >= _DESK)


def _seen(lum: np.ndarray, quads: np.ndarray, support: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per side the share of profiles showing a step or a rim (a side already stepping along _STEP of its length
    counts as seen whole), and per quad the median luma just outside it (the desk)."""
    a = quads
    b = quads[:, NEXT_CORNER]
    d = b - a
    normal = np.stack([d[..., 1], -d[..., 0]], axis=-1) / np.maximum(vnorm(d, axis=-1, keepdims=True), 1e-6)
    centre = quads.mean(axis=1, keepdims=True)
    flip = ((centre - a) * normal).sum(axis=-1, keepdims=True) > 0
    normal = np.where(flip, -normal, normal)    # outwards
    t = linspace(0.1, 0.9, _N)[None, None, :, None]
    pts = a[:, :, None] + d[:, :, None] * t                                      # (N, 4, _N, 2)
    offs = linspace(-_REACH, _REACH, 7)
    across = pts[..., None, :] + normal[:, :, None, None, :] * offs[None, None, None, :, None]
    dip = sample_points(lum, across.reshape(-1, 2)).reshape(across.shape[:-1]).min(axis=-1)
    inner = sample_points(lum, (pts - normal[:, :, None] * _FLANK).reshape(-1, 2)).reshape(pts.shape[:-1])
    outer = sample_points(lum, (pts + normal[:, :, None] * _FLANK).reshape(-1, 2)).reshape(pts.shape[:-1])
    rim = (np.minimum(inner, outer) - dip >= _RIM).mean(axis=-1)
    seen = np.where(support >= _STEP, 1.0, np.maximum(rim, support))
    return seen, median(outer.reshape(len(quads), -1), axis=1)


def _printed(work: _Work, quad: np.ndarray) -> bool:
    """Whether the inside (the middle 80 %) carries print: edge pixels on _PRINT of its area or more."""
    c = quad.mean(axis=0)
    q = c + (quad - c) * 0.8
    x0, y0 = np.floor(q.min(axis=0)).astype(int)
    x1, y1 = np.ceil(q.max(axis=0)).astype(int)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return False
    yy, xx = np.mgrid[y0:y1 + 1, x0:x1 + 1]
    pts = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float64)
    inside = np.ones(len(pts), bool)
    for k in range(4):
        e = q[(k + 1) % 4] - q[k]
        cross = e[0] * (pts[:, 1] - q[k][1]) - e[1] * (pts[:, 0] - q[k][0])
        ref = e[0] * (c[1] - q[k][1]) - e[1] * (c[0] - q[k][0])
        inside &= cross * ref >= 0
    if inside.sum() < 16:
        return False
    pts = pts[inside].astype(int)
    pts = pts[(pts[:, 0] < work.edges.shape[1]) & (pts[:, 1] < work.edges.shape[0])]
    return bool((work.edges[pts[:, 1], pts[:, 0]] > 0).mean() >= _PRINT)


def corner_read(img: np.ndarray, quad: np.ndarray) -> list[tuple[float, float, float]]:
    """Per corner of a full-image quad (TL TR BR BL): luma just inside the corner's tip, on the card just inside its
    sides near the corner, and on the desk just outside them (smoothed)."""
    lum = cv2.GaussianBlur(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32), (0, 0), 1.5)
    side = vnorm(quad - quad[NEXT_CORNER], axis=1)
    r = _RADIUS * min(side[0] + side[2], side[1] + side[3]) / 2
    out = []
    for k in range(4):
        c = quad[k]
        u1 = quad[(k + 1) % 4] - c
        u2 = quad[(k - 1) % 4] - c
        u1, u2 = u1 / np.linalg.norm(u1), u2 / np.linalg.norm(u2)
        tip = c + (u1 + u2) * _TIP * r
        card = [c + u1 * r + u2 * _TIP * r, c + u2 * r + u1 * _TIP * r]
        desk = [c + u1 * r - u2 * 0.5 * r, c + u2 * r - u1 * 0.5 * r, c - (u1 + u2) * 0.5 * r]
        pts = np.array([tip] + card + desk, np.float32)
        v = sample_points(lum, pts.astype(np.float64)).reshape(-1)
        out.append((float(v[0]), float(median(v[1:3])), float(median(v[3:]))))
    return out


def card_shaped(img: np.ndarray, quad: np.ndarray) -> bool:
    """Whether a full-image quad (TL TR BR BL, refined) has an ID-1 card's shape: short/long side within _ASPECT_TOL
    of 54/85.6 (a card seen nearly square-on), and rounded corners: at _CORNERS corners or more the card is told from
    the desk (darker by _CORNER_STEP) and the tip of the corner reads the desk (over _TIP_DESK of the way from the
    card's luma to the desk's), and no corner so told reads the card at its tip (a sharp corner: a shadow patch, a
    cut-out, a block of print)."""
    side = vnorm(quad - quad[NEXT_CORNER], axis=1)
    a, b = (side[0] + side[2]) / 2, (side[1] + side[3]) / 2
    if abs(min(a, b) / max(a, b, 1e-6) - _ID1) > _ASPECT_TOL:
        return False
    rounded = 0
    for tip, card, desk in corner_read(img, quad):
        if desk - card < _CORNER_STEP:
            continue   # the card at the desk's shade here: the corner tells nothing
        if (tip - card) / (desk - card) < _TIP_DESK:
            return False
        rounded += 1
    return rounded >= _CORNERS
