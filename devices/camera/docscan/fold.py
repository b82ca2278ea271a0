"""A long line inside the page taken for its side (part of devices.camera.docscan; issue 22, a).

A newspaper's fold (the far half tilted from the light, a dark crease) or a heavy printed rule under a figure
steps as strongly as a paper edge, often more strongly than the page's own far edge over a pale desk; the outline
is then the part of the page on one side of the line. Such a side is an internal line when the page's two
neighbouring sides run on straight past it: along their extensions the desk stays just outside (the same colour
as just outside the chosen quad's own sides there) and something that is not desk just inside, up to a point
where the step ends (the page's true far corners), and the line between those two points steps too, with the
desk seen beyond those corners outside it. Then the outline takes in the band beyond the line (and the caller
refines it again). A lower sheet of a stack or a table top beyond a sheet does not pass: the extensions of the top
sheet's sides run over paper or table on both sides, not along an edge with desk outside.
"""
from __future__ import annotations

import numpy as np

from .geom import NEXT_CORNER, linspace, median, plausible_quads, vnorm
from .refine import sample_points
from .work import Work as _Work

_D = 2.0              # detection pixels from a line to its inside and outside samples
_DESK_LUMA = 12.0     # a sample is desk when its luma is within this of the desk's ...
_DESK_CHROMA = 9.0    # ... and its chroma within this
_MIN_BAND = 0.04      # the band taken in is at least this fraction of the neighbouring sides ...
_MIN_PX = 6.0         # ... and this many detection pixels (a corner's blur alone steps for 2-4)
_MAX_BAND = 2.5       # and at most this multiple of them (a far half up to 2.5 times the outlined one)
_STEP = 6.0           # opponent distance of a faint step (a pale page's far edge over a pale desk)
_TEXTURE = 2.5        # times the desk's median deviation along a side: the least step beside a textured desk
_SAME_LUMA = 8.0      # a side whose outside is within this of its neighbours' (and _SAME_CHROMA) is not looked at
_SAME_CHROMA = 6.0
_LIGHTER = 4.0        # grey levels the band (just inside the extensions) is lighter than the desk beside it
_BLACK = 0.4          # a band this dark beside the desk is print (a card's magnetic stripe), no shadow
_ALONG = 0.8          # share of the extension samples on which the neighbouring side runs on
_FAR = 0.7            # share of the far side's samples with desk outside and paper inside
_SKEW = 0.3           # the two extensions' lengths may differ by this fraction (perspective), plus 4 px


def reach_past_line(work: _Work, quad: np.ndarray) -> np.ndarray | None:
    """``quad`` (a refined outline in detection pixels, TL TR BR BL) with one side moved out onto the page's true
    edge when that side is an internal line (see the module docstring); None when no side is."""
    h, w = work.edges.shape
    best, best_area = None, _area(quad)
    # Cheap first: a side with the same desk just outside it as its two neighbours have is a true side (most
    # pages skip all four here). One batch of 7 samples a side, 2 detection pixels out.
    nxt = quad[NEXT_CORNER]
    d = nxt - quad
    normal = np.stack([d[:, 1], -d[:, 0]], axis=1) / np.maximum(vnorm(d, axis=1, keepdims=True), 1e-6)
    normal *= np.sign((((quad + nxt) / 2 - quad.mean(axis=0)) * normal).sum(axis=1, keepdims=True))
    pts = quad[:, None] + d[:, None] * linspace(0.2, 0.8, 7)[None, :, None] + normal[:, None] * _D
    outside = median(sample_points(work.opp, pts), axis=1)                                  # (4, 3)
    for k in range(4):
        around = (outside[(k - 1) % 4] + outside[(k + 1) % 4]) / 2
        same = (abs(outside[k, 0] - around[0]) < _SAME_LUMA
                and np.linalg.norm(outside[k, 1:] - around[1:]) < _SAME_CHROMA)
        if same and _in_frame(pts[k], (h, w)).all():
            continue
        ext = _extend_side(work, quad, k, (h, w))
        if ext is not None and _area(ext) > best_area:
            best, best_area = ext, _area(ext)
    return best


