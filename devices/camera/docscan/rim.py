"""A plain page a shade darker than a plain desk, seen by its rim (part of devices.camera.docscan; issue 22 item 1,
round 18).

A grey or grey-blue sheet lying on a paler desk (in the shade of the camera arm, a recycled sheet; rendered `tinted`
seed 14) steps down only 7-8 opponent luma levels and 4-7 chroma units from the desk: about 9-10 in all, at or just
under the page score's STEP_MIN of 10, so its sides have almost no support at the detection scale, and its chroma
lies under docscan.tinted's floor. What shows all round at full resolution is its edge: a 1-2 px line 15-25 levels
darker than both the page and the desk (the sheet's cut edge, or its thin shadow).

So, only when nothing else found a page: the region _MIN_DROP luma levels darker than the desk's border ring (Otsu's
threshold would split print from paper) gives hull quads, snapped onto the luma step (docscan.faint's snap); each side is then
read at full resolution along _N profiles: on each, the darkest point within _REACH detection px of the side must dip
_RIM levels below both the page and the desk, with the desk _MIN_LIFT to _MAX_LIFT levels lighter than the page. A
side needs _MIN_SUPPORT of its profiles so; the rim points of each side are fitted by a line (the median residual
drops outliers) and the corners are the lines' intersections. A shadow has a soft edge and no rim; a seam in the desk
is a dark line with the same desk on both sides; neither closes four such sides round a paper-like inside.
"""
from __future__ import annotations

from typing import Callable

import cv2
import numpy as np

from .faint import _snap
from .geom import MIN_AREA_FRAC, linspace, median, plausible_quads, vnorm
from .hulls import _hull_candidates
from .refine import NEXT_CORNER, sample_points, to_opponent
from .work import Work as _Work

_RING = 3            # detection pixels of the frame's border ring taken as the desk
_MIN_DROP = 4.0      # luma levels below the desk's ring a pixel is taken as darker (seed 14: about 8)
_MAX_QUADS = 4       # hull quads looked at, largest first
_N = 32              # profiles across each side
_REACH = 2.0         # detection px either side of the coarse side searched for the rim
_RIM = 8.0           # levels the rim dips below both the page and the desk (seed 14: 15-25; seed 129: 6-9, left)
_MIN_LIFT = 3.0      # the desk is lighter than the page by this much ...
_MAX_LIFT = 40.0     # ... and by at most this (a darker thing is not a page lying in shade)
_MIN_SUPPORT = 0.6   # fraction of a side's profiles showing the rim


def rim_page(img: np.ndarray, work: _Work, paper: Callable[[np.ndarray], np.ndarray]) -> np.ndarray | None:
    """The full-image quad (corners in hull order) of a page darker than its desk seen by its rim, or None.
    ``paper``: whether small-image quads (ordered) have a paper-like inside (evidence.paper_inside)."""
    lum = work.opp[..., 0]
    h, w = lum.shape
    drop = _desk_light(lum) - lum
    mask = (drop > _MIN_DROP).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    hulls: list[np.ndarray] = []
    _hull_candidates(mask, MIN_AREA_FRAC * h * w, hulls)
    if not hulls:
        return None
    quads = np.array(hulls).reshape(-1, 4, 2).astype(np.float64)
    quads = quads[plausible_quads(quads, (h, w))]
    if len(quads) == 0:
        return None
    x, y = quads[..., 0], quads[..., 1]
    area = 0.5 * np.abs((x * y[:, NEXT_CORNER] - y * x[:, NEXT_CORNER]).sum(axis=1))
    quads = quads[np.argsort(-area)[:_MAX_QUADS]]
    dmap = np.repeat(drop[..., None], 3, axis=2)
    quads = _snap(dmap, _snap(dmap, quads))
    for q in quads:
        if not _in_frame(q, (h, w)) or not paper(_ordered(q)[None])[0]:
            continue
        full = _rim_fit(img, (q + 0.5) / work.scale - 0.5, _REACH / work.scale)
        if full is not None:
            return full
    return None


def _desk_light(lum: np.ndarray) -> np.ndarray:
    """The desk's luma everywhere: a quadratic surface fitted to the frame's border ring (the lamp's fall-off and
    the lens's vignetting are smooth), twice, the second time without the ring pixels far off the first fit."""
    ys, xs, a, grid = _surface_terms(lum.shape)
    v = lum[ys, xs].astype(np.float64)
    keep = np.ones(len(v), bool)
    for _ in range(2):
        coef = np.linalg.lstsq(a[keep], v[keep], rcond=None)[0]
        res = np.abs(a @ coef - v)
        keep = res <= max(3.0, 3.0 * median(res))
    return (grid @ coef).astype(np.float32)


_TERMS: dict[tuple[int, int], tuple[np.ndarray, ...]] = {}


