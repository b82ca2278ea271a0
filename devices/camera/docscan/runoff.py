"""A page may run off the frame past a line across it (part of devices.camera.docscan).

A letter running off the frame's bottom (issue 22, render_scene seed 112: a letter on a green cutting mat) shows
a faint line across its lower part (a crease, a band of shade). The quad closed by that line scores best, its
corners past the frame where the line meets the page's sides beyond it; the page's own outline, closed by the frame
border, is near-best and solid. docscan.outer.prefer_outer does not take it: it asks the outer quad to enclose the
best one's corners, and the corner past the frame is outside any quad cut by the frame; and it reads the band
between the two along matching points of their sides, which on a shared side lying on one line sample the page's
edge itself (desk and paper mixed).

Here, only when the chosen quad has a corner past the frame: a near-best, solid, larger quad enclosing the chosen
one's visible part wins when the region between them (points inside the larger quad, off the chosen one) is the
chosen page's paper, as light as it beyond the line (docscan.outer's tests: paper colour, no step down, paper at
the frame border, not a table top round a sheet).
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import clip_to_frame, linspace
from .inner import sheet_on_surface
from .outer import _is_paper, _paper_at_border, _paper_colour, _steps_down
from .refine import sample_points
from .work import Work as _Work

_ENCLOSE = 2.5   # detection pixels the chosen quad's visible corners may lie outside the larger one
_AWAY = 3.0      # detection pixels a region sample must lie off the chosen quad (and inside the larger one)
_GRID = 11       # region samples per direction (bilinear, 8 % to 92 % across the larger quad)
_PAPER = 0.7     # share of region samples of the page's paper colour


def reach_frame(work: _Work, quads: np.ndarray, scores: np.ndarray, solid: np.ndarray, order: np.ndarray,
                chosen: int, margin: float = 0.12) -> int:
    """The chosen outline, or the largest near-best solid quad round its visible part whose extra region is the
    same paper, when the chosen outline has a corner past the frame."""
    h, w = work.edges.shape
    best = quads[chosen]
    if ((best[:, 0] >= -0.5) & (best[:, 0] <= w - 0.5) & (best[:, 1] >= -0.5) & (best[:, 1] <= h - 0.5)).all():
        return int(chosen)
    vis = clip_to_frame(best, w, h)
    if len(vis) < 3:
        return int(chosen)
    area = cv2.contourArea(vis.astype(np.float32).reshape(-1, 1, 2))
    near = [int(i) for i in order if scores[i] >= scores[order[0]] - margin and solid[i] and i != chosen]
    found, found_area = int(chosen), area
    for idx in near:
        q = quads[idx]
        poly = q.astype(np.float32).reshape(-1, 1, 2)
        a = cv2.contourArea(clip_to_frame(q, w, h).astype(np.float32).reshape(-1, 1, 2))
        if a <= found_area or any(cv2.pointPolygonTest(poly, (float(x), float(y)), True) < -_ENCLOSE for x, y in vis):
            continue
        if _same_paper(work, q, best) and _paper_at_border(work, q) and not sheet_on_surface(work, q, best):
            found, found_area = idx, a
    return found


def _same_paper(work: _Work, outer: np.ndarray, inner: np.ndarray) -> bool:
    """Is the region inside ``outer`` and off ``inner`` the paper just inside ``inner``, with no step down?"""
    paper = _paper_colour(work, inner)
    if paper is None:
        return False
    h, w = work.edges.shape
    u = linspace(0.08, 0.92, _GRID)
    uu, vv = [g.ravel()[:, None] for g in np.meshgrid(u, u)]
    tl, tr, br, bl = outer
    pts = tl * (1 - uu) * (1 - vv) + tr * uu * (1 - vv) + br * uu * vv + bl * (1 - uu) * vv
    pts = pts[(pts[:, 0] >= 0) & (pts[:, 0] <= w - 1) & (pts[:, 1] >= 0) & (pts[:, 1] <= h - 1)]
    po = outer.astype(np.float32).reshape(-1, 1, 2)
    pi = inner.astype(np.float32).reshape(-1, 1, 2)
    keep = [cv2.pointPolygonTest(pi, (float(x), float(y)), True) < -_AWAY
            and cv2.pointPolygonTest(po, (float(x), float(y)), True) > _AWAY for x, y in pts]
    band = pts[np.array(keep, bool)] if len(pts) else pts
    if len(band) < 3:
        return False
    return bool(_is_paper(sample_points(work.opp, band), paper).mean() >= _PAPER) and not _steps_down(work, inner, band)
