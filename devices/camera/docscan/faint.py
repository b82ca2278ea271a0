"""A sheet a few grey levels off the pale table it lies on (part of devices.camera.docscan).

docscan.inner finds a sheet inside a table's outline when the sheet's own edges give a page-like line quad. A
sheet only a shade lighter than a grained table top, or darker than a table lighter than it, does not: its sides
step by less than refine.STEP_MIN, and a darker inside is not a page to the page score. Here the edges inside
the table's outline are found again at a lower threshold, their Hough lines combined into quads, and a quad is
the sheet only if each of at least three sides shows one small luma step of the same sign along most of its
length (a side, not grain: grain changes slowly and changes sign along a line), the fourth at least not the
other way (it may be the shadow side), its inside looks like paper, and docscan.inner.sheet_on_surface holds
(the band round it is the table's own surface, the inside steps away from it all round). Of the quads that pass,
the largest is the sheet (a text block inside it passes less often, and is smaller).

A table top carries no print round the sheet: a quad with print between it and the outer outline is a printed
frame on a page lying close to the camera (the kiosk's own forms, whose outline covers 0.4 of the frame), and is
refused (_INK_SHARE), else the outline would jump between the page and its frame from frame to frame.
"""
from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from .geom import NEXT_CORNER, PREV_CORNER, linspace, median, plausible_quads, vnorm
from .hulls import _hull_candidates
from .inner import sheet_on_surface
from .lines import hough_lines, line_quads
from .refine import sample_points
from .work import Work as _Work

GAIN = 0.35           # edge thresholds (of the usual) inside a table's outline when looking for a faint sheet
_STEP = 3.0           # grey levels of luma a faint side steps by, at each sample counted
_ALONG = 0.7          # fraction of a side's samples stepping the same way for the side to count
_MIN_AREA = 0.04      # of the frame: smaller quads are print on the sheet, not a sheet
_MAX_AREA = 0.6       # of the outer outline's area
_INSET = 2.0          # detection pixels the quad keeps inside the outer outline
_N = 24               # samples per side
_D = 2.0              # detection pixels from a side to its inside samples
_OUT = 3.5            # and to its outside samples
_EVEN = 8.0           # grey levels (10th to 90th percentile) the luma just inside a side may spread over
_MAX_QUADS = 400      # candidate quads checked, largest first
# Print round the quad: pixels this many grey levels darker than their 9-pixel neighbourhood's median, as a share
# of the ring between the outer outline and the quad. Rendered tables 0.00-0.01 %; a form's frame 2.4 %.
_INK = 25.0
_INK_SHARE = 0.002


def faint_sheet(work: _Work, outer: np.ndarray, edge_work: Callable[[np.ndarray], _Work],
                paper: Callable[[np.ndarray], np.ndarray]) -> np.ndarray | None:
    """The faint sheet lying on the table that ``outer`` outlines (small-image quad), or None.

    ``edge_work(mask)``: the step edges inside ``mask`` at GAIN of the usual thresholds; ``paper(quads)``:
    whether each quad's inside looks like paper."""
    h, w = work.edges.shape
    mask = np.zeros((h, w), np.uint8)
    c = outer.mean(axis=0)
    cv2.fillConvexPoly(mask, np.round(c + (outer - c) * 0.95).astype(np.int32), 255)
    sub = edge_work(mask)
    if len(sub.xs) < 0.4 * min(h, w):
        return None
    lines = hough_lines((h, w), sub.ys, sub.xs, sub.normal, sub.strong_px)[:-4]   # no frame borders
    found = [line_quads(work.opp, lines)[0]] if len(lines) >= 4 else []
    # A faint side's edge pixels are often too ragged for one Hough bin: the hulls of the edge chains too.
    hulls: list[np.ndarray] = []
    _hull_candidates(cv2.dilate(sub.edges, np.ones((3, 3), np.uint8)), _MIN_AREA * h * w, hulls)
    found += [np.array(hulls).reshape(-1, 4, 2)] if hulls else []
    quads = np.concatenate(found) if found else np.zeros((0, 4, 2))
    if len(quads) == 0:
        return None
    quads = quads[plausible_quads(quads, (h, w))]
    area = _areas(quads)
    o_poly = outer.astype(np.float32).reshape(-1, 1, 2)
    ok = (area >= _MIN_AREA * h * w) & (area <= _MAX_AREA * _areas(outer[None])[0])
    quads, area = quads[ok], area[ok]
    if len(quads) == 0:
        return None
    keep = np.argsort(-area)[:_MAX_QUADS]
    # Each snapped onto the sheet's edge, then as found (the snap may land on a shadow's edge instead).
    quads = np.stack([_snap(work.opp, quads[keep]), quads[keep]], axis=1).reshape(-1, 4, 2)
    keep = np.flatnonzero(_faint_sides(work.opp, quads))
    good = keep[paper(quads[keep])] if len(keep) else keep
    for idx in good:   # largest first
        q = quads[idx]
        if not all(cv2.pointPolygonTest(o_poly, (float(x), float(y)), True) > _INSET for x, y in q):
            continue
        if sheet_on_surface(work, outer, q) and not _printed_round(work.opp, outer, q):
            return q
    return None


