"""A card outlined together with the form under it, narrowed to where its sides stop stepping against the desk
(part of devices.camera.docscan; issue 22 item 1, round 35).

An ID card or a small printed sheet lying partly on a white printed form: three sides against the desk, the fourth
over the form. docscan.ended (round 33) closes such a card where nothing was outlined; but often an earlier stage
outlines something: the card's two sides leaving the form run on as straight lines along the form's edge or over it
to the form's far edge or the frame border (the card and the form outlined together), or the card is cut at a
printed rule on it. What a person sees: the card's two sides that leave the form step against the desk only up to
where the card ends; beyond, the same line is the form's edge or no edge at all.

So, on the chosen outline (paper path, after docscan.onsheet, before refinement), ``card_past_form`` asks
docscan.ended's own reading with the outline alone as the line quads: each of its sides supported between its
corners is a base (docscan.fourth's base_triples), its two neighbours are followed outwards while they step against
the desk the way they step next to the base (docscan.ended's walk), both must end at about the same distance, and
here both must end short of the outline's own corners by _RUN_ON of the base's length (at least _MOVED px: the
outline runs on past the card). The fourth side is looked for at full resolution about the NEARER end (the other
side may step on a little where the form's edge leaves the card's corner), with docscan.fourth's find_fourth, and
must step _CLEAR grey levels or more (docscan.ended, with no outline to replace, takes 1.5); the quad is closed and
checked as docscan.ended has it. The card found replaces the outline only when both ends of its fourth side lie
inside the outline by that much (so only narrowing: a card outlined whole, whose fourth side is found a few px off,
is left), and when that side is sharp, not a shadow's soft edge across a page (its step 4 detection px out is at most
_SOFT of the largest within 1.5 px). A real page's sides step on to its own far side, where the outline already is: a
page with a printed frame, a fold or a rule, or a pale patch beside it, is left as it was. The card is returned as
docscan.ended's is (docscan.fourth's top_page: three sides refined, the fourth kept where found).
"""
from __future__ import annotations

import math

import cv2
import numpy as np

from .ended import ended_card, walks_ends
from .fourth import _BASE_SUPPORT, _REACH
from .geom import linspace, median, vnorm
from .pen import side_profiles
from .refine import sample_points, side_support
from .work import Work as _Work

_MOVED = 4.0     # detection px: both ends of the card's fourth side lie this far or further inside the outline ...
_RUN_ON = 0.15   # ... and this fraction of the base's length (the outline's sides run on past the card's)
_CLEAR = 4.0     # grey levels the card's fourth side steps at least at full resolution (the card against the form;
#                  docscan.ended, with no outline to replace, takes 1.5): a card's print or photo block inside a
#                  card outlined whole steps less where its side against the desk changes colour (seed 205: 1.8)
_NEAR = (0.25, 0.5, 0.75, 1.0, 1.5)   # detection px either side of the fourth side: a sharp edge's step ...
_FAR = 4.0                            # ... against the step this far out: a shadow's soft edge steps more there
_SOFT = 0.8
# Round 38: the narrowed outline must be a card, not a printed table inside the form (unseen seed 2266: a skewed,
# nearly square box of the form's table, its fourth side a table rule with the form's white on both flanks).
_SQUARE = 10.0             # degrees: every corner of the card within this of a right angle (2266: 14.5; the
#                            analogue's cards at most 8) ...
_ASPECT = (0.55, 0.80)     # ... and its short over its long sides within this (ID card 0.63, A5/A4 0.71; 2266: 0.95)
_FLANK = (3.0, 4.0, 5.0, 6.0, 7.0)   # detection px either side of the fourth side where the paper is read
_N_FLANK = 30              # places along it
_PAPER = 80                # percentile of the luma read there: the paper, not its print
_CHANGE = 3.5              # opponent distance between the papers on the two flanks (the card's against the form's;
#                            2266's table rule: 2.6; the analogue's cards 4.2-10.3)
_EPS = 1e-6                # detection px of slack in the early-outs' bounds (so they only ever skip less)


