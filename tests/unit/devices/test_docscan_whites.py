"""A white page on a stack of white pages on a pale desk, among clutter (issue 22, d; docscan/whites.py).

Protects: on the SmartDoc 2015 frame of a magazine page lying on a stack of white sheets on a pale desk, with a
marker, a highlighter and a cable across it and a mouse, a monitor and a coloured magazine round it (a tuning
photo of the sixth round), a page is found where main found none; the second look, for lines of edges light on
both flanks, runs only when no paper page was found, so a stack the first look outlined, the other SmartDoc
frames on pale tables and every empty desk (pens and cables across a pale desk among them) are left as they were.
"""
from __future__ import annotations

import numpy as np

from devices.camera.docscan import Quad, detect_page, find_page, quad_iou
from devices.camera.docscan import detect as D
from devices.camera.docscan.whites import white_on_white_quads
from tests.helpers import hard_scenes
from tests.helpers.real_photos import tuning_photos

_PHOTOS = {p.name: p for p in tuning_photos()}


def _jaccard(name: str) -> float:
    p = _PHOTOS[name]
    q = detect_page(p.image)
    h, w = p.image.shape[:2]
    return 0.0 if q is None else quad_iou(q, Quad.from_points(p.corners), (w, h))


def test_a_magazine_page_on_a_stack_of_white_sheets_among_clutter_is_found():
    """Main found no page here (Jaccard 0): the page's and the stack's faint white-on-white sides never reached
    the twenty strongest lines, which the cable, the pens, the mouse and the monitor took. Now 0.88 (the outline's
    right side is the stack's, a few mm out of the page's)."""
    assert _jaccard("smartdoc-bg05-magazine.jpg") >= 0.85


def test_the_second_look_keeps_only_light_flanked_lines():
    """On that frame the lines from edges light on both flanks make a page-like quad within a few detection pixels
    of the stack round the page; the first look's quads are nowhere near it."""
    p = _PHOTOS["smartdoc-bg05-magazine.jpg"]
    work = D._prepare(p.image)
    truth = D._to_small(p.corners, work.scale)
    quads, scores, _ = D._shortlist(work, *D._line_candidates(work, white_on_white_quads(work)))
    best = quads[int(np.argmax(scores))]
    assert scores.max() >= D.MIN_SCORE and np.abs(best - truth).max() < 20
    lq, lc = D._line_candidates(work)
    good = lq[lc >= D.MIN_SCORE * 0.7]
    assert all(np.abs(q - truth).max() > 60 for q in good)


def test_frames_where_the_first_look_finds_a_page_are_left_as_they_were():
    """The second look runs only when no paper page was found: stacks the first look outlined, the SmartDoc
    frames on pale tables (connor-kress) and a handwritten sheet on a small stack (orz2pick's p2.jpg) keep their outlines."""
    for name, floor in (("kress-sample1.jpg", 0.98), ("kress-sample3.jpg", 0.98), ("kress-sample5.jpg", 0.97),
                        ("p2.jpg", 0.96)):
        if name in _PHOTOS:   # p2.jpg (orz2pick, no licence) only where its checkout or fetch mirror is present
            assert _jaccard(name) >= floor, name
    scenes = [hard_scenes.render("stacked", seed) for seed in range(15)]
    js = np.array([0.0 if (q := detect_page(s.image)) is None else quad_iou(q, Quad.from_points(s.quad), (1280, 720))
                   for s in scenes])
    assert js.mean() >= 0.959, np.round(js, 3)


def test_pens_and_cables_across_an_empty_pale_desk_still_give_no_page():
    """Pale desks with pens and a cable: their flanks are dark on one side, so they do not vote in the second
    look, and no patch of desk between them becomes a page."""
    for kind in ("empty_pale", "empty_cables"):
        for seed in range(10):
            finding = find_page(hard_scenes.render(kind, seed).image)
            assert not finding.found, (kind, seed, finding.confidence)
