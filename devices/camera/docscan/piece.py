"""A piece of an ID card cut off by a pen, a finger or a line of its print (part of devices.camera.docscan; issue 22
item 1, round 39).

A pen or a finger lying across a card, or a line of the card's own print (the lower edge of its photo block, its
emblem), steps as strongly as the card's side, so the chosen outline may be a piece of the card, cut on one or two
sides: docscan.pen mends a piece cut on one side by a pen with the same paper beyond it, but not one whose far part
carries the card's print (the simulator's seed 511), nor one cut on two sides. What a person sees: the card is one
object whose straight sides run on past the pen or the finger, and its outline is an ID-1 card's rectangle (85.6 x 54
mm, aspect 1.585). So, on the refined outline, ``grow_card`` takes each corner in turn and walks along its two sides
from it, outwards, with docscan.ended's walk (``_end``: where the side stops stepping the way it steps near the
corner; it must stop in view, within reach). The two walks span a parallelogram from that corner; it is taken when it
is a card (long over short side _ASPECT, a near-right angle _SQUARE), holds the piece and is clearly larger than it
(_GROW), is small enough to be a card (_MAX_AREA of the frame) and looks like paper inside. A walk that ends where the
side runs onto a sheet behind the card (511's top right) ends there as well as onto the desk, so the far sides need
not step onto desk. The largest such parallelogram is returned; the caller refines it again.
"""
from __future__ import annotations

import numpy as np

from .ended import _end
from .evidence import paper_inside
from .fold import _area
from .geom import linspace, median, plausible_quads
from .refine import sample_points
from .work import Work as _Work

_ASPECT = (1.3, 1.85)   # long over short side of the grown outline: an ID-1 card (1.585) in mild perspective
_SQUARE = 0.2           # |cos| of the angle between the two walked sides (about 78-102 degrees)
_HOLD = 0.9             # each walk reaches at least this fraction of the piece's side it runs along ...
_GROW = 1.3             # ... and the grown outline is at least this many times the piece's area
_MAX_AREA = 0.3         # of the frame: a card, not a page
_SAME_LUMA = 45.0       # a sample of the grown part is the piece's paper within this luma (a shadow, a lit patch) ...
_SAME_CHROMA = 12.0     # ... and this chroma (the card's tinted pattern, lit a little differently)
_SAME = 0.5             # share of the grown part's samples that must be the piece's paper (print, a pen, a finger)
_REACH = 0.9 / 0.45     # the walk's base (ended's _end): its reference step is read over 0.9 of the piece's side
ENABLED = True          # the rule switched off gives main's detector (tests, timing)


def grow_card(work: _Work, quad: np.ndarray) -> np.ndarray | None:
    """``quad`` (a refined outline in detection pixels, corners in order round it) grown to the card it is a piece
    of (see the module docstring), or None."""
    if not ENABLED:
        return None
    h, w = work.edges.shape
    piece = _area(quad)
    if piece > _MAX_AREA * h * w / _GROW:
        return None
    best, best_area = None, piece * _GROW
    for c in range(4):
        ends, units = [], []
        for o, other in (((c + 1) % 4, (c - 1) % 4), ((c - 1) % 4, (c + 1) % 4)):
            side = quad[o] - quad[c]
            length = float(np.linalg.norm(side))
            if length < 8:
                break
            u = side / length
            inward = quad[other] - quad[c]
            inward = inward - u * float(inward @ u)
            inward /= max(float(np.linalg.norm(inward)), 1e-6)
            e = _end(work.opp, quad[c], u, inward, length * _REACH)
            if e is None or e < _HOLD * length:
                break
            ends.append(e)
            units.append(u)
        if len(ends) < 2:
            continue
        if abs(float(units[0] @ units[1])) > _SQUARE:
            continue
        long_, short = max(ends), min(ends)
        if not _ASPECT[0] <= long_ / short <= _ASPECT[1]:
            continue
        a, b = quad[c] + units[0] * ends[0], quad[c] + units[1] * ends[1]
        grown = np.array([quad[c], a, a + b - quad[c], b])
        ar = _area(grown)
        if ar <= best_area or ar > _MAX_AREA * h * w:
            continue
        new = np.roll(grown, c, axis=0)   # corner c back at index c
        if not plausible_quads(new[None], (h, w)).all() or paper_inside(work.opp, new[None])[0] <= 0:
            continue
        if not _same_paper(work, quad, grown):
            continue
        best, best_area = new, ar
    return best


def _grid(quad: np.ndarray, n: int) -> np.ndarray:
    """n x n points spread over ``quad``'s inside, 5-95 % across it (bilinear in its corners), (n * n, 2)."""
    t = linspace(0.05, 0.95, n)
    u, v = np.meshgrid(t, t)
    u, v = u.ravel()[:, None], v.ravel()[:, None]
    return ((1 - u) * (1 - v) * quad[0] + u * (1 - v) * quad[1] + u * v * quad[2] + (1 - u) * v * quad[3])


def _same_paper(work: _Work, piece: np.ndarray, grown: np.ndarray) -> bool:
    """Whether the part of ``grown`` outside ``piece`` is mostly the piece's own paper: the card runs on past the pen
    or the finger, not the desk's texture past the card's corner."""
    paper = median(sample_points(work.opp, _grid(piece, 7)), axis=0)
    pts = _grid(grown, 12)
    rel = pts[:, None, :] - piece[None]                               # inside the piece: the same side of all four
    d = np.roll(piece, -1, axis=0) - piece
    cross = d[None, :, 0] * rel[..., 1] - d[None, :, 1] * rel[..., 0]
    outside = ~((cross > 0).all(axis=1) | (cross < 0).all(axis=1))
    if outside.sum() < 10:
        return False
    vals = sample_points(work.opp, pts[outside])
    same = ((np.abs(vals[:, 0] - paper[0]) < _SAME_LUMA)
            & (np.linalg.norm(vals[:, 1:] - paper[1:], axis=1) < _SAME_CHROMA))
    return float(same.mean()) >= _SAME