def card_past_form(img: np.ndarray, work: _Work, outline: np.ndarray, paper_inside
                   ) -> tuple[np.ndarray, float, int] | None:
    """The card's quad (small-image coordinates, TL TR BR BL), a score and which side is its fourth (as
    docscan.ended.ended_card), found on the chosen ``outline`` (small-image, TL TR BR BL), or None."""
    short, square, cap = _bases(outline)
    if not any(a and b for a, b in zip(short, square)):
        # no side's neighbours are long enough for both walks to end short of their corners (within), or every card
        # found would keep a corner of the outline that is not square (_card_shaped)
        return None

    def caps(c1, c2, da, db):   # the furthest each end may lie for within to take it
        run = max(_MOVED, _RUN_ON * float(np.linalg.norm(c2 - c1)))
        return _length(outline, c1, da) - run + _EPS, _length(outline, c2, db) - run + _EPS

    def within(c1, c2, da, db, ends, margin):
        # both sides stop stepping well short of the outline's own corners beyond (they run on past the card's end);
        # the fourth side is looked for about the nearer end (the other side may step on a little along the form's
        # edge where it leaves the card's corner)
        run = max(_MOVED, _RUN_ON * float(np.linalg.norm(c2 - c1)))
        if ends[0] > _length(outline, c1, da) - run or ends[1] > _length(outline, c2, db) - run:
            return None
        return min(ends) - margin, min(ends) + margin

    # the walks first, on every base within can take (the triples as base_triples makes them: the same numbers),
    # before base_triples' reading of the bases and the outline's support: a card needs one base's walks taken
    sides, triples = zip(*_triples(outline, short))
    if not any(ends and within(*t, ends, 0.0) for t, ends in zip(triples, walks_ends(work.opp, triples,
                                                                                      [cap[i] for i in sides]))):
        return None
    support, known, _, _ = side_support(work.opp, outline[None], n=24)
    short = np.array(short)
    if not (short & np.array(square) & (support[0] >= _BASE_SUPPORT) & (known[0] >= 0.9)).any():
        return None   # (base_triples' own test on a base, with the two above)
    support = np.where(short, support, 0.0)   # a base whose walks within refuses anyway is not read (base_triples)
    found = ended_card(img, work, paper_inside, (outline[None], support, known), within, clear=_CLEAR, caps=caps)
    if found is None:
        return None
    quad, _, fourth = found
    ends = quad[[fourth, (fourth + 1) % 4]]
    base = quad[[(fourth + 2) % 4, (fourth + 3) % 4]]
    # the outline's side the card's fourth side stands in for: the one opposite the base (the base is one of the
    # outline's sides). Both of the fourth side's ends must lie well inside the outline: the outline's sides run on
    # past where the card's stop stepping against the desk (a card outlined alone, its fourth side a few px off the
    # side found here, is left as it is)
    a, b = outline, np.roll(outline, -1, axis=0)
    at_base = np.minimum(np.linalg.norm(a - base[0], axis=1) + np.linalg.norm(b - base[1], axis=1),
                         np.linalg.norm(a - base[1], axis=1) + np.linalg.norm(b - base[0], axis=1))
    k = (int(np.argmin(at_base)) + 2) % 4
    d = b[k] - a[k]
    n = np.array([-d[1], d[0]]) / max(float(np.linalg.norm(d)), 1e-9)
    n *= np.sign(float((outline.mean(axis=0) - a[k]) @ n)) or 1.0   # towards the outline's inside
    if float(((ends - a[k]) @ n).min()) < max(_MOVED, _RUN_ON * float(np.linalg.norm(base[1] - base[0]))):
        return None
    if not _card_shaped(quad) or not _paper_changes(work, quad, fourth):
        return None
    return None if _soft(img, quad, fourth, work.scale) else found


def _bases(outline: np.ndarray) -> tuple[list[bool], list[bool], list[tuple[float, float]]]:
    """Per side of ``outline`` (from corner i to i + 1) as docscan.fourth's base_triples takes it (the neighbours
    leaving its corners i + 1 and i towards corners i + 2 and i + 3): whether both neighbours run on far enough for a
    walk's end (_REACH[0] base lengths at least) to lie short of their corners by within's margin, whether both its
    corners are within _SQUARE of a right angle (a card found on it keeps them: the neighbours' lines), and the
    furthest each walk's end may lie for within to take it (_length less the margin, _EPS more). In plain floats (four
    corners: numpy's calls cost more than the arithmetic); the bounds carry _EPS against their last bits."""
    o = [(float(x), float(y)) for x, y in outline]
    if min(max(abs(a[0] - b[0]), abs(a[1] - b[1])) for i, a in enumerate(o) for b in o[i + 1:]) < 3.0:
        return [True] * 4, [True] * 4, [(math.inf, math.inf)] * 4   # base_triples would merge two bases as one
    d = [(o[(i + 1) % 4][0] - o[i][0], o[(i + 1) % 4][1] - o[i][1]) for i in range(4)]
    ln = [max(math.hypot(*v), 1e-9) for v in d]
    bent = []   # at corner i + 1: the angle between sides i and i + 1 off a right one by more than _SQUARE
    for i in range(4):
        a, b = d[i], d[(i + 1) % 4]
        cos = min(1.0, max(-1.0, -(a[0] * b[0] + a[1] * b[1]) / (ln[i] * ln[(i + 1) % 4])))
        bent.append(abs(math.degrees(math.acos(cos)) - 90.0) > _SQUARE + 1e-6)

    def length(c: int, far: int) -> float:   # _length from corner c along the line to corner far
        cx, cy = o[c]
        n = max(math.hypot(o[far][0] - cx, o[far][1] - cy), 1e-9)
        ux, uy = (o[far][0] - cx) / n, (o[far][1] - cy) / n
        near = [(abs((x - cx) * uy - (y - cy) * ux), (x - cx) * ux + (y - cy) * uy) for x, y in o]
        near = [m for m in near if m[1] > 1.0]
        return min(near, key=lambda m: m[0])[1] if near else 0.0   # (the first nearest, as argmin)

    short, square, cap = [], [], []
    for i in range(4):
        run = max(_MOVED, _RUN_ON * ln[i])
        cap.append((length((i + 1) % 4, (i + 2) % 4) - run + _EPS, length(i, (i + 3) % 4) - run + _EPS))
        short.append(min(cap[-1]) >= _REACH[0] * ln[i])
        square.append(not bent[i] and not bent[i - 1])
    return short, square, cap


