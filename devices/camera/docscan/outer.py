"""Which of several nested page candidates is the paper itself (part of devices.camera.docscan).

A page contains its own printed frames and tables, and a page cut by the frame competes with quads closed by a
line of its text: among near-best candidates the outermost well-supported one whose band round the best one is
paper (not desk) wins.
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import clip_to_frame
from .inner import sheet_on_surface
from .refine import sample_points
from .work import Work as _Work


def prefer_outer(work: _Work, quads: np.ndarray, scores: np.ndarray, solid: np.ndarray, order: np.ndarray,
                 margin: float = 0.12) -> int:
    """The largest near-best quad that encloses the best one (the best itself if none does).

    A page contains its own printed frames and tables, which can score as well as the page outline when a
    finger or shadow weakens one of the page's sides; and when the page runs off the frame, a quad closed
    by a line of text competes with the true outline, whose cut side earns only half credit. The paper
    itself is the outermost of them.
    """
    best = quads[order[0]]
    chosen = order[0]
    for idx in order[1:]:
        if scores[idx] < scores[order[0]] - margin:
            break
        if not solid[idx]:  # only a complete, well-supported outline may take over (not one through fingers)
            continue
        poly = quads[idx].astype(np.float32).reshape(-1, 1, 2)
        if cv2.contourArea(poly) > cv2.contourArea(quads[chosen].astype(np.float32).reshape(-1, 1, 2)) and all(
                cv2.pointPolygonTest(poly, (float(x), float(y)), True) > -2.5 for x, y in best) \
                and _paper_between(work, quads[idx], best) and _paper_at_border(work, quads[idx]) \
                and not sheet_on_surface(work, quads[idx], best):   # a table top round a sheet (docscan.inner)
            chosen = idx
    return int(chosen)


def _paper_colour(work: _Work, quad: np.ndarray) -> np.ndarray | None:
    """Median colour just inside a quad's sides (the page margin), or None if too little is visible."""
    h, w = work.edges.shape
    pts = ((quad + (quad.mean(axis=0) - quad) * 0.08)[:, None]
           + (np.roll(quad, -1, axis=0) - quad)[:, None] * np.linspace(0.2, 0.8, 6)[None, :, None]).reshape(-1, 2)
    inside = (pts[:, 0] >= 0) & (pts[:, 0] <= w - 1) & (pts[:, 1] >= 0) & (pts[:, 1] <= h - 1)
    if inside.sum() < 4:
        return None
    return np.median(sample_points(work.opp, pts[inside]), axis=0)


def _is_paper(vals: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """Samples of the paper's own colour: text and shade lower the luma, but the chroma stays."""
    return (np.linalg.norm(vals[:, 1:] - paper[1:], axis=1) < 18.0) & (vals[:, 0] > 0.5 * paper[0])


def _paper_between(work: _Work, outer: np.ndarray, inner: np.ndarray) -> bool:
    """Is the band between an enclosing quad and the quad it encloses paper (a page's margin round its
    printed frame) rather than desk (a wood-grain line running just outside the page)?"""
    paper = _paper_colour(work, inner)
    if paper is None:
        return False
    h, w = work.edges.shape
    t = np.linspace(0.2, 0.8, 7)[None, :, None]
    so = outer[:, None] + (np.roll(outer, -1, axis=0) - outer)[:, None] * t
    si = inner[:, None] + (np.roll(inner, -1, axis=0) - inner)[:, None] * t
    wide = np.linalg.norm(so - si, axis=2) > 3.0          # where the two outlines really differ
    band = (so * 0.6 + si * 0.4)[wide]
    band = band[(band[:, 0] >= 0) & (band[:, 0] <= w - 1) & (band[:, 1] >= 0) & (band[:, 1] <= h - 1)]
    if len(band) < 3:
        return True
    return bool(_is_paper(sample_points(work.opp, band), paper).mean() >= 0.7)


def _paper_at_border(work: _Work, quad: np.ndarray) -> bool:
    """For a quad cut by the frame: is it paper where it meets the frame (and not desk or fingers)?

    Compares pixels just inside the frame border, within the quad, with the paper colour just inside the
    quad's own sides: the luma may drop (text, shade) but the chroma must stay that of the paper.
    """
    h, w = work.edges.shape
    vis = clip_to_frame(quad, w, h)
    if len(vis) < 3:
        return False
    a, b = vis, np.roll(vis, -1, axis=0)
    on_border = (((np.abs(a[:, 0] + 0.5) < 1) & (np.abs(b[:, 0] + 0.5) < 1))
                 | ((np.abs(a[:, 0] - w + 0.5) < 1) & (np.abs(b[:, 0] - w + 0.5) < 1))
                 | ((np.abs(a[:, 1] + 0.5) < 1) & (np.abs(b[:, 1] + 0.5) < 1))
                 | ((np.abs(a[:, 1] - h + 0.5) < 1) & (np.abs(b[:, 1] - h + 0.5) < 1)))
    if not on_border.any():
        return True
    t = np.linspace(0.15, 0.85, 12)[None, :, None]
    strip = a[on_border][:, None] + (b - a)[on_border][:, None] * t
    strip = np.stack([np.clip(strip[..., 0], 2.5, w - 3.5), np.clip(strip[..., 1], 2.5, h - 3.5)], axis=-1)
    paper = _paper_colour(work, quad)
    if paper is None:
        return False
    vals = sample_points(work.opp, strip.reshape(-1, 2))
    # A pale grey desk has the chroma of white paper too (issue 22, f): there the luma tells them apart. An
    # upper quantile, because text near the border darkens many samples of real paper (not the gaps between).
    return bool(_is_paper(vals, paper).mean() >= 0.7
                and np.percentile(vals[:, 0], 80) >= _BORDER_LUMA * paper[0])


_BORDER_LUMA = 0.88   # bright luma (80th percentile) of paper at the frame border vs its margin's median
