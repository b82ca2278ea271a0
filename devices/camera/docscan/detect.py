"""Page detection: find the four corners of a sheet or card lying under a document camera.

The classic recipe (Canny, largest 4-point contour) trusts one closed contour, so a finger over an edge, a
low-contrast desk or a shadow breaks it. Here detection has four stages:

1. Edges, on a small copy (long side 320 px): Canny on luma and both chroma channels, keeping only pixels
   where the colour really steps (thin lines such as text, table rules, mat grids or wood grain do not).
2. Candidates: quads from 4 Hough lines (docscan.lines; a finger over an edge or a corner only shortens a
   side's line, and the frame borders close a page running off the image), plus convex hulls of edge
   chains and of bright regions reduced to four corners by intersecting their longest hull edges.
3. Scoring: every side must show a colour step of constant colour along most of its length, lighter on
   the inside; the inside must look like paper (light, one colour apart from ink); the aspect must be
   paper-like. Among near-best quads the outermost well-supported one wins (docscan.outer), so the page
   beats its own printed frame and a page running off the frame beats a quad closed by a line of text.
   A large outline is looked into once more (docscan.inner): a sheet lying on a pale table top is the page,
   not the table; a sheet only a shade off its table, whose sides step too little for that, is looked for once
   more at lower thresholds (docscan.faint). When no paper page is found, a coloured cover (docscan.cover:
   dark or many-coloured inside, but carrying print, with one colour step all round) may be the page; and a paper
   page with a cover's colour round it may be a picture printed on that cover (docscan.within).
4. Refinement at full resolution (docscan.refine.refine_once): profiles across each side locate the step
   with sub-pixel precision, a robust line fit per side ignores points hidden by fingers, corners are the
   intersections of those lines, and outlines whose edge points do not lie on straight lines (coins, cups)
   are rejected. A side that is a fold or a heavy rule inside the page, with the page's neighbouring sides
   running on past it to its true edge, moves out there (docscan.fold).
5. A stack of pages (docscan.stack.peel_stack): the strongest steps are the lower sheets' edges against the
   desk, so the outline may be the stack's union; each side moves in onto a continuous second sheet edge
   (the top sheet's, over the sheet below) when one runs inside it.
"""
from __future__ import annotations

import cv2
import numpy as np

from .backlit import BENT_STRAIGHT, backlit_page, overexposed
from .band import reach_coloured_band
from .book import dark_book
from .blinds import close_blinds
from .beyond import paper_page, to_cover_edge
from .block import near_edge
from .border import stop_at_paper_edge
from .bowed import HELD_STRAIGHT
from .card import card_quads
from .coloured import coloured_sheet
from .column import receipt_column
from .corner import corner_card
from .curved import bowed_outline
from .darker import card_shaped, darker_card, still_darker
from .dimblinds import dim_backlit, dim_blinds
from .edges import BANDS as _BANDS, OPP_TO_BANDS as _OPP_TO_BANDS, as_bgr, downscale, edge_work as _edge_work
from .ended import ended_card
from .ends import borrowed_side
from .faint import GAIN as FAINT_GAIN, faint_sheet
from .fold import reach_past_line
from .geom import Quad, order_corners, plausible_quads
from .geom import area as _area, order_batch as _order_batch, order_rows, to_full as _to_full, to_small as _to_small
from .fourth import fourth_side, top_page as _top_page
from .hulls import hull_quads
from .inline import stop_in_line
from .inner import prefer_inner
from .lines import frame_lines, line_quads
from .margin import to_sheet_edge
from .pen import past_a_pen
from .piece import grow_card
from .onsheet import card_on_sheet
from .lit import cover_round_page   # docscan.within, also under uneven light
from .toframe import to_frame_border
from .titled import printed_cover   # docscan.cover, also under uneven light (.lit) or plain but for a title (.titled)
from .outer import drop_shadow_band, prefer_outer
from .refine import refine_quad, side_support, to_opponent
from .reject import closed_by_a_thin_thing, strip_of_paper
from .rim import rim_page
from .runoff import reach_frame
from .runon import card_past_form
from .shade import off_the_border
from .slip import receipt_slip
from .stack import peel_stack
from .steep import steep_evidence
from .tinted import tinted_quads
from .whites import white_on_white_quads
from .work import Work as _Work
from .evidence import combine as _combine, paper_inside as _paper_inside   # scoring (docscan.evidence)

