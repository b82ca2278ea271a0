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

import cv2
import numpy as np

from .ended import ended_card
from .geom import linspace, median
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


def card_past_form(img: np.ndarray, work: _Work, outline: np.ndarray, paper_inside
                   ) -> tuple[np.ndarray, float, int] | None:
    """The card's quad (small-image coordinates, TL TR BR BL), a score and which side is its fourth (as
    docscan.ended.ended_card), found on the chosen ``outline`` (small-image, TL TR BR BL), or None."""
    support, known, _, _ = side_support(work.opp, outline[None], n=24)

    def within(c1, c2, da, db, ends, margin):
        # both sides stop stepping well short of the outline's own corners beyond (they run on past the card's end);
        # the fourth side is looked for about the nearer end (the other side may step on a little along the form's
        # edge where it leaves the card's corner)
        run = max(_MOVED, _RUN_ON * float(np.linalg.norm(c2 - c1)))
        if ends[0] > _length(outline, c1, da) - run or ends[1] > _length(outline, c2, db) - run:
            return None
        return min(ends) - margin, min(ends) + margin

    found = ended_card(img, work, paper_inside, (outline[None], support, known), within, clear=_CLEAR)
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
    return None if _soft(img, quad, fourth, work.scale) else found


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
