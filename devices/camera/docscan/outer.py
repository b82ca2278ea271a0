"""Which of several nested page candidates is the paper itself (part of devices.camera.docscan).

A page contains its own printed frames and tables, and a page cut by the frame competes with quads closed by a
line of its text: among near-best candidates the outermost well-supported one whose band round the best one is
paper (not desk) wins.
"""
from __future__ import annotations

import cv2
import numpy as np

from .geom import NEXT_CORNER, clip_to_frame, linspace, median, vnorm
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
           + (quad[NEXT_CORNER] - quad)[:, None] * linspace(0.2, 0.8, 6)[None, :, None]).reshape(-1, 2)
    inside = (pts[:, 0] >= 0) & (pts[:, 0] <= w - 1) & (pts[:, 1] >= 0) & (pts[:, 1] <= h - 1)
    if inside.sum() < 4:
        return None
    return median(sample_points(work.opp, pts[inside]), axis=0)


def _is_paper(vals: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """Samples of the paper's own colour: text and shade lower the luma, but the chroma stays."""
    return (vnorm(vals[:, 1:] - paper[1:], axis=1) < 18.0) & (vals[:, 0] > 0.5 * paper[0])


def _paper_between(work: _Work, outer: np.ndarray, inner: np.ndarray) -> bool:
    """Is the band between an enclosing quad and the quad it encloses paper (a page's margin round its
    printed frame) rather than desk (a wood-grain line running just outside the page)?"""
    paper = _paper_colour(work, inner)
    if paper is None:
        return False
    h, w = work.edges.shape
    t = linspace(0.2, 0.8, 7)[None, :, None]
    so = outer[:, None] + (outer[NEXT_CORNER] - outer)[:, None] * t
    si = inner[:, None] + (inner[NEXT_CORNER] - inner)[:, None] * t
    wide = vnorm(so - si, axis=2) > 3.0          # where the two outlines really differ
    band = (so * 0.6 + si * 0.4)[wide]
    band = band[(band[:, 0] >= 0) & (band[:, 0] <= w - 1) & (band[:, 1] >= 0) & (band[:, 1] <= h - 1)]
    if len(band) < 3:
        return True
    return bool(_is_paper(sample_points(work.opp, band), paper).mean() >= 0.7) and not _steps_down(work, inner, band)


def _steps_down(work: _Work, inner: np.ndarray, band: np.ndarray) -> bool:
    """Does the inner quad's own side step down from its paper to the band beyond it (a grey plastic bag or a
    desk of the paper's chroma, whose crease or edge closes the larger quad), where a page's margin round its
    printed frame, or the paper beyond a line of text, is as light as the paper just inside that line?"""
    poly = inner.astype(np.float32).reshape(-1, 1, 2)
    dist = np.array([cv2.pointPolygonTest(poly, (float(x), float(y)), True) for x, y in band])
    out = band[dist < -_BAND_OUT]
    if len(out) < 3:
        return False
    # the nearest point of the inner quad's outline to each band sample, then a few pixels further in
    c = inner.mean(axis=0)
    a, b = inner, inner[NEXT_CORNER]
    ab = b - a
    t = np.clip(np.einsum('kij,ij->ki', out[:, None] - a[None], ab) / np.einsum('ij,ij->i', ab, ab)[None], 0, 1)
    near = a[None] + t[..., None] * ab[None]
    k = np.argmin(vnorm(out[:, None] - near, axis=2), axis=1)
    foot = near[np.arange(len(out)), k]
    step = (c - foot) / np.maximum(vnorm(c - foot, axis=1, keepdims=True), 1e-6)
    inside = foot + step * _BAND_IN
    lum_in = sample_points(work.opp, inside)[:, 0]
    lum_out = sample_points(work.opp, out)[:, 0]
    if _DEBUG:
        print('steps_down', np.round(lum_in).tolist(), np.round(lum_out).tolist())
    # An upper quantile of the band: print on a page's margin darkens some samples, not the gaps between them
    return bool(np.percentile(lum_out, 80) < _BAND_LUMA * median(lum_in))


_DEBUG = False
_BAND_OUT = 3.0     # detection pixels a band sample must lie outside the inner quad to be judged
_BAND_IN = 2.5      # detection pixels inside the inner quad's side where its paper is read
_BAND_LUMA = 0.8    # bright luma (80th percentile) of the band vs that paper's median (a bag: 0.68-0.71)


def _paper_at_border(work: _Work, quad: np.ndarray) -> bool:
    """For a quad cut by the frame: is it paper where it meets the frame (and not desk or fingers)?

    Compares pixels just inside the frame border, within the quad, with the paper colour just inside the
    quad's own sides: the luma may drop (text, shade) but the chroma must stay that of the paper.
    """
    h, w = work.edges.shape
    vis = clip_to_frame(quad, w, h)
    if len(vis) < 3:
        return False
    a, b = vis, np.roll(vis, -1, axis=0)   # a polygon: the quad clipped to the frame
    on_border = (((np.abs(a[:, 0] + 0.5) < 1) & (np.abs(b[:, 0] + 0.5) < 1))
                 | ((np.abs(a[:, 0] - w + 0.5) < 1) & (np.abs(b[:, 0] - w + 0.5) < 1))
                 | ((np.abs(a[:, 1] + 0.5) < 1) & (np.abs(b[:, 1] + 0.5) < 1))
                 | ((np.abs(a[:, 1] - h + 0.5) < 1) & (np.abs(b[:, 1] - h + 0.5) < 1)))
    if not on_border.any():
        return True
    t = linspace(0.15, 0.85, 12)[None, :, None]
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


def drop_shadow_band(work: _Work, quads: np.ndarray, scores: np.ndarray, solid: np.ndarray, order: np.ndarray,
                     chosen: int, margin: float = 0.12) -> int:
    """The chosen outline, or a near-best one just inside it when the band between the two is a cast shadow.

    A book, a card or a thick booklet casts a dark shadow along one or two sides on a matt desk (issue 22 item
    1, a hardback on a red blanket): paper, then a band darker than both the paper and the desk, then the desk.
    Both the cover's own edge and the shadow's outer edge step all along, and the larger quad wins on size
    (and docscan.outer.prefer_outer). The band between them is no part of the page when it is darker than the
    page's margin by _SHADOW_PAPER and than the desk just beyond it by _SHADOW_DESK grey levels (a table top
    round a sheet, or a page margin round a printed frame, is not). Only looked for when the chosen outline
    has such a dark band just inside a side (one sample per side: nearly free on every other page)."""
    outer = quads[chosen]
    if not _dark_inside_a_side(work, outer):
        return int(chosen)
    near = order[scores[order] >= scores[order[0]] - margin]
    near = near[solid[near] & (near != chosen)]
    if len(near) == 0:
        return int(chosen)
    x, y = quads[near, :, 0], quads[near, :, 1]
    areas = 0.5 * np.abs((x * y[:, NEXT_CORNER] - y * x[:, NEXT_CORNER]).sum(axis=1))
    area = cv2.contourArea(outer.astype(np.float32).reshape(-1, 1, 2))
    # Corners inside the outer outline (within 2.5 px of it): signed distances to its sides' lines.
    a, b = outer, outer[NEXT_CORNER]
    d = b - a
    nrm = np.stack([d[:, 1], -d[:, 0]], axis=1) / np.maximum(vnorm(d, axis=1), 1e-9)[:, None]   # outward
    dist = np.einsum("nkc,sc->nks", quads[near], nrm) - (nrm * a).sum(axis=1)[None, None, :]
    inside = (dist <= 2.5).all(axis=(1, 2))
    keep = inside & (areas >= _SHADOW_MIN_AREA * area) & (areas < area)
    for idx in near[keep][np.argsort(-areas[keep])][:_SHADOW_TRIES]:
        if _shadow_between(work, outer, quads[idx]):
            return int(idx)
    return int(chosen)


def _dark_inside_a_side(work: _Work, quad: np.ndarray) -> bool:
    """Whether, along some side, the band 3 detection pixels inside ``quad`` is darker than its margin by
    _SHADOW_PAPER (a cast shadow taken into the outline) over most of the side."""
    paper = _paper_colour(work, quad)
    if paper is None:
        return False
    h, w = work.edges.shape
    centre = quad.mean(axis=0)
    t = linspace(0.2, 0.8, 5)[None, :, None]
    pts = quad[:, None] + (quad[NEXT_CORNER] - quad)[:, None] * t
    inward = (centre - pts) / np.maximum(vnorm(centre - pts, axis=2, keepdims=True), 1e-6)
    pts = (pts + inward * 3.0).reshape(-1, 2)
    pts = np.stack([np.clip(pts[:, 0], 0, w - 1), np.clip(pts[:, 1], 0, h - 1)], axis=1)
    luma = sample_points(work.opp, pts)[:, 0].reshape(4, -1)
    return bool((median(luma, axis=1) < paper[0] - _SHADOW_PAPER).any())


def _shadow_between(work: _Work, outer: np.ndarray, inner: np.ndarray) -> bool:
    """Is the band between ``outer`` and the ``inner`` quad it encloses darker than both the paper just inside
    ``inner`` and the desk just outside ``outer``, where the two outlines differ?"""
    paper = _paper_colour(work, inner)
    if paper is None:
        return False
    h, w = work.edges.shape
    t = linspace(0.15, 0.85, 8)[None, :, None]
    so = outer[:, None] + (outer[NEXT_CORNER] - outer)[:, None] * t
    si = inner[:, None] + (inner[NEXT_CORNER] - inner)[:, None] * t
    gap = vnorm(so - si, axis=2)
    # The sides that moved in all along (a side that only ends at a moved corner is the same line).
    wide = np.broadcast_to((gap.min(axis=1) > 1.5)[:, None], gap.shape)
    if not wide.any():
        return False
    centre = outer.mean(axis=0)
    away = (so - centre) / np.maximum(vnorm(so - centre, axis=2, keepdims=True), 1e-6)
    band = ((so + si) * 0.5)[wide]
    desk = (so + away * 2.0)[wide]
    pts = np.concatenate([band, desk])
    seen = (pts[:, 0] >= 0) & (pts[:, 0] <= w - 1) & (pts[:, 1] >= 0) & (pts[:, 1] <= h - 1)
    if not seen.all():
        return False
    vals = sample_points(work.opp, pts)[:, 0]
    band_l, desk_l = vals[:len(band)], vals[len(band):]
    return bool(median(band_l) < paper[0] - _SHADOW_PAPER and median(desk_l - band_l) > _SHADOW_DESK)


_SHADOW_MIN_AREA = 0.8   # a cast shadow is a narrow band: the inner outline keeps most of the area
_SHADOW_PAPER = 60.0     # grey levels the band is darker than the page's margin
_SHADOW_DESK = 12.0      # and than the desk just beyond it
_SHADOW_TRIES = 12       # enclosed near-best outlines checked, largest first (only behind a dark band)