WORK_LONG_SIDE = 320          # detection resolution: fast, yet a page edge spans a hundred pixels or more
MIN_SCORE = 0.62              # below this the best candidate is not believed to be a page
_MAX_REFINED = 3              # candidates refined before giving up on a frame
_MIN_STRAIGHT = 0.5           # page sides are straight: most of their edge points lie on one line
_N_FULL_SCORE = 120           # candidates that get the full (slower) score after a coarse one
_CONFIDENT = 0.95             # a solid, wholly visible line quad scoring this needs no hull candidates
ENDED = True                  # docscan.ended on (a switch for timing it against main)
CORNER = True                 # docscan.corner on (the same)
RUNON = True                  # docscan.runon on (likewise)
_RESCORE_MOVED = 2.0          # detection pixels a refined corner may move before the outline is scored again


def page_score(img: np.ndarray, quad: np.ndarray) -> float:
    """How much a full-image quad looks like a page outline, on the same scale as detection (0 = not a
    page, MIN_SCORE and up = a page), read from samples of the frame itself: no downscaled copy is made, so
    checking a tracked outline costs well under a millisecond."""
    h, w = img.shape[:2]
    scale = WORK_LONG_SIDE / max(h, w)
    quads = np.asarray(quad, np.float64).reshape(1, 4, 2)
    if not plausible_quads(_to_small(quads, scale), (max(1, round(h * scale)), max(1, round(w * scale)))).all():
        return 0.0
    support, known, lum_in, lift = side_support(img, quads, n=24, d=2.0 / scale, bgr=True)
    score = _combine(quads, support, known, lum_in, lift, (h, w))[0]
    return float(score[0] * _paper_inside(img, quads, bgr=True, spread=1.0 / scale)[0])


def _prepare(img: np.ndarray) -> _Work:
    small = downscale(img, WORK_LONG_SIDE)
    scale = small.shape[1] / img.shape[1]
    small = cv2.GaussianBlur(small, (0, 0), 0.8)
    # Canny on the three opponent channels at once (OpenCV keeps, per pixel, the channel with the largest
    # gradient). Luma is scaled so one pair of thresholds fits all: 18/45 grey levels of luma, 14/36 of chroma.
    return _edge_work(to_opponent(small), cv2.transform(small, _BANDS), scale, 1.0)


# ------------------------------------------------------------------------------------------- candidates
# ------------------------------------------------------------------------------------------- scoring
def score_quads(work: _Work, quads: np.ndarray) -> np.ndarray:
    """How much each small-image quad (N, 4, 2, ordered TL TR BR BL) looks like a page outline; 0 = not."""
    return _score_details(work, quads)[0]


