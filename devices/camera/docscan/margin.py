"""A certificate's printed frame taken for the page (part of devices.camera.docscan; issue 22 item 1, round 36).

A certificate is a white sheet with a printed frame (often a double rule, blue or red) a few millimetres inside its
edge. The frame's eight printed lines step more strongly than the sheet's own edge over a pale, shadowed or
checkered desk, and the outline may then be the frame: each of its sides a printed line with the same paper on both
flanks. What a person sees: the same white paper goes on a few millimetres past the printed line on every side and
then ends against the desk.

So, on the paper path, for each side of the chosen outline: profiles across it; on most of them the colour just
inside the side and just outside the printed line is the same paper (the line is ink between paper and paper), the
paper goes on outward (a second printed rule of the frame may cross it) up to a step where it leaves the paper for
good (the sheet's edge), within a certificate's margin (_MIN_MARGIN to _MAX_MARGIN of the outline's depth across
the side), the step lying on one straight line. Only when at least _MIN_SIDES sides show it (a finger may cover
one) do those sides move out onto their steps; the corners are the meetings of the sides. A page's real side has
the desk beyond it (not the paper), a card on a sheet has the sheet reaching far past it on some side, a second
sheet beside a page does not lie round it on three sides. The caller refines the new outline again.
"""
from __future__ import annotations

import numpy as np

from .fold import _area
from .geom import NEXT_CORNER, median, plausible_quads, vnorm
from .pen import side_profiles
from .work import Work as _Work

_N = 15               # profiles across a side, 15-85 % along it
_IN = (3.0, 4.0, 5.0, 6.0, 7.0)   # detection pixels inside the side where the paper is read (a double rule's
#                                   inner line may cross one or two of them)
_STEP = 0.5           # the profile's step outward
_LINE = 6.0           # the printed line (with blur) ends within this many pixels of the side
_MIN_MARGIN = 0.015   # of the outline's depth across the side: the nearest edge taken (plus _LINE) ...
_MAX_MARGIN = 0.14    # ... and the farthest (a certificate's margin is 3-12 % of its size)
_SAME_LUMA = 14.0     # paper: luma within this of the paper inside ...
_SAME_CHROMA = 9.0    # ... and chroma within this
_GAP = 3.0            # a second printed rule of the frame crossing the margin: paper lost for at most this
_OFF = 3.0            # the edge: paper gone for at least this many pixels past it ...
_STEP_MIN = 12.0      # ... and the colour there this far (opponent distance) from the paper
_FIT = 1.5            # the edges on one straight line within this many pixels (median residual)
_SHARE = 0.6          # share of a side's profiles that show the margin and its edge
_MIN_SIDES = 3        # sides that must show it ...
_PART, _PART_EDGES = 0.6, 3   # the fourth side's profiles with paper past it, and edges found on it
_TRUE = 0.2           # ... or two, and the other two with paper just past them on at most this share
ENABLED = True        # the rule switched off gives main's detector (tests, timing)


def _depths(quad: np.ndarray) -> np.ndarray:
    """The outline's depth across each side: twice the distance from the side to its centre."""
    nxt = quad[NEXT_CORNER]
    d = nxt - quad
    normal = np.stack([d[:, 1], -d[:, 0]], axis=1) / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-6)
    return 2.0 * np.abs((((quad + nxt) / 2 - quad.mean(axis=0)) * normal).sum(axis=1))


def _edge(same: np.ndarray, far: np.ndarray, offs: np.ndarray, lo: float) -> float | None:
    """The offset where the paper (``same``) ends for good past the printed line, or None."""
    gap, off = int(round(_GAP / _STEP)), int(round(_OFF / _STEP))
    back = np.flatnonzero(same & (offs <= _LINE))
    if len(back) == 0:
        return None                       # no paper just past the printed line
    i, lost = int(back[0]), 0
    lo = max(lo, float(offs[i]) + 1.0)
    while i < len(same):
        if same[i]:
            lost = 0
        else:
            lost += 1
            if lost > gap:
                break
        i += 1
    if i >= len(same):
        return None                       # the paper runs on past the margin (or out of view): not judged
    start = i - lost + 1                  # first sample off the paper
    run = slice(start, start + off)
    if start + off > len(same) or same[run].any() or not far[run].all():
        return None
    edge = float(offs[start]) - _STEP / 2
    return edge if edge >= lo else None


