"""Outlines that ran past the page into other objects (issue 22 item 1, round 20; docscan.ends, docscan.runoff).

Protects: render_scene seed 167, an A4 form on red plaid beside a printed sheet running off the right border: the
form's top and bottom lines run on across the cloth to the other sheet's edge, and that quad won on size (main
0.664); the side borrowed from the other sheet steps down into the quad with cloth on its inside (docscan.ends).
render_scene seed 112, a letter running off the frame's bottom past a faint line across it: the quad closed by
the line won (main 0.781) since its corner past the frame lay outside every quad cut by the frame
(docscan.runoff). Left as they were: a page beside a lighter object, a heavy band printed along a page's edge
(rule_split seed 0), a page whose extra region is desk, empty desks.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan.detect import _order_batch, _prepare
from devices.camera.docscan.ends import borrowed_side
from devices.camera.sim.scene import render_scene
from tests.helpers import hard_scenes

W, H = 1280, 720


@pytest.mark.parametrize("seed", [167, 112])
def test_the_simulators_page_is_outlined_not_what_lies_beyond_it(seed):
    scene = render_scene(seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, scene.quad, (W, H)) > 0.97


def _two_sheets(gap_luma: float = 90.0) -> np.ndarray:
    img = np.full((H, W, 3), gap_luma, np.float32)
    img += np.random.default_rng(5).normal(0, 2.0, img.shape)
    cv2.fillConvexPoly(img, np.array([[300, 150], [700, 150], [700, 600], [300, 600]], np.int32), (235, 235, 235))
    cv2.fillConvexPoly(img, np.array([[900, 60], [1279, 60], [1279, 680], [900, 680]], np.int32), (235, 235, 235))
    return np.clip(img, 0, 255).astype(np.uint8)


def test_a_side_on_another_sheets_edge_is_borrowed():
    """The quad from the sheet's left side across the cloth to the other sheet's edge (detection scale 0.25)."""
    work = _prepare(_two_sheets())
    s = 0.25
    run_on = np.array([[300, 150], [900, 150], [900, 600], [300, 600]], float) * s
    own = np.array([[300, 150], [700, 150], [700, 600], [300, 600]], float) * s
    assert borrowed_side(work.opp, _order_batch(np.stack([run_on, own]))).tolist() == [True, False]


def test_a_page_beside_a_lighter_object_keeps_its_side():
    """A page whose right side meets a brighter box: darker inside there, but its inside flank is its paper."""
    img = np.full((H, W, 3), 90.0, np.float32)
    cv2.fillConvexPoly(img, np.array([[300, 150], [700, 150], [700, 600], [300, 600]], np.int32), (200, 200, 200))
    cv2.fillConvexPoly(img, np.array([[700, 100], [1000, 100], [1000, 650], [700, 650]], np.int32), (252, 252, 252))
    work = _prepare(img.astype(np.uint8))
    own = np.array([[[300, 150], [700, 150], [700, 600], [300, 600]]], float) * 0.25
    assert not borrowed_side(work.opp, own).any()


def test_a_dark_band_printed_along_a_pages_edge_is_no_borrowed_side():
    """Rendered rule_split seed 0: the outline's top side runs along a heavy dark band 7 px inside the page's cut top
    edge (inside 66, outside the page's margin 187): darker inside, but no desk carried on into the quad (0.953 as
    main; without docscan.ends' desk test 0.634)."""
    scene = hard_scenes.render("rule_split", 0)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.95


def test_a_page_running_off_past_a_desk_line_keeps_its_outline():
    """A page cut by the frame's bottom, a desk-coloured band between its edge and the frame: the page's own edge
    stays (docscan.runoff asks the extra region to be paper)."""
    img = np.full((H, W, 3), 70.0, np.float32)
    img += np.random.default_rng(7).normal(0, 2.0, img.shape)
    page = np.array([[420, 200], [860, 230], [840, 760], [400, 740]], np.int32)
    cv2.fillConvexPoly(img, page, (240, 240, 240))
    found = detect_page(np.clip(img, 0, 255).astype(np.uint8))
    assert found is not None
    assert quad_iou(found, Quad.from_points(page.astype(float)), (W, H)) > 0.97


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_empty_simulator_desks_still_report_nothing(seed):
    assert detect_page(render_scene(seed, page=False).image) is None
