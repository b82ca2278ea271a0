"""An outline run on along a desk stripe in line with one of the page's sides, cut back to the paper (part of
devices.camera.docscan; issue 22 item 1, failure kind (b), round 40).

On a striped desk a stripe may lie in line with one of the page's sides: the Hough line through that side runs on
along the stripe past the paper's corner, and the line quads close on other stripes or on the frame border, so the
chosen outline holds the page and a piece of striped desk beside it (its sides well supported all round: the
stripes step as strongly as paper against desk). What a person sees: the paper is one light, near-neutral region
that fills only part of the outline, one of its sides lying on one of the outline's sides, the paper ending along
that side where the stripe goes on. ``stop_in_line`` reads, inside a chosen outline, where the paper is (light and
near-neutral, print closed over), and when it fills only part of the outline (_FILL) in one solid, four-sided piece
(_SOLID) with at least one side on one of the outline's sides (_ON_SIDE) that the outline runs on past (_PAST), the
piece's quad is returned to be refined, if it scores as a page. Cheap where it cannot act: an outline that is paper
nearly all through (every correct outline of a white page) returns after one thresholded read of its box.
"""
from __future__ import annotations

import cv2
import numpy as np

from .evidence import MIN_LUMA
from .geom import area, order_corners
from .hulls import _quad_from_hull
from .work import Work as _Work

ENABLED = True         # tests and timings turn the rule off
_FILL = (0.15, 0.93)   # share of the outline that is paper: above it the outline is the paper's own
_NEUTRAL = 28.0        # chroma (opponent grey levels) of paper
_LIGHT = 0.55          # of the lightest inside (95th percentile of luma): paper, shadowed parts included
_SOLID = 0.88          # the paper's area over its convex hull's
_ON_SIDE = 2.5         # detection px: both ends of a side of the paper's quad off one of the outline's side lines
_PAST = (0.06, 4.0)    # of that side's length, and detection px: how far the outline's side runs on past the paper
_DESK = 0.5           # share of the outline's part outside the paper that is coloured (a shadow over the paper, a
                      # block of print, a neutral desk are not: there the paper's edge is not what was cut off)
_BORDER = 2.0          # detection px: a corner further outside the frame than this runs off it
_SCORE = 0.62          # the paper's quad must score as a page (docscan.detect.MIN_SCORE)


def _paper(work: _Work, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int]] | None:
    """The paper mask inside ``quad`` (within its bounding box), the quad's mask, the box's chroma and its
    origin."""
    h, w = work.opp.shape[:2]
    x0, y0 = np.floor(quad.min(axis=0)).astype(int).clip(0, (w - 1, h - 1))
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int).clip(0, (w - 1, h - 1)) + 1
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    box = work.opp[y0:y1, x0:x1]
    inside = np.zeros(box.shape[:2], np.uint8)
    cv2.fillConvexPoly(inside, np.round(quad - (x0, y0)).astype(np.int32), 1)
    luma = box[..., 0]
    lum_in = luma[inside > 0]
    if len(lum_in) < 64:
        return None
    thr = max(MIN_LUMA, _LIGHT * float(np.percentile(lum_in, 95)))
    chroma = np.sqrt(box[..., 1] ** 2 + box[..., 2] ** 2)
    paper = ((luma > thr) & (chroma < _NEUTRAL)).astype(np.uint8)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)) & inside
    return paper, inside, chroma, (int(x0), int(y0))


def _on_a_side(piece: np.ndarray, quad: np.ndarray) -> bool:
    """Whether a side of ``piece`` lies on one of ``quad``'s side lines, the quad's side running on past it."""
    for i in range(4):
        a, b = piece[i], piece[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        for k in range(4):
            p, q = quad[k], quad[(k + 1) % 4]
            d = q - p
            n = float(np.linalg.norm(d))
            if n < 1e-6:
                continue
            u = d / n
            off = np.abs([(a - p) @ (-u[1], u[0]), (b - p) @ (-u[1], u[0])])
            if off.max() > _ON_SIDE:
                continue
            ta, tb = sorted(((a - p) @ u, (b - p) @ u))
            past = max(_PAST[0] * length, _PAST[1])
            if ta > past or tb < n - past:   # the outline's side runs on past the paper
                return True
    return False


def _runs_off(quad: np.ndarray, w: int, h: int) -> bool:
    """Whether the outline reaches past the frame's edge (a corner more than _BORDER outside): a page running off
    the frame, which the kiosk warns about (cut_off). Cut back to its paper 2-15 px inside the border, unseen seed
    2349 (an ID card running off the frame's bottom) read as wholly in frame. An outline closed ON the border (a
    stripe's run-on meeting the frame's edge, unseen 935) is this rule's to cut."""
    return bool((quad < -0.5 - _BORDER).any() or (quad[:, 0] > w - 0.5 + _BORDER).any()
                or (quad[:, 1] > h - 0.5 + _BORDER).any())


def stop_in_line(work: _Work, quad: np.ndarray, score) -> np.ndarray | None:
    """The paper's quad inside a chosen outline (small-image coordinates) run on along a desk stripe (see the
    module's docstring), or None. ``score``: quads (N, 4, 2) -> (scores, solid) as docscan.detect scores them."""
    h, w = work.opp.shape[:2]
    read = _paper(work, quad) if ENABLED and not _runs_off(quad, w, h) else None
    if read is None:
        return None
    paper, inside, chroma, origin = read
    fill = paper.sum() / max(int(inside.sum()), 1)
    if not _FILL[0] <= fill <= _FILL[1]:
        return None
    n, labels, stats, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    if n < 2:
        return None
    big = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[big, cv2.CC_STAT_AREA] < _FILL[0] * inside.sum():
        return None
    contours, _ = cv2.findContours((labels == big).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    if stats[big, cv2.CC_STAT_AREA] < _SOLID * max(cv2.contourArea(hull), 1.0):
        return None
    piece = _quad_from_hull(hull)
    if piece is None:
        return None
    piece = order_corners(piece + origin)
    if not 0.1 * area(quad) < area(piece) < _FILL[1] * area(quad) or not _on_a_side(piece, quad):
        return None
    rest = np.zeros_like(inside)
    cv2.fillConvexPoly(rest, np.round(piece - origin).astype(np.int32), 1)
    rest = (cv2.dilate(rest, np.ones((5, 5), np.uint8)) == 0) & (inside > 0)
    if rest.sum() == 0 or (chroma[rest] > _NEUTRAL).mean() < _DESK:
        return None
    s, _ = score(piece[None])
    return piece if s[0] >= _SCORE else None
