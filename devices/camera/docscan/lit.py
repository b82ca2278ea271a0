"""A coloured cover under uneven light: a glare band, a lamp's fall-off (part of devices.camera.docscan; issue 22
item 1, round 7).

The cover tests (docscan.cover: one surface all round; docscan.within: one cover colour round a picture printed on
it) compare colours by their full opponent distance, luma included. On a real photo the light is not even: a glare
band crosses a glossy cover and the black granite beside it (fMeow's green study book: the desk's luma 26-48 along
three sides, far lighter under the band, so 31 % of two sides' samples "leave the surround"); a lamp lights one end
of a cream desk 30 grey levels brighter than the other (fMeow's blue magazine: the four sides' surrounds 188-217, a
spread of 34 against the limit 30). Light changes luma far more than hue, so here the same tests are asked again with
luma weighted _LUMA_WEIGHT: a surface that is one hue under uneven light is still one surface. Asked only where the
plain test fails, so every quad that passed before passes.

Against that, a looser "one surface" lets more things through, so the luma-weighted spread must stay within _SPREAD
(tighter than docscan.cover's 30): the printer lid under a magazine page on a white desk (tuning document.jpg) has a
surround that also varies in hue (29 with the luma weighted) and stays no cover.

Round a picture printed on a cover (docscan.within), the surround of three of the four sides must be one cover colour
(luma weighted as above): one side's surround may be under the glare band, or cross a title printed in another
colour, as along the top of both covers above. And the block taken for the page may be small and roughly outlined
(the green cover's white title, 18 detection pixels wide): its sides need be parallel to the cover's only within what
a side that short can be measured to (each end 1.5 detection pixels off), where that is more than within's 4 degrees.

Wired in by docscan.detect in place of docscan.cover.printed_cover and docscan.within.cover_round_page; what those
decide is kept, this only adds the covers they refused under uneven light.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from . import cover as _cover
from . import within as _within
from .geom import linspace, median, vnorm
from .refine import NEXT_CORNER, sample_points
from .work import Work as _Work

_LUMA_WEIGHT = 0.3    # of luma in the opponent distance: light changes luma, a different surface changes hue
_SPREAD = 18.0        # opponent distance (luma weighted) a side's outside may lie from the surround's median colour
_EVEN = 12.0          # opponent distance (luma weighted) of three sides' surrounds from their median (one cover)
_END = 1.5            # detection pixels each end of a short page side may be off (a rough outline of a title block)
_WEIGHT = np.array([_LUMA_WEIGHT, 1.0, 1.0], np.float32)


def _lit_round(opp: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """docscan.cover's "one surface round it" with luma weighted _LUMA_WEIGHT in the surround's comparisons."""
    a, b = quads, quads[:, NEXT_CORNER]
    d = (b - a) / np.maximum(vnorm(b - a, axis=2, keepdims=True), 1e-9)
    normal = np.stack([d[..., 1], -d[..., 0]], axis=-1)                                   # outward
    t = linspace(0.04, 0.96, 16)
    pts = a[:, :, None, :] + (b - a)[:, :, None, :] * t[None, None, :, None]
    sin = sample_points(opp, pts - normal[:, :, None, :] * _cover._PROBE)
    sout = sample_points(opp, pts + normal[:, :, None, :] * _cover._PROBE)
    vin, vout = median(sin, axis=2), median(sout, axis=2)
    step = vnorm(vin - vout, axis=2).min(axis=1)
    spread = vnorm((vout - median(vout, axis=1, keepdims=True)) * _WEIGHT, axis=2).max(axis=1)
    stepping = vnorm(sin - sout, axis=3) >= _cover._SAMPLE_STEP
    outside = vnorm((sout - vout[:, :, None, :]) * _WEIGHT, axis=3) < _cover._EVEN_ABS
    even = (stepping & outside).mean(axis=2).min(axis=1)
    return (step >= _cover._MIN_STEP) & (spread <= _SPREAD) & (even >= _cover._MIN_EVEN)


def printed_cover(opp: np.ndarray, quads: np.ndarray, first: int | None = None) -> np.ndarray:
    """docscan.cover.printed_cover, with a surround that is one surface under uneven light also taken."""
    out = np.zeros(len(quads), bool)
    if len(quads) == 0:
        return out
    round_ = _cover._one_surface_round(opp, quads)
    if not round_.all():
        round_[~round_] = _lit_round(opp, quads[~round_])
    for i in np.flatnonzero(round_):
        out[i] = _cover._has_print(opp, quads[i:i + 1])[0]
        if first is not None and out.sum() >= first:
            break
    return out


def _surrounds(work: _Work, quad: np.ndarray) -> tuple[bool, bool]:
    """From one sampling: docscan.within's surround test as it is (``plain``), and the same with luma weighted
    _LUMA_WEIGHT and three sides' surrounds one cover colour (``lit``)."""
    opp = work.opp
    h, w = opp.shape[:2]
    c = quad.mean(axis=0)
    out = c + (quad - c) * (1 + _within._OUT)
    t = linspace(0.1, 0.9, 12)
    pts = out[:, None, :] + (out[NEXT_CORNER] - out)[:, None, :] * t[None, :, None]
    seen = (pts[..., 0] >= 0) & (pts[..., 0] <= w - 1) & (pts[..., 1] >= 0) & (pts[..., 1] <= h - 1)
    r = _within._RING
    ring = np.concatenate([opp[:r].reshape(-1, 3), opp[-r:].reshape(-1, 3),
                           opp[:, :r].reshape(-1, 3), opp[:, -r:].reshape(-1, 3)])
    vals = sample_points(opp, pts)
    sides = np.array([median(vals[k][seen[k]], axis=0) if seen[k].mean() >= _within._MIN_SEEN
                      else np.full(3, np.nan) for k in range(4)])
    far = vnorm(sides - median(ring, axis=0), axis=1) >= _within._SURROUND         # nan: False
    if far.sum() < 3:
        return False, False
    off = sides[far] - median(sides[far], axis=0)
    plain = bool(vnorm(off, axis=1).max() <= _within._EVEN)
    return plain, bool((vnorm(off * _WEIGHT, axis=1) <= _EVEN).sum() >= 3)


