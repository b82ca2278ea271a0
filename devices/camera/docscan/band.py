"""A cover in two colours outlined by its pale part only (part of devices.camera.docscan; issue 22 item 1, round 8).

An A5 exercise book on pale grey planks (the tuning photo fmeow-33538838.jpg): white above, an orange band across
its lower part. The white part is a page by every test (light, near-neutral, lighter than the planks on three
sides), and its lower side, the white-to-orange boundary, steps as clearly as a paper edge; the whole book scores
less (its sides change colour halfway, and the orange part is darker than the desk), so the white part is outlined
(0.615). docscan.fold, which takes in the band beyond such a line, does not: a band darker than the desk beside
it is taken there for the page's cast shadow, and the book's own shadow along its left side fades along that side.

What the band shows, and a shadow, the next sheet of a stack or a table top beyond a sheet does not: its colour.
A shadow only darkens the desk (its chroma stays the desk's), a lower sheet or a table top is as neutral as the
page. So: when the desk just outside one side of the chosen outline is of a clearly different chroma from the
desk outside the other three (the band lies there), and a region of that colour (docscan.tinted's regions,
whose chroma differs from the desk's) lies along that side, with its far side at least a few pixels out and
its two other sides running on straight from the outline's neighbouring sides, the outline takes the region in,
if the whole still scores as a page.
"""
from __future__ import annotations

import numpy as np

from .geom import NEXT_CORNER, linspace, median, order_corners, plausible_quads, vnorm
from .refine import sample_points
from .tinted import tinted_quads
from .work import Work as _Work

_D = 2.0             # detection pixels outside a side where the desk (or the band) is sampled
_TINT = 30.0         # opponent chroma distance of the band from the desk outside the other sides ...
_TINT_OVER = 2.0     # ... and this many times that desk's own chroma (a shadow moves it at most that far, to grey)
_NEAR = 4.0          # detection pixels (plus _NEAR_FRAC of the side) a region's near corner may lie from the outline's
_NEAR_FRAC = 0.05
_MIN_PX = 6.0        # the region's far side at least this far out (a corner's blur steps for 2-4)
_MAX_BAND = 1.5      # and at most this multiple of the neighbouring sides out
_MAX_TURN = np.deg2rad(8.0)   # the region's sides continue the outline's neighbouring sides within this angle


def reach_coloured_band(work: _Work, quad: np.ndarray, score) -> np.ndarray | None:
    """``quad`` (a refined outline in detection pixels, TL TR BR BL) with the coloured band beyond one of its sides
    taken in (see the module docstring), or None. ``score(work, quads)`` is the page score of (N, 4, 2) quads."""
    nxt = quad[NEXT_CORNER]
    d = nxt - quad
    normal = np.stack([d[:, 1], -d[:, 0]], axis=1) / np.maximum(vnorm(d, axis=1, keepdims=True), 1e-6)
    normal *= np.sign((((quad + nxt) / 2 - quad.mean(axis=0)) * normal).sum(axis=1, keepdims=True))
    pts = quad[:, None] + d[:, None] * linspace(0.2, 0.8, 7)[None, :, None] + normal[:, None] * _D
    chroma = median(sample_points(work.opp, pts), axis=1)[:, 1:]                      # (4, 2)
    odd = []
    for k in range(4):
        desk = median(np.delete(chroma, k, axis=0), axis=0)
        if np.linalg.norm(chroma[k] - desk) >= max(_TINT, _TINT_OVER * float(np.linalg.norm(desk))):
            odd.append(k)
    if len(odd) != 1:
        return None                              # the desk all round (most pages), or no one surface round
    k = odd[0]
    a, b = quad[k], quad[(k + 1) % 4]
    prev, after = quad[(k - 1) % 4], quad[(k + 2) % 4]
    side = float(np.linalg.norm(b - a))
    near_tol = _NEAR + _NEAR_FRAC * side
    reach = min(float(np.linalg.norm(a - prev)), float(np.linalg.norm(b - after)))
    best = None
    for region in tinted_quads(work):
        r = order_corners(region)
        ia = int(np.argmin(vnorm(r - a, axis=1)))
        ib = int(np.argmin(vnorm(r - b, axis=1)))
        if ia == ib or np.linalg.norm(r[ia] - a) > near_tol or np.linalg.norm(r[ib] - b) > near_tol:
            continue
        rest = [i for i in range(4) if i not in (ia, ib)]
        fa = r[min(rest, key=lambda i: np.linalg.norm(r[i] - a))]
        fb = r[max(rest, key=lambda i: np.linalg.norm(r[i] - a))]
        out = [float((f - c) @ normal[k]) for f, c in ((fa, a), (fb, b))]
        if min(out) < _MIN_PX or max(out) > _MAX_BAND * reach:
            continue
        if _turn(a - prev, fa - a) > _MAX_TURN or _turn(b - after, fb - b) > _MAX_TURN:
            continue
        new = quad.copy()
        new[k], new[(k + 1) % 4] = fa, fb
        if plausible_quads(new[None], work.opp.shape[:2]).all():
            best = new
            break
    if best is None or float(score(work, best[None])[0]) <= 0.0:
        return None
    return best


def _turn(u: np.ndarray, v: np.ndarray) -> float:
    """Angle between two directions (radians)."""
    c = float(u @ v) / max(float(np.linalg.norm(u) * np.linalg.norm(v)), 1e-9)
    return float(np.arccos(np.clip(c, -1.0, 1.0)))
