"""A book's page block taken for part of its cover (part of devices.camera.docscan; issue 22 item 1, round 27).

A paperback or a hardback lying on a desk, seen at an angle, shows past one or two of its cover's sides the edge of
its page block: a band of plain paper (cream, white or grey, no print) between the cover's side and the desk. The
band is lighter than a dark desk and steps clearly against it, so the outline chosen runs along the page block's far
edge and takes the band in with the cover (Justinyu1618 test1.jpg: the cyan paperback's right side; mdmamunhasan
cv_desk.png: the hardback's near end).

What a person sees: the cover is one thing, the band along its side another: plain paper, of one near-neutral colour
all along, narrow, and not the cover's colour. So, only when the inside of the outline is a cover (its median colour
coloured, _COLOURED, or dark, _DARK: the margin of a paper page is its own paper, never cut off), for each side:
profiles across it from the side inward; every straight line inside, within _MAX_BAND of the outline's depth across
that side, where the colour steps (_STEP) on _SHARE of the profiles, with the band between it and the side plain on
_FLAT_SHARE of them (the band's colour may drift with shading but not wiggle with print: its path in colour less its
start-to-end distance under _FLAT), of one colour along the side (_ONE), near-neutral (_NEUTRAL) and _APART from the
inside's median colour. A camera sees at most two faces of a page block and those meet, so bands on one side or on
two adjacent sides only (a photo print's white border all round is no block); and the band must be _APART from the
cover's own colour just inside every other side (a dark cover with a plain strip of its own colour under a light
picture is no block). Each such side moves in onto its line; the corners are its meetings with the neighbouring
sides. Asked once per frame, on the outline chosen (docscan.detect's last step, and docscan.book's hardback).
"""
from __future__ import annotations

import numpy as np

from .geom import linspace, median, vnorm
from .refine import sample_points

_N = 24               # profiles along a side (10 % to 90 % of its length)
_MIN_BAND = 2.5       # detection pixels: the narrowest band taken (narrower: the side's own blur)
_MAX_BAND = 0.16      # of the outline's depth across the side: the widest band taken
_STEP = 18.0          # opponent distance between the band and the cover just inside the line
_SHARE = 0.75         # share of profiles that step there
_FLAT = 10.0          # the band's wiggle on a profile at most: its colour path less its start-to-end distance
_FLAT_SHARE = 0.85    # share of profiles whose band must be so flat, or near the band's median
_ONE = 20.0           # opponent distance each profile's band median may lie from the band's median
_NEUTRAL = 45.0       # chroma norm of a page block's paper at most
_RIM = 4.0            # detection pixels inside a side where the cover's own colour is read
_COLOURED = 40.0      # chroma norm of the inside's median colour: a coloured cover
_DARK = 80.0          # or its luma under this: a dark cover
_APART = 20.0         # opponent distance of the band's colour from the inside's median colour at least


