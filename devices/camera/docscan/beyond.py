"""A cover outlined by a rectangle printed inside it (part of devices.camera.docscan; issue 22 item 1, round 29).

A paperback whose picture holds a strong straight-edged shape (a tablet, a phone, a framed title block, a band across
the top) is outlined on that shape: one side of the outline is a printed line across the cover, some way inside the
cover's own edge (Devansh-Vaidya vaidya-cover-knife.jpg: the top side a line across the picture 26-39 px inside the
cover's top edge).

What a person sees: the object is the whole cover. Beyond the printed line the same object goes on (the cover's
colours, not the desk) up to a strong straight edge, and past that edge lies the desk: the very surface seen past the
outline's other sides. So, only when the inside of the outline is a cover (its median colour coloured or dark, as
docscan.block asks; a paper page is docscan.fold's), for each side: profiles across it outward; every straight line
outside it, within _REACH of the outline's depth across that side, where on _SHARE of the profiles the strip between
the side and the line is not the desk (_APART from the desk's colour, and not the desk in shadow), the colour just
past the line is the desk's (within _DESK) and steps by _STEP from the strip's. The desk's colour is read past the two
neighbouring sides, which must agree (one surface); the neighbours, run on out to the new line, must have the desk
past them too (a card on a letter, a sheet on a book: the thing under it reaches past its sides, so it is not taken).
The side moves out onto its line; the corners are its meetings with the neighbours. Asked once per frame, on the
outline chosen, before docscan.block.
"""
from __future__ import annotations

import numpy as np

from .block import _inside_colour, _meet, _rim_colour
from .geom import linspace, median, vnorm
from .refine import sample_points

_COLOURED = 20.0      # chroma norm of the inside's median colour: a cover (a picture's median is often muted)
_DARK = 110.0         # or its luma under this
_N = 24               # profiles along a side (10 % to 90 % of its length)
_MIN_REACH = 6.0      # detection px: nearer, a shadow or a page block past the side (test1.jpg, vaidya-books.jpg 3 px)
_REACH = 0.22         # of the outline's depth across the side: the farthest line taken
_APART = 30.0         # opponent distance of the strip from the desk at least
_DESK = 30.0          # opponent distance of the colour past the line from the desk at most
_DESKLIKE = 0.35      # share of the strip on a profile that may look like the desk (a dark bezel on a dark desk)
_STEP = 25.0          # opponent distance between the strip just inside the line and the desk just past it
_SHARE = 0.75         # share of profiles that must show all three somewhere (and past the run-on neighbours)
_LINE_SHARE = 0.55    # share of profiles that show them on one straight line (a knife, a cable may lie across)
_FACE_CHROMA = 15.0   # a book's edge face in shade: the cover's hue (chroma at least this) ...
_FACE_DARKER = 15.0   # ... and darker than the cover just inside the side by this
_SHADOW_CHROMA = 14.0  # a strip of the desk's own chroma, darker than the desk and not far darker, is its shadow