def _is_desk(vals: np.ndarray, desk: np.ndarray, luma: float = _DESK_LUMA) -> np.ndarray:
    return (np.abs(vals[..., 0] - desk[0]) < luma) & (vnorm(vals[..., 1:] - desk[1:], axis=-1)
                                                             < _DESK_CHROMA)


_DRIFT_LUMA, _DRIFT_CHROMA = 0.6, 0.4   # grey levels a px the desk may drift along a walk to the frame's edge ...
_LOCAL_LUMA, _LOCAL_CHROMA = 10.0, 8.0  # ... but no more than this off the few samples before (no step to a table)


def _drifting_desk(vals: np.ndarray, desk: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Desk samples along a walk under light falling off towards the frame's edge: within a bound growing with the
    distance ``t`` of the desk beside the side, and close to the mean of the six samples before each."""
    dv = vals - desk
    far = ((np.abs(dv[:, 0]) < _DESK_LUMA + _DRIFT_LUMA * t)
           & (vnorm(dv[:, 1:], axis=-1) < _DESK_CHROMA + _DRIFT_CHROMA * t))
    c = np.cumsum(np.concatenate([np.repeat(desk[None], 6, axis=0), vals]), axis=0)
    before = (c[5:-1] - np.concatenate([np.zeros((1, 3)), c[:-7]])) / 6.0     # mean of the 6 samples before each
    dl = vals - before
    return far & (np.abs(dl[:, 0]) < _LOCAL_LUMA) & (vnorm(dl[:, 1:], axis=-1) < _LOCAL_CHROMA)


def _steps(a: np.ndarray, b: np.ndarray, thr: float = _STEP) -> np.ndarray:
    """Samples whose colours differ by a step (opponent distance ``thr`` or more)."""
    return vnorm(a - b, axis=-1) >= thr


def _in_frame(pts: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    h, w = shape
    return (pts[..., 0] >= 1) & (pts[..., 0] <= w - 2) & (pts[..., 1] >= 1) & (pts[..., 1] <= h - 2)


_HEAD = 24   # samples of a walk read first by a caller asking for the walk to run on to the frame's edge


def _ends_near(work: _Work, line: np.ndarray, normal: np.ndarray, seen: np.ndarray, thr: float) -> bool:
    """Does the step along ``line`` (a walk's first samples) end for good in view (three samples in a row with no
    step, all in view up to there)? As _extend_side judges it on the whole walk: the first end is the same."""
    outside = sample_points(work.opp, line + normal * _D)
    flat = ~_steps(sample_points(work.opp, line - normal * _D), outside, thr)
    stop = np.flatnonzero(flat[:-2] & flat[1:-1] & flat[2:])
    return bool(len(stop)) and bool(seen[:stop[0] + 3].all())


def _extend_side(work: _Work, quad: np.ndarray, k: int, shape: tuple[int, int],
                 desk_span: tuple[float, float] = (0.55, 0.95), skew: float = _SKEW, grain: float = 0.0,
                 to_frame: bool = False) -> np.ndarray | None:
    """Side ``k`` moved out along its neighbours to where they end (or None); the desk is read outside each
    neighbour over ``desk_span`` of its length towards the corner, the two reaches may differ by ``skew`` of the
    longer, and with ``grain`` a sample is desk within that many times the desk's own median luma deviation too
    (docscan.pen: the desk off a pen's shadow, a pen lies across at any slant, and on wood grain). With
    ``to_frame`` both neighbours must run on to the frame's edge, and the two points where their walks leave the
    frame are returned, (2, 2), for the caller to judge (docscan.toframe: the far side is not in view)."""
    a, b = quad[k], quad[(k + 1) % 4]
    prev, nxt = quad[(k - 1) % 4], quad[(k + 2) % 4]
    centre = quad.mean(axis=0)
    reach, far, free, tol = [], [], [], [_DESK_LUMA]
    for corner, base in ((a, prev), (b, nxt)):
        side = corner - base
        length = float(np.linalg.norm(side))
        if length < 10:
            return None
        u = side / length
        normal = np.array([u[1], -u[0]])
        if np.dot((corner + base) / 2 - centre, normal) < 0:
            normal = -normal                                   # outward from the quad
        # The desk just outside this neighbouring side, over the part of it nearest the corner.
        own = base + side * linspace(*desk_span, 9)[:, None] + normal * _D
        own = own[_in_frame(own, shape)]
        if len(own) < 5:
            return None
        desk_vals = sample_points(work.opp, own)
        desk = median(desk_vals, axis=0)
        if (~_steps(sample_points(work.opp, own - 2 * _D * normal), desk_vals)).mean() > 0.3:
            return None                                        # no clear step along the side itself
        t = np.arange(1.0, _MAX_BAND * length, 1.0)
        line = corner + t[:, None] * u
        seen = _in_frame(line + normal * _D, shape) & _in_frame(line - normal * _D, shape)
        # A step must stand out from the desk's own texture (wood grain steps too, 4 px apart).
        thr = max(_STEP, _TEXTURE * float(median(vnorm(desk_vals - desk, axis=1))))
        if to_frame and _ends_near(work, line[:_HEAD], normal, seen[:_HEAD], thr):
            return None   # the page ends in view (the test below, on the walk's first samples: most end there)
        outside = sample_points(work.opp, line + normal * _D)
        inside = sample_points(work.opp, line - normal * _D)
        tol.append(grain * float(median(np.abs(desk_vals[:, 0] - desk[0]))))
        runs = (_drifting_desk(outside, desk, t) if to_frame else _is_desk(outside, desk, max(_DESK_LUMA, tol[-1]))
                ) & _steps(inside, outside, thr) & seen
        # The true corner: where the step ends for good (three samples in a row): desk on both sides, and
        # beyond the sheet's shadow, so perhaps lighter than the desk just outside its side.
        flat = ~_steps(inside, outside, thr)
        stop = np.flatnonzero(flat[:-2] & flat[1:-1] & flat[2:])
        gone = np.flatnonzero(~seen)
        if len(stop) and seen[:stop[0] + 3].all():
            if to_frame:
                return None                                    # the page ends in view
            end = int(stop[0])
        elif len(gone) and (len(stop) == 0 or stop[0] >= gone[0] - 3) and gone[0] >= 4:
            end = int(gone[0]) - 1   # the step runs on to the frame's edge: the page's corner is there (or beyond)
        else:
            return None                                        # never ends in view: not judged
        if t[end] < max(_MIN_PX, _MIN_BAND * length) or runs[1:max(end - 1, 2)].mean() < _ALONG:
            return None
        lum_in, lum_out = median(inside[:end, 0]), median(outside[:end, 0])
        if lum_out + _LIGHTER > lum_in > _BLACK * lum_out:
            return None          # not paper: a cast shadow beyond a true side (a black printed band is darker)
        reach.append(t[end])
        far.append(corner + t[end] * u)
        free.append(median(outside[end:end + 3], axis=0))
    if to_frame:
        return np.array(far)
    if abs(reach[0] - reach[1]) > skew * max(reach) + 4.0:
        return None
    # The far side: desk outside it, not desk inside it, over most of its length.
    fa, fb = far
    d = fb - fa
    n_far = np.array([d[1], -d[0]]) / max(float(np.linalg.norm(d)), 1e-6)
    if np.dot((fa + fb) / 2 - centre, n_far) < 0:
        n_far = -n_far
    pts = fa + d * linspace(0.15, 0.85, 15)[:, None]
    out = sample_points(work.opp, pts + n_far * _D)
    inn = sample_points(work.opp, pts - n_far * (_D + 1.0))
    if (_is_desk(out, (free[0] + free[1]) / 2, max(tol)) & _steps(inn, out)).mean() < _FAR:
        return None
    new = quad.copy()
    new[k], new[(k + 1) % 4] = fa, fb
    if not plausible_quads(new[None], shape).all():
        return None
    return new


def _area(q: np.ndarray) -> float:
    x, y = q[:, 0], q[:, 1]
    return 0.5 * abs(float(np.dot(x, y[NEXT_CORNER]) - np.dot(y, x[NEXT_CORNER])))
