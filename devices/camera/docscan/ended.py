"""A card whose fourth side lies over white paper, found where its other sides end (part of devices.camera.docscan;
issue 22 item 1, round 33).

An ID card lying partly on a white printed form shows three sides against the desk (dark, striped or busy) and a
fourth over the form, where card and form differ by a few grey levels: no edge pixels along it at the detection
scale, no Hough line, so no quad of the card is among the candidates and nothing is outlined. What a person sees:
three clear sides of a light card-shaped thing whose two sides leaving the third STOP stepping against the desk at
the same place, where a faint edge runs over the paper. Only where nothing was outlined (the last of the last look,
after docscan.fourth's top page of a white stack), ``ended_card`` takes each supported side of the ordinary line
quads as a base with its two neighbours (docscan.fourth.base_triples), reads along each neighbour from the base
outwards, at the detection scale, where its step against the desk keeps the colour it has next to the base (a gap up
to _GAP of the base's length, a stripe of the desk the colour of the card, a corner of the paper under it, is
bridged); both must end, at about the same distance (_AGREE), within 0.45-2.0 base lengths and in frame (a side
running on past the card is a table's or a page's). The fourth side is then looked for at full resolution between
those ends only (docscan.fourth.find_fourth, where a faint step of 1.5 grey levels is enough: the ends bound it;
print is allowed on the flank away from the card, the paper under it is a printed form, but not on the card's own
flank, as docscan.fourth has it), the quad's three other sides must be supported (_STRONG), lighter inside than out
(_LIFT: a shadow patch or a grey folder is darker than the desk) and paper inside (docscan.fourth.close_quad), the
best supported quad is taken, and its three sides are refined as docscan.fourth's top page is. An ID-1 card's aspect
is not asked for: the ends alone bound the side.
"""
from __future__ import annotations

import numpy as np

from .fourth import _REACH, _luma, _to_border, base_triples, close_quad, find_fourth
from .refine import STEP_MIN, dot3, sample_points, side_support
from .work import Work as _Work

_FLANK = 2.0          # detection pixels either side of a neighbour's line read for its step
_GAP = 0.2            # of the base's length: a gap in a neighbour's step bridged (a stripe, a corner of paper)
_AGREE = 0.25         # of the base's length (+ _AGREE_PX): how far apart the two neighbours' ends may lie
_AGREE_PX = 3.0
_MARGIN = 0.08        # of the base's length (+ _MARGIN_PX): how far the fourth side may lie off the ends
_MARGIN_PX = 2.0
_HELD = 0.75          # the share of a neighbour's samples stepping, base to end
_INK_COLS = (0.4, 1.0)   # ink allowed on the card's flank (as docscan.fourth) and outside (the form's print)
_LIFT = 0.0           # grey levels the inside must be lighter than the outside along each of the three sides
_STRONG = 0.75        # each of the three sides of the quad closed, as docscan.fourth reads them


def _walk(opp: np.ndarray, p0: np.ndarray, d: np.ndarray, base: float, cap: float) -> tuple[np.ndarray, float] | None:
    """The distances from ``p0`` an _end walk reads and its limit; None when no end can be taken."""
    limit = min(_REACH[1] * base, _to_border(p0, d, opp.shape[:2]) - _FLANK - 1)
    if limit < _REACH[0] * base or cap < _REACH[0] * base:
        return None   # (an end is _REACH[0] base lengths out at least)
    # samples past cap + _GAP cannot move an end within cap: the gap after it lies inside the samples read (and an end
    # not ended by then lies past cap); the reference step is read within _REACH[0] <= cap
    return np.arange(1.0, min(limit, np.floor(cap + _GAP * base) + 2.0), 1.0), limit