def _normal(quad: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Side k's start, vector and outward unit normal, and the outline's depth across it."""
    a, b = quad[k], quad[(k + 1) % 4]
    along = b - a
    t_hat = along / max(float(np.linalg.norm(along)), 1e-6)
    normal = np.array([-t_hat[1], t_hat[0]])
    centre = quad.mean(axis=0)
    if np.dot(centre - (a + b) / 2, normal) > 0:
        normal = -normal
    depth = -float(np.dot(centre - (a + b) / 2, normal)) * 2.0
    return a, along, normal, depth


def _outside(opp: np.ndarray, quad: np.ndarray, k: int, t0: float, t1: float) -> np.ndarray:
    """The colours 3 to 8 px past side k (from t0 to t1 of its length): (8, 3)."""
    a, along, normal, _ = _normal(quad, k)
    ts = linspace(t0, t1, 8)
    pts = a[None, None] + ts[:, None, None] * along[None, None] + np.arange(3, 9)[None, :, None] * normal[None, None]
    return median(sample_points(opp, pts), axis=1)


def _not_desk(col: np.ndarray, desk: np.ndarray) -> np.ndarray:
    """Colours far from the desk's and not the desk in shadow (its chroma, darker but not far darker)."""
    far = vnorm(col - desk, axis=-1) >= _APART
    dl = desk[..., 0] - col[..., 0]
    shadow = ((vnorm(col[..., 1:] - desk[..., 1:], axis=-1) < _SHADOW_CHROMA) & (dl > 0)
              & (dl < 0.5 * np.abs(desk[..., 0])))
    return far & ~shadow


def _near_desk(col: np.ndarray, desks: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Colours within _DESK of the desk past either neighbour (past one of them may lie the book's spine)."""
    return np.minimum(vnorm(col - desks[0], axis=-1), vnorm(col - desks[1], axis=-1)) <= _DESK


def _out_line(opp: np.ndarray, quad: np.ndarray, k: int, desks: tuple[np.ndarray, np.ndarray]
              ) -> tuple[float, float, np.ndarray] | None:
    """Depths outward (detection px, at 10 % and 90 % of side k) of the object's true edge past side k
    and the strip's colour, or None."""
    a, along, normal, depth = _normal(quad, k)
    if np.linalg.norm(along) < 10:
        return None
    max_d = _REACH * depth
    if max_d < _MIN_REACH + 2:
        return None
    ts = linspace(0.1, 0.9, _N)
    ds = 0.5 * np.arange(int(2 * max_d) + 18)                               # half-pixel steps outward
    pts = a[None, None] + ts[:, None, None] * along[None, None] + ds[None, :, None] * normal[None, None]
    prof = sample_points(opp, pts).astype(np.float64)                     # (N, D, 3)
    cs = np.concatenate([np.zeros((_N, 1, 3)), np.cumsum(prof, axis=1)], axis=1)
    i = np.arange(int(2 * _MIN_REACH), int(2 * max_d) + 1)                  # the line's index on a profile
    lo = 3                                                                  # strip: from 1.5 px out to the line
    strip_ok = np.ones((_N, len(i)), bool)
    # every sample of the strip (1.5 px out to 1.5 px before the line) not the desk, on the profile
    nd = _not_desk(prof, desks[0]) & _not_desk(prof, desks[1])                                              # (N, D)
    bad = np.concatenate([np.zeros((_N, 1)), np.cumsum(~nd, axis=1)], axis=1)
    n_strip = np.maximum(i - 3 - lo, 1)
    strip_ok = (bad[:, i - 3] - bad[:, lo][:, None]) <= _DESKLIKE * n_strip[None]   # (N, I)
    inner = (cs[:, i - 1] - cs[:, i - 5]) / 4.0                              # 0.5 to 2.5 px before the line
    past = (cs[:, i + 16] - cs[:, i + 4]) / 12.0                            # 2 to 8 px past it
    step = vnorm(past - inner, axis=2)
    is_desk = _near_desk(past, desks)
    good = strip_ok & is_desk & (step >= _STEP)
    if good.any(axis=1).mean() < _LINE_SHARE:   # no line can gather enough profiles
        return None
    d0, d1 = np.meshgrid(i[::2], i[::2], indexing="ij")
    d0, d1 = d0.ravel(), d1.ravel()
    idx = np.round(d0[:, None] + (d1 - d0)[:, None] * ((ts - ts[0]) / (ts[-1] - ts[0]))[None]).astype(int) - i[0]
    rows = np.arange(_N)[None, :]
    share = good[rows, idx].mean(axis=1)
    if share.max() < _LINE_SHARE:
        return None
    score = share * median(step[rows, idx], axis=1)
    score[share < _LINE_SHARE] = -1.0
    j = int(np.argmax(score))
    ends = idx[j] + i[0] - 3                                                # the strip: 1.5 px out to the line less 1.5
    strip = median(np.concatenate([prof[r, lo:max(e, lo + 1)] for r, e in enumerate(ends)]), axis=0)
    return d0[j] / 2.0, d1[j] / 2.0, strip


def _side_face(strip: np.ndarray, rim: np.ndarray) -> bool:
    """The strip is the cover's own colour just inside the side, in shade: the same hue (both coloured, chroma
    _FACE_CHROMA and up, their directions within about 37 degrees) and darker by _FACE_DARKER."""
    cs, cr = strip[1:], rim[1:]
    ns, nr = float(np.linalg.norm(cs)), float(np.linalg.norm(cr))
    if ns < _FACE_CHROMA or nr < _FACE_CHROMA:
        return False
    return float(np.dot(cs, cr)) / (ns * nr) > 0.8 and rim[0] - strip[0] > _FACE_DARKER


def _flank_is_desk(opp: np.ndarray, quad: np.ndarray, k: int, corner_old: np.ndarray, corner_new: np.ndarray,
                   side: int, strip: np.ndarray) -> bool:
    """The neighbouring side ``side`` run on from its old corner to the new one has something else than the strip
    past it (a card on a letter: the letter runs on past the card's neighbouring sides too)."""
    _, _, normal, _ = _normal(quad, side)
    seg = corner_new - corner_old
    if np.linalg.norm(seg) < 2:
        return True
    ts = linspace(0.15, 0.85, 8)
    pts = corner_old[None, None] + ts[:, None, None] * seg[None, None] + np.arange(3, 8)[None, :, None] * normal
    col = median(sample_points(opp, pts), axis=1)
    return float((vnorm(col - strip, axis=1) >= _APART).mean()) >= _SHARE


def paper_page(opp: np.ndarray, quad: np.ndarray) -> bool:
    """to_cover_edge's test that the outline holds a paper page (then it moves no side). It implies docscan.block's
    (chroma under its 40, luma over its 80, on the same 9x9 grid), so near_edge moves none either."""
    inside = _inside_colour(opp, np.asarray(quad, np.float64))
    return bool(np.linalg.norm(inside[1:]) < _COLOURED and inside[0] > _DARK)


def to_cover_edge(opp: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """The outline (detection px, TL TR BR BL) with each side drawn along a line printed on a cover moved out onto
    the cover's own edge, or None when no side moves."""
    quad = np.asarray(quad, np.float64)
    inside = _inside_colour(opp, quad)
    if np.linalg.norm(inside[1:]) < _COLOURED and inside[0] > _DARK:   # a paper page: docscan.fold's
        return None
    # the desk past each side near its start and near its end (where it meets the neighbours)
    ends = [(median(_outside(opp, quad, k, 0.05, 0.3), axis=0), median(_outside(opp, quad, k, 0.7, 0.95), axis=0))
            for k in range(4)]
    lines = [(quad[k], quad[(k + 1) % 4] - quad[k]) for k in range(4)]
    moved = []
    for k in range(4):
        left, right = (k - 1) % 4, (k + 1) % 4
        desks = (ends[left][1], ends[right][0])                         # the desk past the neighbours near side k
        found = _out_line(opp, quad, k, desks)
        if found is None:
            continue
        if _side_face(found[2], _rim_colour(opp, quad, k)):
            continue   # the book's own edge face in shade past its cover (test1.jpg's dark cyan tail): not printed
        a, along, normal, _ = _normal(quad, k)
        p0 = a + 0.1 * along + found[0] * normal
        p1 = a + 0.9 * along + found[1] * normal
        new_a, new_b = _meet(*lines[left], p0, p1 - p0), _meet(p0, p1 - p0, *lines[right])
        if new_a is None or new_b is None:
            continue
        if not (_flank_is_desk(opp, quad, k, quad[k], new_a, left, found[2])
                and _flank_is_desk(opp, quad, k, quad[right], new_b, right, found[2])):
            continue   # the thing under it reaches past its neighbours too: not the cover's own edge
        moved.append((k, (p0, p1 - p0)))
    if not moved:
        return None
    for k, line in moved:
        lines[k] = line
    out = []
    for k in range(4):
        p = _meet(*lines[(k - 1) % 4], *lines[k])
        if p is None:
            return None
        out.append(p)
    return np.array(out)
