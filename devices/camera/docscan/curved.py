"""A page held up in a room, its sides gently bowed (part of devices.camera.docscan; issue 22 item 1, round 30).

A page held up in a hand bends: held at one edge or two, each side bows by up to about 2 % of the frame's height
(about 0.045 of a short side's length at most on the rendered ``held`` kind). docscan.backlit's pages (against a window)
are refined with HELD_STRAIGHT of their edge points on a line (docscan.bowed); a page held up in a room is not
backlit (it is lighter than the wall round it, a page on a wall to the score), so the refinement wants a mean 0.5 of
the sides' edge points on their lines, and a side bowed by 3-4 detection pixels has only 0.24-0.47 there. On main
rendered ``held`` room seeds 22, 58, 64, 94 and 112 (even seeds 0-119) find the page's quad (0.87-0.93 of the page)
and drop it for that, so nothing or a part of the form is outlined.

What a person sees is a page with gently curved sides, not a coin or a cup: each side's edge points lie on a
shallow curve. So, where the usual refinement drops a candidate as not straight, each side is profiled again
(docscan.refine's profiles, 3 detection pixels either side of the line the coarse pass fitted) and the offsets of
its step are fitted, robustly (fingers drop out as in the line fit), by a bow: the chord a + b t plus c 4t(1 - t)
along the side (t from 0 to 1). The candidate is a bowed page when, over its visible sides, a mean 0.5 of the
in-frame profiles lie within 1.5 px of their side's curve (the usual refinement's share and mean, measured on the
curve; fingers over a side and a side crossing from wall to floor leave 0.38-0.44 on one side of seed 94), every
visible side has 6 points on its curve or more, and no side bows by more than BOW_MAX of its length (a coin's
quarter arc bows by 0.2, a cup's rim by more). Its corners are where the chords
meet: a bowed side's ends are the page's corners. Only asked on candidates the loop already took for pages
(score, strip and thin-thing tests passed); nothing else changes. The chords' outline is not re-scored as a straight
one when it moved more than two detection pixels (detect.py's check after refinement): its sides lie off the bowed
edges by up to the bow, so it scores low and the coarse quad would be kept (held room seed 136: 0.977 -> 0.861).
"""
from __future__ import annotations

import numpy as np

from .geom import median, order_corners
from .refine import NEXT_CORNER, REFINE_N, _consistent, _edge_offsets, _intersections, _profiles, refine_once

BOW_MAX = 0.05          # a side's bow (the curve's height over its chord) over the side's length
CURVED_SHARE = 0.5      # in-frame profiles whose step lies on their side's curve, the mean over the visible sides
_N = 32                 # profiles per side


def _fit_bow(t: np.ndarray, d: np.ndarray, use: np.ndarray, iterations: int = 6
             ) -> tuple[np.ndarray, np.ndarray] | None:
    """Robust least squares d = a + b t + c 4t(1-t) over the points ``use`` keeps; (a, b, c) and residuals."""
    keep = use.copy()
    design = np.stack([np.ones_like(t), t, 4 * t * (1 - t)], axis=1)
    coef = None
    for _ in range(iterations):
        if keep.sum() < 6:
            return None
        coef = np.linalg.lstsq(design[keep], d[keep], rcond=None)[0]
        r = np.abs(d - design @ coef)
        tol = max(0.75, 2.5 * 1.4826 * float(median(r[keep])))
        new_keep = use & (r < tol)
        if new_keep.sum() < 6 or (new_keep == keep).all():
            break
        keep = new_keep
    return coef, np.abs(d - design @ coef)


def curved_page(img: np.ndarray, quad: np.ndarray, scale: float) -> tuple[np.ndarray, float] | None:
    """The corners of a page with gently bowed sides round the full-image ``quad`` and the mean share of a visible
    side's profiles on its curve, or None when a side is not such a curve (too few points on it, or bowed more than
    BOW_MAX)."""
    unit = max(1.0, 0.4 / scale)
    start, _ = refine_once(img, np.asarray(quad, np.float64), radius=3.0 / scale, unit=unit, n=REFINE_N[0])
    start = order_corners(start)
    k = 2
    fine = max(1.0, unit / 2)
    radius = 3.0 / scale
    offsets = np.arange(-radius - k * fine, radius + k * fine + 1e-6, fine)
    prof, base, normal, inside = _profiles(img, start, offsets, _N, fine)
    off, _, vec, valid = _edge_offsets(prof, offsets, k)
    good = _consistent(vec, valid & inside)
    pts = base + normal * off[..., None]                                          # (4, n, 2)
    a, b = start, start[NEXT_CORNER]
    lines = np.zeros((4, 3))
    shares = []
    for s in range(4):
        chord = b[s] - a[s]
        length = float(np.linalg.norm(chord))
        if length < 1e-6:
            return None
        u = chord / length
        nrm = np.array([-u[1], u[0]])
        rel = pts[s] - a[s]
        t, d = rel @ u / length, rel @ nrm
        n_in = int(inside[s].sum())
        fit = _fit_bow(t, d, good[s]) if n_in >= 6 else None
        if fit is None:
            if n_in >= 6:   # a visible side with no curve of steps along it
                return None
            lines[s] = np.append(nrm, -float(nrm @ a[s]))   # off the frame: the side stays where it was
            continue
        (c0, c1, bow), r = fit
        if abs(bow) > BOW_MAX * length:
            return None
        shares.append(float((good[s] & (r < max(1.5, unit))).sum()) / n_in)
        p0, p1 = a[s] + nrm * c0, a[s] + chord + nrm * (c0 + c1)   # the chord's ends
        lines[s] = _through(p0, p1)
    if len(shares) < 3:
        return None
    corners = _intersections(lines)
    if corners is None:
        return None
    return order_corners(corners), float(np.mean(shares))


def bowed_outline(img: np.ndarray, quad: np.ndarray, scale: float) -> np.ndarray | None:
    """The corners of a page held up with gently bowed sides round the full-image ``quad`` (see curved_page), or
    None when its visible sides have under CURVED_SHARE of their profiles on their curves (the mean)."""
    found = curved_page(img, quad, scale)
    return None if found is None or found[1] < CURVED_SHARE else found[0]


def _through(p0: np.ndarray, p1: np.ndarray) -> np.ndarray:
    """The line (a, b, c), (a, b) a unit normal, through two points."""
    d = (p1 - p0) / np.linalg.norm(p1 - p0)
    nrm = np.array([-d[1], d[0]])
    return np.append(nrm, -float(nrm @ p0))
