"""A card's sides lost among a busy desk's lines, looked for again round the card (issue 22, round 19; docscan.card).

Protects: synthetic scenes 475 (an ID card on a bold blue/yellow-green checkerboard whose lines run within a degree
of the card's sides, so the Hough's few lines per direction never take two of them) and 195 (an ID card on a pale
grey-pink desk, fingers over its left side, whose faint top and left steps have gradient directions too scattered
for the orientation-gated Hough): main found no outline in either (0.000). docscan.card looks again, only when
nothing else found a page, inside each paper-like hull quad grown by a third, with a plain Hough there. Guarded: the
two empty pale desks a first version outlined (a desk's line closed by the frame border) and the simulator's empty
desks give no page. Left as it was: the rendered ID cards and the scenes main already outlines.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan.card import card_quads
from devices.camera.docscan.detect import MIN_SCORE, _line_candidates, _line_evidence, _order_batch, _paper_inside
from devices.camera.docscan.detect import _prepare, _shortlist
from devices.camera.sim.scene import render_scene
from tests.helpers import hard_scenes

W, H = 1280, 720


def _cards(img: np.ndarray) -> np.ndarray:
    work = _prepare(img)
    return card_quads(work, _order_batch, lambda q: _paper_inside(work.opp, q),
                      lambda ln: _shortlist(work, *_line_candidates(work, _line_evidence(work, ln))), MIN_SCORE)[0]


@pytest.mark.parametrize("seed, least", [(475, 0.99), (195, 0.96)])
def test_an_id_card_among_a_busy_or_pale_desks_lines_is_found(seed, least):
    """Synthetic scenes main misses (no outline)."""
    scene = render_scene(seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, scene.quad, (W, H)) > least


@pytest.mark.parametrize("seed", [43, 49])
def test_an_empty_pale_desk_closed_by_the_frame_border_is_no_card(seed):
    """A desk line and the frame border close a quad round a paper-like patch: not wholly in frame, not a card."""
    img = hard_scenes.render("empty_pale", seed).image
    assert len(_cards(img)) == 0
    assert detect_page(img) is None


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_the_simulators_empty_desks_stay_empty(seed):
    assert detect_page(render_scene(seed, page=False).image) is None


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_rendered_id_cards_are_outlined_as_before(seed):
    """The rendered ID cards main already outlines (0.99 and up) are found before the card look runs."""
    scene = hard_scenes.render("id_card", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.98


def test_a_block_between_text_lines_inside_a_grey_patch_is_no_card():
    """A neutral grey patch (a shadow) carrying dark text lines on a pale desk: its hull is paper-like, and inside it
    a block between text lines closes four lighter-inside sides; it covers a small part of the hull, so no card."""
    rng = np.random.default_rng(0)
    img = np.full((H, W, 3), 200.0, np.float32) * np.linspace(0.96, 1.03, W, dtype=np.float32)[None, :, None]
    patch = np.array([[300, 120], [980, 110], [1000, 610], [280, 620]], np.int32)
    cv2.fillConvexPoly(img, patch, (120, 120, 120))
    for y in range(170, 580, 22):
        for x0 in range(340, 930, 120):
            cv2.line(img, (x0, y), (x0 + int(rng.integers(60, 105)), y), (30, 30, 40), 4)
    img = np.clip(img + rng.normal(0, 2.0, img.shape), 0, 255).astype(np.uint8)
    assert len(_cards(img)) == 0
    assert detect_page(img) is None
