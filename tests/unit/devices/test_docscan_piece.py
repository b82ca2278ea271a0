"""Round 39 (issue 22 item 1, kind 6 of docs/docscan.md): a piece of an ID card cut off by a pen, a finger or a line
of its own print grows to the whole card (docscan.piece). The simulator's seed 511 (a blue pen across a card, the
outline its lower right piece under the photo block, 0.173 on main) and four scenes of the rendered analogue
(tests/helpers/hard_scenes_piece.py: a pen across a card, seeds 8 and 60; a finger over it, 13 and 25; below 0.9
on main) are found whole, and so are four of round 32's pen scenes docscan.pen left; the controls (a page with a pen across it that docscan.pen mends, a card wholly on the
desk, a card on a letter or a form, a card beside a sheet, the simulator's empty desks) keep main's outline.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, piece, quad_iou
from devices.camera.sim.scene import render_scene
from tests.helpers import hard_scenes, hard_scenes_pen, hard_scenes_piece

W, H = 1280, 720
_MENDED = (8, 13, 25, 60)


def _j(found, quad) -> float:
    return 0.0 if found is None else quad_iou(found, Quad.from_points(np.asarray(quad)), (W, H))


def _both(img: np.ndarray, monkeypatch) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The outline with the rule off (main's detector) and on."""
    out = []
    for on in (False, True):
        monkeypatch.setattr(piece, "ENABLED", on)
        q = detect_page(img)
        out.append(None if q is None else np.asarray(q.as_array()))
    return out[0], out[1]


def test_seed_511_the_card_under_a_pen_is_found_whole():
    scene = render_scene(511)
    assert _j(detect_page(scene.image), scene.quad.as_array()) >= 0.9


@pytest.mark.parametrize("seed", _MENDED)
def test_a_card_cut_by_a_pen_or_a_finger_is_found_whole(seed):
    scene = hard_scenes_piece.render(seed)
    assert _j(detect_page(scene.image), scene.quad) >= 0.9


@pytest.mark.parametrize("seed", _MENDED)
def test_main_outlines_a_piece_of_those_cards(seed, monkeypatch):
    monkeypatch.setattr(piece, "ENABLED", False)
    scene = hard_scenes_piece.render(seed)
    assert _j(detect_page(scene.image), scene.quad) < 0.9


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and np.abs(a - b).max() <= 1.0)


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 6, 9])
def test_a_page_with_a_pen_across_it_keeps_its_outline(seed, monkeypatch):
    """Round 32's analogue (docscan.pen mends a page cut by a pen with the same paper beyond it): as before."""
    off, on = _both(hard_scenes_pen.render(seed).image, monkeypatch)
    assert _same(off, on)


@pytest.mark.parametrize("seed", [12, 20, 56, 60])
def test_round_32s_cards_left_by_docscan_pen_are_found_whole(seed):
    """Round 32's analogue: a card cut by a pen so near its corner, or on wood grain, that docscan.pen left it."""
    scene = hard_scenes_pen.render(seed)
    assert _j(detect_page(scene.image), scene.quad) >= 0.99


@pytest.mark.parametrize("what,seed", [(w, s) for w in ("none", "beside") for s in range(4)])
def test_a_card_alone_or_beside_a_sheet_keeps_its_outline(what, seed, monkeypatch):
    scene = hard_scenes_piece.render(seed, what)
    off, on = _both(scene.image, monkeypatch)
    assert _same(off, on)
    if what == "none":
        assert _j(Quad.from_points(on), scene.quad) > 0.98


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rendered_id_cards_keep_their_outline(seed, monkeypatch):
    off, on = _both(hard_scenes.render("id_card", seed).image, monkeypatch)
    assert _same(off, on)


@pytest.mark.parametrize("seed", [335, 418])
def test_a_card_on_a_letter_or_a_form_keeps_its_outline(seed, monkeypatch):
    off, on = _both(render_scene(seed).image, monkeypatch)
    assert _same(off, on)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_simulators_empty_desks_stay_empty(seed):
    assert detect_page(render_scene(seed, page=False).image) is None