def _surface_terms(shape: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """The border ring's pixels (ys, xs) and the quadratic surface's terms there and at every pixel, for a frame
    of ``shape``: the same for every frame of that size, so made once (read only)."""
    if shape not in _TERMS:
        h, w = shape
        ring = np.zeros((h, w), bool)
        ring[:_RING], ring[-_RING:], ring[:, :_RING], ring[:, -_RING:] = True, True, True, True
        ys, xs = np.nonzero(ring)
        yy, xx = np.mgrid[0:h, 0:w]

        def terms(x, y):
            x, y = x / w - 0.5, y / h - 0.5
            return np.stack([np.ones_like(x), x, y, x * x, y * y, x * y], axis=-1)
        made = (ys, xs, terms(xs.astype(np.float64), ys.astype(np.float64)),
                terms(xx.astype(np.float64), yy.astype(np.float64)))
        for arr in made:
            arr.flags.writeable = False
        if len(_TERMS) >= 4:
            _TERMS.clear()
        _TERMS[shape] = made
    return _TERMS[shape]


def _in_frame(q: np.ndarray, shape: tuple[int, int]) -> bool:
    h, w = shape
    return bool((q[:, 0] > 1).all() and (q[:, 0] < w - 2).all() and (q[:, 1] > 1).all() and (q[:, 1] < h - 2).all())


def _ordered(q: np.ndarray) -> np.ndarray:
    c = q.mean(axis=0)
    return q[np.argsort(np.arctan2(q[:, 1] - c[1], q[:, 0] - c[0]))]


def _rim_fit(img: np.ndarray, quad: np.ndarray, reach: float) -> np.ndarray | None:
    """``quad`` (full image) moved onto its rim line on every side, or None when a side shows no rim."""
    a, b = quad, quad[NEXT_CORNER]
    d = b - a
    length = np.maximum(vnorm(d, axis=1, keepdims=True), 1e-6)
    normal = np.stack([d[:, 1], -d[:, 0]], axis=1) / length
    normal *= np.sign(((a + d / 2 - quad.mean(axis=0)) * normal).sum(axis=1, keepdims=True))   # outwards
    t = linspace(0.12, 0.88, _N)
    base = a[:, None] + d[:, None] * t[None, :, None]                                          # (4, N, 2)
    r = int(np.ceil(reach))
    side = max(3, r // 2)
    offs = np.arange(-r - 2 * side, r + 2 * side + 1, dtype=np.float64)
    pts = base[:, :, None] + normal[:, None, None] * offs[None, None, :, None]
    hh, ww = img.shape[:2]
    seen = ((pts[..., 0] >= 0) & (pts[..., 0] <= ww - 1) & (pts[..., 1] >= 0) & (pts[..., 1] <= hh - 1)).all(axis=2)
    prof = to_opponent(sample_points(img, pts))[..., 0]                                       # (4, N, n_off)
    mid = slice(2 * side, 2 * side + 2 * r + 1)
    k = np.argmin(prof[..., mid], axis=2) + 2 * side                                          # rim index
    idx = np.arange(len(offs))
    rel = idx[None, None, :] - k[..., None]
    inner = np.where((rel <= -2) & (rel >= -1 - side), prof, np.nan)
    outer = np.where((rel >= 2) & (rel <= 1 + side), prof, np.nan)
    vin, vout = np.nanmedian(inner, axis=2), np.nanmedian(outer, axis=2)
    vrim = np.take_along_axis(prof, k[..., None], axis=2)[..., 0]
    lift = vout - vin
    ok = (np.minimum(vin, vout) - vrim > _RIM) & (lift > _MIN_LIFT) & (lift < _MAX_LIFT) & seen
    if (ok.mean(axis=1) < _MIN_SUPPORT).any():
        return None
    rims = base + normal[:, None] * offs[k][..., None]
    lines = []
    for s in range(4):
        p = rims[s][ok[s]]
        for _ in range(2):   # a line through the rim points; points far off it (a finger, print) dropped
            c = p.mean(axis=0)
            u = np.linalg.svd(p - c)[2][0]
            res = np.abs((p - c) @ np.array([-u[1], u[0]]))
            keep = res <= max(1.5, 2.5 * median(res))
            if keep.sum() < 4:
                return None
            p = p[keep]
        c = p.mean(axis=0)
        u = np.linalg.svd(p - c)[2][0]
        lines.append(np.cross([*c, 1.0], [*(c + u), 1.0]))
    corners = []
    for s in range(4):
        x = np.cross(lines[s - 1], lines[s])
        if abs(x[2]) < 1e-9:
            return None
        corners.append(x[:2] / x[2])
    out = np.array(corners)
    return out if np.abs(out - quad).max() < 3 * reach else None