def cover_round_page(work: _Work, page: np.ndarray, covers: Callable[[Callable[[np.ndarray], np.ndarray]],
                                                                    tuple[np.ndarray, np.ndarray]]
                     ) -> tuple[np.ndarray, np.ndarray]:
    """docscan.within.cover_round_page, with the surround also taken as a cover's under uneven light (and a short
    block held as below) when within's own test finds no cover."""
    plain, lit = _surrounds(work, page)
    if plain:
        cq, cs = covers(lambda quads: _within.holding(quads, page))
        if len(cq):
            return cq, cs
    if plain or lit:
        return covers(lambda quads: holding(quads, page))
    return np.zeros((0, 4, 2)), np.zeros(0)


def holding(covers: np.ndarray, page: np.ndarray) -> np.ndarray:
    """docscan.within.holding, but each side parallel to the page's within what a side that short can be measured to
    (each end _END detection pixels off) if that is more than within's 4 degrees: the white title block on the green
    cover, 18 detection pixels wide and outlined roughly, gives its short sides' angles only to about 9 degrees."""
    if len(covers) == 0:
        return np.zeros(0, bool)
    pd = page[NEXT_CORNER] - page
    tol = np.maximum(_within._MAX_TURN, np.arctan2(_END * 2, vnorm(pd, axis=1)))                   # (4,)
    d = covers[:, NEXT_CORNER] - covers
    turn = np.arctan2(d[..., 1], d[..., 0]) - np.arctan2(pd[:, 1], pd[:, 0])[None]
    turn = np.abs((turn + np.pi / 2) % np.pi - np.pi / 2)
    out = np.zeros(len(covers), bool)
    for i in np.flatnonzero((turn <= tol[None]).all(axis=1)):
        out[i] = _inside(covers[i], page)
    return out


def _inside(cover: np.ndarray, page: np.ndarray) -> bool:
    """The page's corners inside the cover (or within -within._INSIDE of its sides), the cover _MIN_GROW its area.
    On float64 corners in plain Python floats: the same products, sums (left to right, as numpy's over four) and
    square roots as the array version (_inside_arrays), without its dozen small-array calls (holding asks this of
    hundreds of line quads a frame on a held-up page)."""
    if cover.dtype != np.float64 or page.dtype != np.float64:
        return _inside_arrays(cover, page)
    c, p = cover.tolist(), page.tolist()
    area2 = _twice_area(c)
    if area2 != area2:   # nan corners: never inside
        return False
    sign = 1.0 if area2 > 0 else -1.0 if area2 < 0 else 0.0
    limit = -_within._INSIDE
    for k in range(4):
        (ax, ay), (bx, by) = c[k], c[(k + 1) % 4]
        nx, ny = (by - ay) * sign, -(bx - ax) * sign
        norm = max(math.sqrt(nx * nx + ny * ny), 1e-9)
        nx, ny = nx / norm, ny / norm
        for qx, qy in p:
            if not nx * (qx - ax) + ny * (qy - ay) <= limit:
                return False
    return 0.5 * abs(area2) >= _within._MIN_GROW * (0.5 * abs(_twice_area(p)))


def _twice_area(q: list) -> float:
    """Twice the signed area of four corners (lists of x, y), summed as numpy sums four values: left to right."""
    t = [q[k][0] * q[(k + 1) % 4][1] - q[k][1] * q[(k + 1) % 4][0] for k in range(4)]
    return t[0] + t[1] + t[2] + t[3]


def _inside_arrays(cover: np.ndarray, page: np.ndarray) -> bool:
    """_inside on arrays of any dtype."""
    d = cover[NEXT_CORNER] - cover
    x, y = cover[:, 0], cover[:, 1]
    area2 = float((x * y[NEXT_CORNER] - y * x[NEXT_CORNER]).sum())
    normal = np.stack([d[:, 1], -d[:, 0]], axis=-1) * np.sign(area2)
    normal /= np.maximum(vnorm(normal, axis=1, keepdims=True), 1e-9)
    out = np.einsum("sk,sck->sc", normal, page[None] - cover[:, None, :])
    px, py = page[:, 0], page[:, 1]
    page_area = 0.5 * abs(float((px * py[NEXT_CORNER] - py * px[NEXT_CORNER]).sum()))
    return bool(out.max() <= -_within._INSIDE and 0.5 * abs(area2) >= _within._MIN_GROW * page_area)