def _same(out: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """The samples ``out`` that are the ``paper`` (luma and chroma close)."""
    return ((np.abs(out[..., 0] - paper[..., 0]) < _SAME_LUMA)
            & (vnorm(out[..., 1:] - paper[..., 1:], axis=-1) < _SAME_CHROMA))


def _hopeless(failed: list[int], paper_past: list[float]) -> bool:
    """Can the sides in ``failed`` (no line on the frame) no longer leave _MIN_SIDES sides, or two with the failed
    ones on the sheet's edge (at most _TRUE of their profiles with paper just past them)?"""
    left = 4 - len(failed)
    return left < 2 or (left < _MIN_SIDES and max(paper_past[k] for k in failed) > _TRUE)


def _side_edges(k: int, cand: np.ndarray, same: np.ndarray, far: np.ndarray, offs: np.ndarray, keep: np.ndarray,
                depth: float, ts: np.ndarray) -> tuple[list[float], list[float]]:
    """The places along side ``k`` (of ``ts``) and the offsets of the sheet's edge found on its profiles ``cand``."""
    lo, hi = _MIN_MARGIN * depth, _MAX_MARGIN * depth + 3.0
    pos, edges = [], []
    for j in cand:
        e = _edge(same[k, j][keep], far[k, j][keep], offs[keep], lo)
        if e is not None and e <= hi:
            pos.append(ts[j])
            edges.append(e)
    return pos, edges


def to_sheet_edge(work: _Work, quad: np.ndarray) -> np.ndarray | None:
    """``quad`` (a refined outline in detection pixels, corners in order round it) with its sides that are a
    printed frame moved out onto the sheet's edge (see the module docstring); None when fewer than _MIN_SIDES are."""
    if not ENABLED:
        return None
    h, w = work.edges.shape
    depth = _depths(quad)
    reach = float(_MAX_MARGIN * depth.max()) + _LINE + _OFF + 1.0
    offs = np.arange(_STEP, reach, _STEP)
    ts = np.linspace(0.15, 0.85, _N)
    deep = -np.asarray(_IN)
    normal, seen, vals = side_profiles(work, quad, np.concatenate([deep, offs]), _N)   # (4, N, 5 + M, 3)
    paper = median(vals[:, :, :len(deep)], axis=2)[:, :, None]                                     # per profile
    out = vals[:, :, len(deep):]
    keeps = [offs <= _MAX_MARGIN * depth[k] + 3.0 + _OFF + 1.0 for k in range(4)]
    # a profile gives no edge unless all of it is in view and it has paper just past the line (_edge's ``back``);
    # the offsets within _LINE are a prefix of every side's kept ones (those reach at least 3 + _OFF + 1 > _LINE)
    near = out[:, :, :int(np.searchsorted(offs, _LINE, side="right"))]
    past = _same(near, paper).any(axis=2)                                                                # (4, N)
    paper_past = [float(past[k].mean()) for k in range(4)]
    inside = seen[:, :, :len(deep)].all(axis=2)
    cand = [np.flatnonzero(past[k] & inside[k] & seen[k, :, len(deep):][:, keeps[k]].all(axis=1)) for k in range(4)]
    # sides with fewer such profiles than the share cannot be fitted: give up as soon as too few sides can be
    failed = [k for k in range(4) if len(cand[k]) < _SHARE * _N]
    if _hopeless(failed, paper_past):
        return None
    same, far = _same(out, paper), vnorm(out - paper, axis=-1) >= _STEP_MIN
    lines, found = [None] * 4, [None] * 4
    for k in range(4):
        if k in failed:
            continue
        pos, found[k] = _side_edges(k, cand[k], same, far, offs, keeps[k], depth[k], ts)
        if len(found[k]) >= _SHARE * _N:
            fit = np.polyfit(pos, found[k], 1)
            if float(np.median(np.abs(np.polyval(fit, pos) - found[k]))) <= _FIT:
                lines[k] = fit
        if lines[k] is None:
            failed.append(k)
            if _hopeless(failed, paper_past):
                return None
    moved = 4 - len(failed)
    for k in range(4):   # the last side, part hidden (a finger, a shadow's edge): moved by its edges' median
        if moved >= _MIN_SIDES and lines[k] is None and paper_past[k] >= _PART:
            if found[k] is None:   # skipped above for too few profiles: its edges are read now
                found[k] = _side_edges(k, cand[k], same, far, offs, keeps[k], depth[k], ts)[1]
            if len(found[k]) >= _PART_EDGES:
                lines[k] = np.array([0.0, float(np.median(found[k]))])
    # Each side as a point and a direction, moved out by its fitted margin at its two ends.
    pts_a, pts_b = [], []
    for k in range(4):
        a, b = quad[k], quad[NEXT_CORNER[k]]
        off_a, off_b = (0.0, 0.0) if lines[k] is None else (float(np.polyval(lines[k], 0.0)),
                                                             float(np.polyval(lines[k], 1.0)))
        pts_a.append(a + normal[k] * off_a)
        pts_b.append(b + normal[k] * off_b)
    new = np.empty_like(quad)
    for k in range(4):
        p = (k - 1) % 4                       # corner k is the meeting of side p and side k
        new[k] = _meet(pts_a[p], pts_b[p], pts_a[k], pts_b[k])
    if not np.isfinite(new).all() or not plausible_quads(new[None], (h, w)).all() or _area(new) <= _area(quad):
        return None
    return new


def _meet(a1: np.ndarray, b1: np.ndarray, a2: np.ndarray, b2: np.ndarray) -> np.ndarray:
    d1, d2 = b1 - a1, b2 - a2
    den = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(den) < 1e-9:
        return np.array([np.nan, np.nan])
    s = ((a2[0] - a1[0]) * d2[1] - (a2[1] - a1[1]) * d2[0]) / den
    return a1 + s * d1