def _flanks(p0: np.ndarray, d: np.ndarray, inward: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = p0[None] + d[None] * k[:, None]
    return p + inward * _FLANK, p - inward * _FLANK


def _steps(inner: np.ndarray, outer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The step's size and unit colour direction from the samples of the two flanks."""
    diff = inner - outer
    mag = np.sqrt(dot3(diff, diff))
    return mag, diff / np.maximum(mag, 1e-6)[:, None]


def _ended(mag: np.ndarray, unit: np.ndarray, k: np.ndarray, base: float, limit: float, cap: float) -> float | None:
    """_end's judgement of a walk's steps (``mag``, ``unit`` at the distances ``k``)."""
    near = k <= _REACH[0] * base
    ref = (unit * (mag > STEP_MIN)[:, None])[near].sum(axis=0)
    ref /= max(float(np.linalg.norm(ref)), 1e-6)
    step = (mag > STEP_MIN) & (unit @ ref > 0.5)
    on = np.flatnonzero(step)
    if len(on) == 0:
        return None
    gaps = np.flatnonzero(np.diff(on) > _GAP * base)
    last = on[gaps[0]] if len(gaps) else on[-1]
    end = float(k[last])
    if end >= limit - _GAP * base or end < _REACH[0] * base or step[: last + 1].mean() < _HELD:
        return None
    return None if end > cap else end


def _end(opp: np.ndarray, p0: np.ndarray, d: np.ndarray, inward: np.ndarray, base: float, cap: float = np.inf
         ) -> float | None:
    """How far from ``p0`` along the unit direction ``d`` the side there stops stepping the way it steps next to the
    base (``inward``: the unit normal towards the card), in detection pixels; None if it runs on to the frame or
    past _REACH[1] base lengths, or is not held from the base to its end. ``cap``: the caller refuses an end past
    it (docscan.runon, the two ends' agreement), so None there; the walk then reads only up to _GAP past it."""
    walk = _walk(opp, p0, d, base, cap)
    if walk is None:
        return None
    inner, outer = _flanks(p0, d, inward, walk[0])
    return _ended(*_steps(sample_points(opp, inner), sample_points(opp, outer)), walk[0], base, walk[1], cap)


def walks_ends(opp: np.ndarray, triples: list, caps: list) -> list[tuple[float, float] | None]:
    """walk_ends for several base triples (c1, c2, da, db) with their ``caps`` (cap_a, cap_b), the first walks'
    samples read in one go (the same points, each sampled as alone: the same ends)."""
    walks = [_walk(opp, c1, da, float(np.linalg.norm(c2 - c1)), cap[0]) for (c1, c2, da, _), cap in zip(triples, caps)]
    flanks = [_flanks(t[0], t[2], (t[1] - t[0]) / max(float(np.linalg.norm(t[1] - t[0])), 1e-9), w[0])
              for t, w in zip(triples, walks) if w is not None]
    if not flanks:
        return [None] * len(triples)
    mag, unit = _steps(sample_points(opp, np.concatenate([f[0] for f in flanks])),
                       sample_points(opp, np.concatenate([f[1] for f in flanks])))
    out, at = [], 0
    for (c1, c2, da, db), cap, walk in zip(triples, caps, walks):
        if walk is None:
            out.append(None)
            continue
        k, limit = walk
        base = float(np.linalg.norm(c2 - c1))
        end_a = _ended(mag[at:at + len(k)], unit[at:at + len(k)], k, base, limit, cap[0])
        at += len(k)
        out.append(None if end_a is None else walk_ends(opp, c1, c2, da, db, lambda *_, cap=cap: cap, end_a))
    return out


def walk_ends(opp: np.ndarray, c1: np.ndarray, c2: np.ndarray, da: np.ndarray, db: np.ndarray, caps=None,
              end_a: float | None = None) -> tuple[float, float] | None:
    """Where the base triple's two neighbours end (``_end`` from c1 along da and from c2 along db), or None unless
    both end and agree (_AGREE). ``caps``: as ended_card's; ``end_a``: the first walk's end if already read."""
    base = float(np.linalg.norm(c2 - c1))
    across = (c2 - c1) / max(base, 1e-9)
    cap_a, cap_b = (np.inf, np.inf) if caps is None else caps(c1, c2, da, db)
    end_a = _end(opp, c1, da, across, base, cap_a) if end_a is None else end_a
    if end_a is None:
        return None   # (refused without the second walk)
    # an end further than the first's by more than _AGREE is refused: the second walk stops there
    end_b = _end(opp, c2, db, -across, base, min(cap_b, end_a + _AGREE * base + _AGREE_PX + 1e-6))
    if end_b is None or abs(end_a - end_b) > _AGREE * base + _AGREE_PX:
        return None
    return end_a, end_b


def ended_card(img: np.ndarray, work: _Work, paper_inside, evidence: tuple, within=None, clear: float = 0.0,
               caps=None) -> tuple[np.ndarray, float, int] | None:
    """A card's quad (small-image coordinates, TL TR BR BL), a score and which side (from corner i to i + 1) is the
    fourth, found where its two sides leaving a third end (see the module's docstring), or None. ``evidence``: the
    line quads of the frame (docscan.lines.line_quads). ``within`` (docscan.runon): (c1, c2, da, db, ends, margin)
    -> the reach along the neighbours the fourth side is looked for in, or None to pass the base; default: between
    the two ends, ``margin`` either side; ``clear``: grey levels the fourth side must step at least (default: any
    step find_fourth takes); ``caps``: (c1, c2, da, db) -> the furthest each end may lie for ``within`` to take it (the
    walks stop there; default: no bound)."""
    bases = base_triples(work, paper_inside, evidence)
    if not bases:
        return None
    luma = None
    made = []
    for c1, c2, da, db in bases:
        base = float(np.linalg.norm(c2 - c1))
        ends = walk_ends(work.opp, c1, c2, da, db, caps)
        if ends is None:
            continue
        margin = _MARGIN * base + _MARGIN_PX
        reach = (min(ends) - margin, max(ends) + margin) if within is None else within(c1, c2, da, db, ends, margin)
        if reach is None:
            continue
        luma = _luma(img) if luma is None else luma
        found = find_fourth(luma, work.scale, work.opp.shape[:2], c1, c2, da, db, reach=reach, ink_cols=_INK_COLS)
        if found is None or abs(found[1]) < clear:
            continue
        closed = close_quad(work, paper_inside, c1, c2, da, db, found[0], floor=_STRONG)
        if closed is None:
            continue
        quad, three, fourth = closed
        lift = side_support(work.opp, quad[None], n=24)[3][0, np.arange(4) != fourth]
        if lift.min() <= _LIFT:
            continue   # a card is lighter than the desk along its three sides, not a shadow patch or a folder
        made.append((quad, float(0.5 * three.mean() + 0.5 * min(1.0, 0.5 + abs(found[1]) / 10.0)), fourth))
    if not made:
        return None
    return max(made, key=lambda m: m[1])