def _printed_round(opp: np.ndarray, outer: np.ndarray, q: np.ndarray) -> bool:
    """Is there print between the outer outline and the quad (a page's title or signature round its printed
    frame), where a table top shows only its own grain and the sheet's shadow?"""
    lum = np.clip(opp[..., 0], 0, 255).astype(np.uint8)
    ring = np.zeros(lum.shape, np.uint8)
    for quad, k, value in ((outer, 0.95, 255), (q, 1.04, 0)):
        c = quad.mean(axis=0)
        cv2.fillConvexPoly(ring, np.round(c + (quad - c) * k).astype(np.int32), value)
    inside = ring > 0
    if not inside.any():
        return False
    dark = cv2.medianBlur(lum, 9).astype(np.int16) - lum.astype(np.int16)
    return float((dark[inside] > _INK).mean()) > _INK_SHARE


def _areas(quads: np.ndarray) -> np.ndarray:
    x, y = quads[..., 0], quads[..., 1]
    return 0.5 * np.abs((x * y[:, NEXT_CORNER] - y * x[:, NEXT_CORNER]).sum(axis=1))


def _faint_sides(opp: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """Quads whose sides step in luma (inside minus outside) by _STEP or more, one way along _ALONG of each
    side, the same way on three sides or more and never clearly the other way on the fourth."""
    a = quads
    b = quads[:, NEXT_CORNER]
    d = b - a
    normal = np.stack([d[..., 1], -d[..., 0]], axis=2) / np.maximum(vnorm(d, axis=2, keepdims=True), 1e-6)
    mid = (a + b) / 2
    normal *= np.sign(((mid - quads.mean(axis=1, keepdims=True)) * normal).sum(axis=2, keepdims=True))  # outward
    t = linspace(0.1, 0.9, _N)
    pts = a[:, :, None] + d[:, :, None] * t[None, None, :, None]                                  # (N, 4, n, 2)
    # Outside, past the shadow a sheet casts along two of its sides (it is narrower than this).
    lum = [sample_points(opp, pts + normal[:, :, None] * k)[..., 0] for k in (-_D, _OUT)]
    step = lum[0] - lum[1]
    # Just inside a sheet's side is its margin, even along the side; just inside a text block's edge is print.
    spread = np.percentile(lum[0], 90, axis=2) - np.percentile(lum[0], 10, axis=2)
    even = (spread < _EVEN).sum(axis=1) >= 3
    up = (step >= _STEP).mean(axis=2)
    down = (step <= -_STEP).mean(axis=2)
    sign = np.where(up.sum(axis=1) >= down.sum(axis=1), 1.0, -1.0)[:, None]
    same = np.where(sign > 0, up, down)
    other = np.where(sign > 0, down, up)
    return ((same >= _ALONG).sum(axis=1) >= 3) & (other < 0.5).all(axis=1) & even


_DIP = 4.0            # grey levels a shadow dips below both the paper and the table
_OFFSETS = np.arange(-5.0, 4.5, 0.5)   # detection pixels across a side, outward positive


def _snap(opp: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """(N, 4, 2) quads with each side moved onto the sheet's own edge, from the luma profile across it (a hull of
    the edges runs along the outer edge of the shadow a sheet casts on two of its sides): where a shadow dips
    below both the paper's level and the table's, the side is at the dip's deepest point (the shadow hugs the
    edge); else where the luma crosses halfway from the paper's level to the table's."""
    d = quads[:, NEXT_CORNER] - quads
    normal = np.stack([d[..., 1], -d[..., 0]], axis=2) / np.maximum(vnorm(d, axis=2, keepdims=True), 1e-6)
    normal *= np.sign(((quads + d / 2 - quads.mean(axis=1, keepdims=True)) * normal).sum(axis=2, keepdims=True))
    t = linspace(0.15, 0.85, 12)
    pts = quads[:, :, None] + d[:, :, None] * t[None, None, :, None]                            # (N, 4, 12, 2)
    across = pts[:, :, :, None] + normal[:, :, None, None] * _OFFSETS[None, None, None, :, None]
    prof = median(sample_points(opp, across)[..., 0], axis=2)                                # (N, 4, n_off)
    inside, outside = prof[..., :2].mean(axis=2), prof[..., -2:].mean(axis=2)
    dip = np.minimum(inside, outside) - prof.min(axis=2) > _DIP
    half = (inside + outside)[..., None] / 2
    cross = np.argmax(np.sign(prof - half) != np.sign(prof[..., :1] - half), axis=2)
    shift = np.where(dip, _OFFSETS[np.argmin(prof, axis=2)],
                     (_OFFSETS[cross] + _OFFSETS[np.maximum(cross - 1, 0)]) / 2)
    a = quads + normal * shift[..., None]
    one = np.ones(a.shape[:2] + (1,))
    lines = np.cross(np.concatenate([a, one], axis=2), np.concatenate([a + d, one], axis=2))
    corners = np.cross(lines[:, PREV_CORNER], lines)                                         # (N, 4, 3)
    bad = (np.abs(corners[..., 2]) < 1e-9).any(axis=1)
    out = corners[..., :2] / np.where(np.abs(corners[..., 2:]) < 1e-9, 1.0, corners[..., 2:])
    return np.where(bad[:, None, None], quads, out)