def _triples(outline: np.ndarray, keep: np.ndarray) -> list[tuple[int, tuple[np.ndarray, ...]]]:
    """The sides ``keep`` of ``outline`` with their base triples (c1, c2, da, db), computed as docscan.fourth's
    base_triples computes them from line quads (so its walks read the very same points)."""
    lq, k = outline[None], np.arange(4)
    c1, c2 = lq[:, (k + 3) % 4].reshape(-1, 2), lq[:, (k + 2) % 4].reshape(-1, 2)
    da, db = lq[:, k].reshape(-1, 2) - c1, lq[:, (k + 1) % 4].reshape(-1, 2) - c2
    da /= np.maximum(vnorm(da, axis=1, keepdims=True), 1e-9)
    db /= np.maximum(vnorm(db, axis=1, keepdims=True), 1e-9)
    return [((i + 2) % 4, (c1[i], c2[i], da[i], db[i])) for i in range(4) if keep[(i + 2) % 4]]


def _card_shaped(quad: np.ndarray) -> bool:
    """Whether ``quad`` is a convex quad with near-right corners (_SQUARE) and a card's or a sheet's aspect."""
    d = np.roll(quad, -1, axis=0) - quad
    cross = d[:, 0] * np.roll(d, -1, axis=0)[:, 1] - d[:, 1] * np.roll(d, -1, axis=0)[:, 0]
    if not ((cross > 0).all() or (cross < 0).all()):
        return False
    ln = np.maximum(np.linalg.norm(d, axis=1), 1e-9)
    cos = -(d * np.roll(d, -1, axis=0)).sum(axis=1) / (ln * np.roll(ln, -1))
    if float(np.abs(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))) - 90.0).max()) > _SQUARE:
        return False
    a, b = ln[0] + ln[2], ln[1] + ln[3]
    return _ASPECT[0] <= min(a, b) / max(a, b) <= _ASPECT[1]


def _paper_changes(work: _Work, quad: np.ndarray, fourth: int) -> bool:
    """Whether the paper changes across the fourth side (from corner ``fourth``): the paper's colour just inside and
    just beyond it (docscan.pen's side_profiles, as docscan.margin reads a printed frame's flanks; luma as its
    _PAPER percentile, chroma as the median) at least _CHANGE apart. A printed rule has the same paper on both."""
    offs = np.concatenate([-np.asarray(_FLANK), np.asarray(_FLANK)])
    _, seen, vals = side_profiles(work, quad, offs, _N_FLANK)
    ok = seen[fourth].all(axis=1)
    if not ok.any():
        return False
    v = vals[fourth][ok]
    vin, vout = v[:, :len(_FLANK)].reshape(-1, 3), v[:, len(_FLANK):].reshape(-1, 3)
    luma = float(np.percentile(vin[:, 0], _PAPER) - np.percentile(vout[:, 0], _PAPER))
    chroma = float(np.linalg.norm(np.median(vin[:, 1:], axis=0) - np.median(vout[:, 1:], axis=0)))
    return float(np.hypot(luma, chroma)) >= _CHANGE


def _soft(img: np.ndarray, quad: np.ndarray, fourth: int, scale: float) -> bool:
    """Whether the fourth side (small-image ``quad``'s side from corner ``fourth``) is a soft edge: the median luma
    step across it, read _FAR detection px either side, larger than _SOFT times the largest read within _NEAR (a
    shadow's penumbra across a page widens outwards; a card's edge over a form is sharp, its step largest near it)."""
    full = (quad + 0.5) / scale - 0.5
    a, b = full[fourth], full[(fourth + 1) % 4]
    d = b - a
    n = np.array([-d[1], d[0]]) / max(float(np.linalg.norm(d)), 1e-9)
    n *= np.sign(float((full.mean(axis=0) - a) @ n)) or 1.0
    luma = (cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img)[..., None].astype(np.float32)
    pts = a + d * linspace(0.15, 0.85, 30)[:, None]

    def step(off: float) -> float:
        off /= scale
        return abs(float(median(sample_points(luma, pts + n * off)[:, 0] - sample_points(luma, pts - n * off)[:, 0])))

    return step(_FAR) > _SOFT * max(step(o) for o in _NEAR)


def _length(outline: np.ndarray, c: np.ndarray, d: np.ndarray) -> float:
    """How far the outline's side leaving its corner ``c`` along the unit direction ``d`` runs: to the corner lying
    nearest that line (not ``c``)."""
    rel = outline - c
    along = rel @ d
    off = np.abs(rel @ np.array([-d[1], d[0]]))
    off[along <= 1.0] = np.inf
    return float(along[int(np.argmin(off))]) if np.isfinite(off).any() else 0.0