def _score_details(work: _Work, quads: np.ndarray, n: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """Scores, and whether each quad is a solid outline: wholly in frame with every side well supported."""
    scores = np.zeros(len(quads))
    solid = np.zeros(len(quads), bool)
    if len(quads) == 0:
        return scores, solid
    shape = work.opp.shape[:2]
    ok = np.flatnonzero(plausible_quads(quads, shape))
    if len(ok) > 0:
        support, known, lum_in, lift = side_support(work.opp, quads[ok], n=n)
        scores[ok], solid[ok] = _combine(quads[ok], support, known, lum_in, lift, shape)
        if n > 8:
            paper = _paper_inside(work.opp, quads[ok])
            scores[ok] *= paper
            solid[ok] &= paper
    return scores, solid


def _line_evidence(work: _Work, lines: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """Quads of four Hough lines with their evidence read off line profiles (see docscan.lines.line_quads)."""
    return line_quads(work.opp, _hough(work) if lines is None else lines)


def _hough(work: _Work) -> np.ndarray:
    return frame_lines(work)   # made once a frame (docscan.lines.frame_lines)


def _line_candidates(work: _Work, evidence: tuple[np.ndarray, ...] | None = None, cover: bool = False
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Quads of four Hough lines (ordered TL TR BR BL) with a cheap first score read off line profiles
    (``cover``: scored as coloured covers, see _combine)."""
    lq, ls, lk, ll, lift = _line_evidence(work) if evidence is None else evidence
    if len(lq) == 0:
        return np.zeros((0, 4, 2)), np.zeros(0)
    scores = _combine(lq, ls, lk, ll, lift, work.edges.shape, cover)[0]
    return (_order_batch(lq) if cover else order_rows(lq, scores >= MIN_SCORE * 0.7)), scores   # geom.order_rows


def _cover_candidates(work: _Work, evidence: tuple[np.ndarray, ...], keep=None) -> tuple[np.ndarray, np.ndarray]:
    """The best-scoring solid line quads wholly in frame (and among those ``keep`` keeps, if given) whose inside is a
    printed cover (docscan.cover)."""
    lq, lc = _line_candidates(work, evidence, cover=True)
    m = keep(lq) if keep is not None and len(lq) else slice(None)
    lq, lc = lq[m], lc[m]
    keep = np.argsort(-lc)[:_N_FULL_SCORE]
    quads = lq[keep[lc[keep] > MIN_SCORE * 0.7]]
    if len(quads) == 0:
        return quads, np.zeros(0)
    quads = quads[plausible_quads(quads, work.opp.shape[:2])]
    scores, solid = _combine(quads, *side_support(work.opp, quads, n=24), work.opp.shape[:2], cover=True)
    ok = np.flatnonzero(solid & (scores >= MIN_SCORE))
    ok = ok[np.argsort(-scores[ok])]
    ok = ok[printed_cover(work.opp, quads[ok], first=_MAX_REFINED)]   # only as many as can be refined
    return quads[ok], scores[ok]


def _cover_score(work: _Work, quads: np.ndarray) -> np.ndarray:
    """score_quads for coloured covers: 0 unless solid, wholly in frame and printed (docscan.cover)."""
    scores = np.zeros(len(quads))
    ok = np.flatnonzero(plausible_quads(quads, work.opp.shape[:2])) if len(quads) else np.zeros(0, int)
    if len(ok):
        s, solid = _combine(quads[ok], *side_support(work.opp, quads[ok], n=24), work.opp.shape[:2], cover=True)
        ok, s = ok[solid & (s >= MIN_SCORE)], s[solid & (s >= MIN_SCORE)]
        printed = printed_cover(work.opp, quads[ok])
        scores[ok[printed]] = s[printed]
    return scores


def _coloured_score(work: _Work, quads: np.ndarray) -> np.ndarray:
    """score_quads for a coloured printed sheet on a pale desk: 0 unless solid, wholly in frame (scored as a cover)
    and such a sheet (docscan.coloured)."""
    scores = np.zeros(len(quads))
    ok = np.flatnonzero(plausible_quads(quads, work.opp.shape[:2])) if len(quads) else np.zeros(0, int)
    if len(ok):
        s, solid = _combine(quads[ok], *side_support(work.opp, quads[ok], n=24), work.opp.shape[:2], cover=True)
        ok, s = ok[solid & (s >= MIN_SCORE)], s[solid & (s >= MIN_SCORE)]
        sheet = coloured_sheet(work.opp, quads[ok])
        scores[ok[sheet]] = s[sheet]
    return scores


def _hull_quad_candidates(work: _Work) -> tuple[np.ndarray, np.ndarray]:
    """Quads from convex hulls (pages whose sides Hough misses), with a cheap first score."""
    hulls = hull_quads(work)
    if not hulls:
        return np.zeros((0, 4, 2)), np.zeros(0)
    quads = _order_batch(np.array(hulls).reshape(-1, 4, 2))
    return quads, _score_details(work, quads, n=8)[0]


def _shortlist(work: _Work, quads: np.ndarray, coarse: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best candidates by their coarse score, with their full scores and solidity."""
    keep = np.argsort(-coarse)[:_N_FULL_SCORE]
    quads = quads[keep[coarse[keep] > MIN_SCORE * 0.7]]
    if len(quads) == 0:
        return quads, np.zeros(0), np.zeros(0, bool)
    scores, solid = _score_details(work, quads)
    return quads, scores, solid


def _confident(work: _Work, quads: np.ndarray, scores: np.ndarray, solid: np.ndarray) -> bool:
    """Whether the best line quad is so clearly a whole page that no other kind of candidate could beat it:
    every side well supported and inside the frame."""
    if len(scores) == 0:
        return False
    best = int(np.argmax(scores))
    if not solid[best] or scores[best] < _CONFIDENT:
        return False
    h, w = work.edges.shape
    q = quads[best]
    return bool((q[:, 0] > 1).all() and (q[:, 0] < w - 2).all() and (q[:, 1] > 1).all() and (q[:, 1] < h - 2).all())


# ------------------------------------------------------------------------------------------- API
def detect_page(image: np.ndarray) -> Quad | None:
    """The page's corners (TL TR BR BL, image pixels) or None when no page is visible."""
    return detect_scored(image)[0]


def detect_scored(image: np.ndarray) -> tuple[Quad | None, float]:
    """The page's corners (or None) and the page score of the outline chosen (0 when no candidate was a
    page): MIN_SCORE and up is a page, about 1.0 a page with every side clearly seen."""
    img = as_bgr(np.asarray(image))
    if img.dtype != np.uint8 or img.shape[0] < 16 or img.shape[1] < 16:
        raise ValueError("detect_page expects an 8-bit grey or BGR image of at least 16x16 pixels")
    work = _prepare(img)
    lines = _hough(work)
    evidence = _line_evidence(work, lines)
    lq, lc = _line_candidates(work, evidence)
    quads, scores, solid = _shortlist(work, lq, lc)
    if not _confident(work, quads, scores, solid):
        # A cascade: convex hulls of edge chains and bright regions only when the lines found no clear page
        # (a curled page, an ID card whose rounded corners shorten its sides, clutter over the edges).
        hq, hc = _hull_quad_candidates(work)
        sq, sc = _line_candidates(work, steep_evidence(work, lines))   # lines further from parallel (docscan.steep)
        quads, scores, solid = _shortlist(work, np.concatenate([lq, hq, sq]), np.concatenate([lc, hc, sc]))
    cand = np.flatnonzero(scores >= MIN_SCORE)
    scores[cand[borrowed_side(work.opp, quads[cand])]] = 0.0   # a side on another sheet's edge (docscan.ends)
    rescore, faint, white, bowed = score_quads, -1, None, None
    if len(quads) == 0 or scores.max() < MIN_SCORE:   # a white page on white pages among clutter (docscan.whites)
        white = white_on_white_quads(work)
        wq, ws, wsolid = _shortlist(work, *_line_candidates(work, white))
        if len(ws) and ws.max() >= MIN_SCORE:
            quads, scores, solid = wq, ws, wsolid
    held = overexposed(work) and backlit_page(work, evidence, (quads, scores), _combine, _paper_inside, _order_batch,
                                              MIN_SCORE)
    blinds = not held and overexposed(work) and close_blinds(img, work, _prepare)
    dim = not held and not blinds and dim_blinds(img, work, _prepare)   # gaps clipped at full size only (.dimblinds)
    blinds = blinds or dim
    if blinds:   # or against blinds: the slats closed over, the frame looked at again (docscan.blinds)
        closed_evidence = _line_evidence(blinds[1])
        held = backlit_page(blinds[1], closed_evidence, (quads[:0], scores[:0]) if dim else (quads, scores),
                            _combine, _paper_inside, _order_batch, MIN_SCORE)
        held = dim_backlit(blinds[1], held, quads, scores, MIN_SCORE) if dim else held
        if held:
            (img, work), evidence = blinds, closed_evidence
    if held:   # a page held up against a bright window, darker than the window round it (docscan.backlit)
        quads, scores, solid, rescore = held
    if len(quads) == 0 or scores.max() < MIN_SCORE:
        # No paper page: a tinted page darker than its desk (docscan.tinted), a coloured cover (docscan.cover)
        tq = _order_batch(tinted_quads(work))
        ts, tsolid = _score_details(work, tq)
        cq, cs = (tq, ts) if len(ts) and ts.max() >= MIN_SCORE else _cover_candidates(work, evidence)
        sheet = len(cq) == 0
        if sheet:   # nothing else: a coloured printed sheet on a pale desk (docscan.coloured)
            cs = _coloured_score(work, tq)
            cq, cs = tq[cs > 0], cs[cs > 0]
        if len(cq) == 0:
            return _last_look(img, work, white, float(scores.max()) if len(scores) else 0.0, evidence)
        quads, scores, rescore = cq, cs, (score_quads if cq is tq else _coloured_score if sheet else _cover_score)
        solid = tsolid if cq is tq else np.zeros(len(cq), bool)
        order = np.argsort(-scores)
        first = int(order[0])
    else:
        order = np.argsort(-scores)
        first = prefer_outer(work, quads, scores, solid, order)
        first = drop_shadow_band(work, quads, scores, solid, order, first)
        first = reach_frame(work, quads, scores, solid, order, first)   # a page running off past a line (.runoff)
        first = off_the_border(work, quads, scores, order, first)   # not cut: a faint side on a pale desk (.shade)
        if rescore is score_quads:   # a card on a sheet, its loose outline run on along the sheet's sides (.onsheet)
            quads, scores, solid, first = card_on_sheet(work, quads, scores, solid, first, lambda ln: _shortlist(
                work, *_line_candidates(work, _line_evidence(work, ln))))
            card = RUNON and card_past_form(img, work, quads[first], lambda q: _paper_inside(work.opp, q))
            if card:   # a card outlined with the form under it: narrowed to where its sides end (.runon)
                return _top_page(img, work, card[0], card[2]), float(scores[first])
        cq, cs = cover_round_page(work, quads[first], lambda keep: _cover_candidates(work, evidence, keep))
        if len(cq):   # the page is a picture printed on a coloured cover (docscan.within)
            quads, scores, rescore = cq, cs, _cover_score
            solid, order, first = np.zeros(len(cq), bool), np.argsort(-cs), 0
    if rescore is score_quads and solid[first] and _area(quads[first]) >= _INNER_MIN_AREA * work.edges.size:
        # A sheet on a pale table (docscan.inner): look again inside a chosen outline large enough to be a table
        iq, isc, iso = _inner_candidates(work, quads[first])
        quads, scores, solid = np.concatenate([quads, iq]), np.concatenate([scores, isc]), np.concatenate([solid, iso])
        outer_idx, first = first, prefer_inner(work, quads, scores, solid, first, MIN_SCORE)
        sheet = _faint(work, quads[first]) if first == outer_idx else None
        if sheet is not None:   # a sheet a shade off its table (docscan.faint): it stands in for the table
            quads, scores = np.concatenate([quads, _order_batch(sheet[None])]), np.append(scores, scores[first])
            faint, first = len(quads) - 1, len(quads) - 1
    tried = 0
    for idx in [first] + [int(i) for i in order if i != first]:
        if scores[idx] < MIN_SCORE or tried == _MAX_REFINED:
            break
        if strip_of_paper(work, quads[idx]):
            continue  # a band of a larger page (between a text line and a printed border), not a receipt
        if closed_by_a_thin_thing(work, quads[idx]):
            continue  # the frame border and the flank of a pen or a cable round a patch of desk
        tried += 1
        refined, straight = refine_quad(img, _to_full(quads[idx], work.scale), work.scale)
        if straight < _MIN_STRAIGHT and idx == faint:
            refined = _to_full(quads[idx], work.scale)   # its faint sides may not refine: keep the coarse outline
        elif straight < (HELD_STRAIGHT if held else BENT_STRAIGHT if (idx < len(solid) and solid[idx]
                         and scores[idx] >= _CONFIDENT) else _MIN_STRAIGHT):   # docscan.bowed
            # not a straight-edged sheet (a coin, a cup, a curved shadow); a page held up bends (docscan.backlit)
            if (bowed := bowed_outline(img, _to_full(quads[idx], work.scale), work.scale)) is None:
                continue
            refined = bowed   # unless its sides are gently bowed curves: a page held up in a room (docscan.curved)
        small = _to_small(refined, work.scale)
        # A refinement that moved a corner by more than two detection pixels is checked again: it may have
        # slid onto a printed frame or a shadow; if it no longer looks like a page, keep the coarse outline.
        # (At one pixel, 62 % of the synthetic scenes were re-scored, at two 31 %, with the same outlines.) Not a
        # bowed page's chords (docscan.curved): their sides are off its curved edges by the bow, so they score low.
        if (refined is not bowed and np.abs(small - quads[idx]).max() > _RESCORE_MOVED
                and float(rescore(work, small[None])[0]) < MIN_SCORE):
            refined = _to_full(quads[idx], work.scale)
        wider = reach_past_line(work, _to_small(refined, work.scale)) if rescore is score_quads else None
        if wider is None and rescore is score_quads:   # the pale part of a two-colour cover (docscan.band)
            wider = reach_coloured_band(work, _to_small(refined, work.scale), score_quads)
        if wider is None and rescore is score_quads:   # a pen across the page taken for a side (docscan.pen)
            wider = past_a_pen(work, _to_small(refined, work.scale))
        if wider is None and rescore is score_quads:   # a certificate's printed frame (docscan.margin)
            wider = to_sheet_edge(work, _to_small(refined, work.scale))
        if wider is None and rescore is score_quads:   # a page running off the frame cut at a line of print (.toframe)
            wider = to_frame_border(work, _to_small(refined, work.scale))
        if wider is None and rescore is score_quads:   # a piece of a card cut by a pen, a finger, its print (.piece)
            wider = grow_card(work, _to_small(refined, work.scale))
        if wider is None and rescore is score_quads:   # run on along a desk stripe in line with a side (.inline)
            wider = stop_in_line(work, _to_small(refined, work.scale), lambda q: _score_details(work, q))
        if wider is not None:   # a fold or a heavy rule was taken for a side (docscan.fold): the page runs on
            refined = refine_quad(img, _to_full(wider, work.scale), work.scale)[0]
        refined = peel_stack(img, stop_at_paper_edge(img, refined))
        return Quad.from_points(_off_block(work, refined)), float(scores[idx])
    return _last_look(img, work, white, 0.0, evidence)


def _last_look(img: np.ndarray, work: _Work, white: tuple | None, score: float, evidence: tuple
               ) -> tuple[Quad | None, float]:
    """No outline: the top page of a white stack, its fourth side read at full resolution (docscan.fourth); only
    where the second look (docscan.whites, ``white``: its line quad evidence) ran, i.e. the first found no page; then
    a card whose fourth side lies over white paper, closed where its other sides end (docscan.ended); last, a card
    showing two sides meeting at a corner, its other two found where its paper ends (docscan.corner).
    Before it, a card whose sides a busy or pale desk hid from the lines (docscan.card), then a plain page a shade
    darker than its desk, seen by its rim (docscan.rim)."""
    lines = lambda ln: _shortlist(work, *_line_candidates(work, _line_evidence(work, ln)))  # noqa: E731
    for q, s in zip(*card_quads(work, _order_batch, lambda q: _paper_inside(work.opp, q), lines, MIN_SCORE)):
        refined, straight = refine_quad(img, _to_full(q, work.scale), work.scale)   # a card among lines (.card)
        if straight >= _MIN_STRAIGHT:
            return Quad.from_points(refined), float(s)
    rim = rim_page(img, work, lambda q: _paper_inside(work.opp, q))
    if rim is not None:
        return Quad.from_points(order_corners(rim)), MIN_SCORE
    card = darker_card(work, evidence, _order_batch, lambda q: _paper_inside(work.opp, q))   # (.darker)
    if card is not None:   # a printed card darker than a bright pale desk, by steps and its edge's rim
        refined, straight = refine_quad(img, _to_full(card, work.scale), work.scale)
        small = _to_small(refined, work.scale)
        moved = np.abs(small - card).max() > _RESCORE_MOVED and not still_darker(work, small)
        out = _to_full(card, work.scale) if moved or straight < _MIN_STRAIGHT else refined
        if card_shaped(img, out):   # an ID-1 card's aspect and rounded corners, not a shadow patch or a print block
            return Quad.from_points(out), MIN_SCORE
    book = dark_book(work, lambda: _hough(work))   # a picture cover on a dark table in a dim room (docscan.book)
    if book is not None:
        refined = refine_quad(img, _to_full(book, work.scale), work.scale)[0]
        moved = np.abs(_to_small(refined, work.scale) - book).max() > _RESCORE_MOVED
        return Quad.from_points(_off_block(work, _to_full(book, work.scale) if moved else refined)), MIN_SCORE
    receipt = receipt_column(img)   # a till receipt on a pale surface nearly its shade (docscan.column)
    if receipt is None:   # ... its print wider, or its sides a rim, a shadow line or a faint step (docscan.slip)
        receipt = receipt_slip(img)
    if receipt is not None:
        return Quad.from_points(order_corners(receipt)), MIN_SCORE
    top = None if white is None else fourth_side(img, work, lambda q: _paper_inside(work.opp, q), white)
    if top is None and ENDED:   # a card whose fourth side lies over white paper, where its other sides end (.ended)
        top = ended_card(img, work, lambda q: _paper_inside(work.opp, q), evidence)
    if top is None and CORNER:   # a card showing two sides meeting at a corner, the others where it ends (.corner)
        top = corner_card(img, work, lambda q: _paper_inside(work.opp, q), _hough(work))
    return (None, score) if top is None else (_top_page(img, work, top[0], top[2]), top[1])


def _off_block(work: _Work, quad: np.ndarray) -> np.ndarray:
    """A book's cover, not its page block showing past one or two of its sides (docscan.block)."""
    small = _to_small(np.asarray(quad, np.float64), work.scale)
    if paper_page(work.opp, small):   # a paper page: neither to_cover_edge nor near_edge moves a side (.beyond)
        return quad
    small = small if (out := to_cover_edge(work.opp, small)) is None else out   # a printed frame (docscan.beyond)
    near = near_edge(work.opp, small)
    return quad if near is None and out is None else _to_full(small if near is None else near, work.scale)


def _inner_candidates(work: _Work, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Line quads from the edges inside ``quad`` only, found with _INNER_GAIN of the usual thresholds: a sheet's
    lit edges on a table top a shade darker are faint steps, and among all lines (the table's against the
    floor are far stronger) their quads rarely reach the shortlist."""
    mask = np.zeros(work.edges.shape, np.uint8)
    cv2.fillConvexPoly(mask, np.round(quad.mean(axis=0) + (quad - quad.mean(axis=0)) * 0.97).astype(np.int32), 255)
    bands = np.clip(work.opp * _OPP_TO_BANDS[0] + _OPP_TO_BANDS[1], 0, 255).astype(np.uint8)
    sub = _edge_work(work.opp, bands, work.scale, _INNER_GAIN, mask)
    if len(sub.xs) < 0.4 * min(mask.shape):   # not even one side's worth of edges inside
        return np.zeros((0, 4, 2)), np.zeros(0), np.zeros(0, bool)
    return _shortlist(work, *_line_candidates(sub))


def _faint(work: _Work, quad: np.ndarray) -> np.ndarray | None:
    """A sheet a few grey levels off the table ``quad`` outlines (docscan.faint), or None."""
    bands = np.clip(work.opp * _OPP_TO_BANDS[0] + _OPP_TO_BANDS[1], 0, 255).astype(np.uint8)
    return faint_sheet(work, quad, lambda mask: _edge_work(work.opp, bands, work.scale, FAINT_GAIN, mask),
                       lambda q: _paper_inside(work.opp, q))


_INNER_GAIN = 0.6   # edge thresholds inside a chosen outline, when looking for a sheet lying on it
# The second look costs about a third of a detection, so only an outline covering this fraction of the frame is
# looked into: room for a table top round a sheet. Chosen outlines cover 0.08-0.34 of the frame on the rendered
# forms, cards, receipts, stacks and pale pages, 0.32-0.46 on booklets, 0.04-0.38 on 40 synthetic scenes; the
# rendered table tops 0.41-0.86 (0.41: part of a table joined to a sheet's side). A table seen from further away
# is not looked into.
_INNER_MIN_AREA = 0.4