def _inside_colour(opp: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The median colour of a 9x9 grid inside the quad (10 % to 90 % across)."""
    u = linspace(0.1, 0.9, 9)
    uu, vv = [g.ravel() for g in np.meshgrid(u, u)]
    tl, tr, br, bl = quad
    pts = (tl[None] * ((1 - uu) * (1 - vv))[:, None] + tr[None] * (uu * (1 - vv))[:, None]
           + br[None] * (uu * vv)[:, None] + bl[None] * ((1 - uu) * vv)[:, None])
    return median(sample_points(opp, pts), axis=0)


def _rim_colour(opp: np.ndarray, quad: np.ndarray, k: int) -> np.ndarray:
    """The median colour just inside side k (_RIM detection px in, 10 % to 90 % of its length)."""
    a, b = quad[k], quad[(k + 1) % 4]
    centre = quad.mean(axis=0)
    ts = linspace(0.1, 0.9, _N)[:, None]
    pts = a + ts * (b - a)
    pts = pts + _RIM * (centre - pts) / np.maximum(vnorm(centre - pts, axis=1, keepdims=True), 1e-6)
    return median(sample_points(opp, pts), axis=0)


def _meet(p1: np.ndarray, d1: np.ndarray, p2: np.ndarray, d2: np.ndarray) -> np.ndarray | None:
    m = np.array([d1, -d2]).T
    if abs(np.linalg.det(m)) < 1e-6:
        return None
    s = np.linalg.solve(m, p2 - p1)
    return p1 + s[0] * d1


def _band_line(opp: np.ndarray, quad: np.ndarray, k: int, inside: np.ndarray
               ) -> tuple[float, float, np.ndarray] | None:
    """The depths (at the side's two ends, detection px inward) of the page block's near edge along side k and the
    band's median colour, or None."""
    a, b = quad[k], quad[(k + 1) % 4]
    along = b - a
    length = float(np.linalg.norm(along))
    if length < 10:
        return None
    t_hat = along / length
    normal = np.array([-t_hat[1], t_hat[0]])
    centre = quad.mean(axis=0)
    if np.dot(centre - (a + b) / 2, normal) < 0:
        normal = -normal
    depth = float(np.dot(centre - (a + b) / 2, normal)) * 2.0
    max_d = _MAX_BAND * depth
    if max_d < _MIN_BAND + 3:
        return None
    ts = linspace(0.1, 0.9, _N)
    ds = 0.5 * np.arange(int(2 * max_d) + 18)                               # half-pixel steps inward
    pts = a[None, None] + ts[:, None, None] * along[None, None] + ds[None, :, None] * normal[None, None]
    prof = sample_points(opp, pts).astype(np.float64)                     # (N, D, 3)
    cs = np.concatenate([np.zeros((_N, 1, 3)), np.cumsum(prof, axis=1)], axis=1)
    # plain paper: along each profile the band's colour may drift (shading) but not wiggle (print): its path length
    # in colour, less the straight distance from its start to its end
    tv = np.concatenate([np.zeros((_N, 1)), np.cumsum(vnorm(np.diff(prof, axis=1), axis=2), axis=1)], axis=1)
    i = np.arange(int(2 * _MIN_BAND) + 1, int(2 * max_d) + 1)                 # the line's index on a profile
    lo, hi = 3, i - 1                                                     # band: from 1.5 px in to the line
    n = (hi - lo)[None, :, None]
    band = (cs[:, hi] - cs[:, lo][:, None]) / n                           # (N, I, 3) band's mean colour
    spread = (tv[:, hi - 1] - tv[:, lo][:, None]) - vnorm(prof[:, hi - 1] - prof[:, lo][:, None], axis=2)
    cover = (cs[:, i + 16] - cs[:, i + 4]) / 12.0                         # 2 to 8 px past the line
    step = vnorm(cover - band, axis=2)                           # (N, I)
    good = (step >= _STEP) & (spread < _FLAT)
    if good.any(axis=1).mean() < _SHARE:   # most profiles show no plain band ending in a step anywhere: no line can
        return None
    # every straight line (1 px steps): its index on each profile, from its depths at the two ends
    d0, d1 = np.meshgrid(i[::2], i[::2], indexing="ij")
    d0, d1 = d0.ravel(), d1.ravel()
    idx = np.round(d0[:, None] + (d1 - d0)[:, None] * ((ts - ts[0]) / (ts[-1] - ts[0]))[None]).astype(int) - i[0]
    rows = np.arange(_N)[None, :]
    st, sp, bm = step[rows, idx], spread[rows, idx], band[rows, idx]      # (L, N), (L, N), (L, N, 3)
    share = (st >= _STEP).mean(axis=1)
    flat = (sp < _FLAT).mean(axis=1)
    med = median(bm, axis=1)                                           # (L, 3)
    one = (vnorm(bm - med[:, None], axis=2) < _ONE).mean(axis=1)
    neutral = vnorm(med[:, 1:], axis=1) <= _NEUTRAL
    apart = vnorm(med - inside[None], axis=1) >= _APART
    ok = (share >= _SHARE) & (flat >= _FLAT_SHARE) & (one >= _FLAT_SHARE) & neutral & apart
    if not ok.any():
        return None
    score = np.where(ok, share * median(st, axis=1), -1.0)
    j = int(np.argmax(score))
    # depths at the side's two ends (t = 0.1 and 0.9 of its length)
    return d0[j] / 2.0, d1[j] / 2.0, med[j]


def near_edge(opp: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """The outline (detection px, TL TR BR BL) with each side that runs along a page block's far edge moved in onto
    its near edge (the cover's own side), or None when no side does."""
    quad = np.asarray(quad, np.float64)
    inside = _inside_colour(opp, quad)
    if np.linalg.norm(inside[1:]) < _COLOURED and inside[0] > _DARK:   # a paper page (its margin is its own paper)
        return None
    lines = [(quad[k], quad[(k + 1) % 4] - quad[k]) for k in range(4)]
    centre = quad.mean(axis=0)
    found = [_band_line(opp, quad, k, inside) for k in range(4)]
    sides = [k for k in range(4) if found[k] is not None]
    # A camera sees at most two faces of a page block, and those meet: bands along two opposite sides, or three or
    # four (a photo print's white border, a page's margin round a picture), are no page block.
    if not sides or len(sides) > 2 or (len(sides) == 2 and (sides[1] - sides[0]) % 2 == 0):
        return None
    # The block is not the cover: its colour is unlike the cover's just inside every other side (a dark cover whose
    # light picture block raises the inside's median has its own colour in a plain band along its bottom too).
    rims = [_rim_colour(opp, quad, k) for k in range(4) if k not in sides]
    if any(np.linalg.norm(r - found[k][2]) < _APART for r in rims for k in sides):
        return None
    for k in sides:
        a, b = quad[k], quad[(k + 1) % 4]
        t_hat = (b - a) / np.linalg.norm(b - a)
        normal = np.array([-t_hat[1], t_hat[0]])
        if np.dot(centre - (a + b) / 2, normal) < 0:
            normal = -normal
        p0 = a + 0.1 * (b - a) + found[k][0] * normal
        p1 = a + 0.9 * (b - a) + found[k][1] * normal
        lines[k] = (p0, p1 - p0)
    out = []
    for k in range(4):
        p = _meet(*lines[(k - 1) % 4], *lines[k])
        if p is None:
            return None
        out.append(p)
    return np.array(out)
