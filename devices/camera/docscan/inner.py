"""A sheet lying on a pale table top whose own edges are in view (part of devices.camera.docscan).

A pale table bounded by long straight edges against a darker floor scores as a page, as well as or better than
the sheet lying on it (issue 22, e: the outline took the table with full confidence). When a well-supported
quad lies inside the chosen one, the band round it is the chosen quad's own surface (what lies just inside its
sides), and its inside steps away from that band all round (brighter, or a little darker: paper on a table a
shade lighter than it), the inner quad is the sheet and the outer one the surface it lies on. A printed frame
inside a page does not pass: inside and outside the rule are the same paper, so there is no step.
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import NEXT_CORNER, linspace, median, vnorm
from .refine import sample_points
from .work import Work as _Work

_INSET = -2.5          # detection pixels: the inner quad lies inside the outer (it may share a side with it)
_MAX_AREA = 0.8        # and cover less than this fraction of its area (else it is the same outline)
_STEP = 4.0            # grey levels between a sheet's inside and the table round it, on three sides or more
_SURFACE_LUMA = 14.0   # the band must be the outer surface: luma within this of it ...
_SURFACE_CHROMA = 10.0 # ... and chroma within this
_EVEN = 10.0           # grey levels the paper just inside a sheet's side may vary over two probe depths
_PROBE = 3.0           # detection pixels from an inner side to the inside and outside samples


def prefer_inner(work: _Work, quads: np.ndarray, scores: np.ndarray, solid: np.ndarray, chosen: int,
                 min_score: float) -> int:
    """The best-scoring well-supported page candidate lying on the chosen quad's surface (``chosen`` if none)."""
    outer = quads[chosen]
    o_poly = outer.astype(np.float32).reshape(-1, 1, 2)
    o_area = cv2.contourArea(o_poly)
    best, best_score = chosen, -1.0
    for idx in np.flatnonzero(solid & (scores >= min_score)):
        q = quads[idx]
        area = cv2.contourArea(q.astype(np.float32).reshape(-1, 1, 2))
        if idx == chosen or area >= _MAX_AREA * o_area or scores[idx] <= best_score:
            continue
        if not all(cv2.pointPolygonTest(o_poly, (float(x), float(y)), True) > _INSET for x, y in q):
            continue
        if sheet_on_surface(work, outer, q):
            best, best_score = int(idx), float(scores[idx])
    return best


def _surface(work: _Work, quad: np.ndarray) -> np.ndarray | None:
    """Median colour just inside a quad's sides (its own surface), or None if too little of it is in view."""
    h, w = work.edges.shape
    pts = ((quad + (quad.mean(axis=0) - quad) * 0.06)[:, None]
           + (quad[NEXT_CORNER] - quad)[:, None] * linspace(0.15, 0.85, 8)[None, :, None]).reshape(-1, 2)
    seen = (pts[:, 0] >= 0) & (pts[:, 0] <= w - 1) & (pts[:, 1] >= 0) & (pts[:, 1] <= h - 1)
    if seen.sum() < 8:
        return None
    return median(sample_points(work.opp, pts[seen]), axis=0)


def sheet_on_surface(work: _Work, outer: np.ndarray, inner: np.ndarray) -> bool:
    """Is ``inner`` a sheet lying on the surface that ``outer`` outlines?

    Just outside each inner side (the band between the two outlines) the colour must be the outer quad's own
    surface, and just inside it the luma must step away from that band by at least _STEP grey levels, the same
    way on three sides or more (paper is one colour; the 75th percentile, so ink does not count). Both the band
    and the inside must be even over two probe depths, which a printed frame's rules are not."""
    surface = _surface(work, outer)
    if surface is None:
        return False
    h, w = work.edges.shape
    nxt = inner[NEXT_CORNER]
    d = nxt - inner
    normal = np.stack([d[:, 1], -d[:, 0]], axis=1) / np.maximum(vnorm(d, axis=1, keepdims=True), 1e-6)
    mid = (inner + nxt) / 2
    normal *= np.sign(((mid - inner.mean(axis=0)) * normal).sum(axis=1, keepdims=True))     # outward
    pts = inner[:, None] + d[:, None] * linspace(0.15, 0.85, 9)[None, :, None]           # (4, 9, 2)
    out_pts = pts + normal[:, None] * _PROBE
    seen = ((out_pts[..., 0] >= 0) & (out_pts[..., 0] <= w - 1) & (out_pts[..., 1] >= 0)
            & (out_pts[..., 1] <= h - 1))
    # Two depths on each side: a sheet's paper and the table are even for a while on either side of the edge;
    # a printed frame's coloured or double rule is not (one depth lands on the rule, the other on paper).
    outside, outside2, inside, inside2 = (
        sample_points(work.opp, (pts + normal[:, None] * k * _PROBE).reshape(-1, 2)).reshape(4, 9, -1)
        for k in (1.0, 2.0, -1.0, -1.5))
    like = seen.copy()
    for band in (outside, outside2):
        like &= ((np.abs(band[..., 0] - surface[0]) < _SURFACE_LUMA)
                 & (vnorm(band[..., 1:] - surface[1:], axis=2) < _SURFACE_CHROMA))
    if like.sum() < 0.7 * max(seen.sum(), 1) or seen.sum() < 18:
        return False
    steps = []
    for k in range(4):
        if seen[k].sum() < 5:
            continue
        lum_in = np.percentile(inside[k, seen[k], 0], 75)
        if abs(lum_in - np.percentile(inside2[k, seen[k], 0], 75)) >= _EVEN:
            return False   # not even just inside the side: a printed rule, not a sheet's margin
        steps.append(lum_in - np.percentile(outside[k, seen[k], 0], 75))
    steps = np.array(steps)
    if len(steps) < 3:
        return False
    # The same way round on at least three sides; the fourth may be the sheet's shadow side, where the band
    # just outside is darker than the table (so a sheet darker than its table shows no step there), but never
    # a clear step the other way.
    sign = 1.0 if median(steps) >= 0 else -1.0
    return bool((sign * steps >= _STEP).sum() >= 3 and (sign * steps > -_STEP).all())
