"""A page held up against window blinds (issue 22 item 1, round 16; docscan.blinds).

Protects: rendered ``held`` seeds 2, 8 and 14 (a page held in one or two hands in front of blinds whose slats are as
light as the backlit page, between overexposed gaps), missed on main (Jaccard 0.000 each): the page's sides step only
across the gaps, and the slats' edges are the strongest lines. With the slats closed over (a vertical grey closing,
0.04 of the frame's long side) the page is a backlit page on an overexposed window (docscan.backlit). The same
scenes turned a quarter (vertical blinds) are found by the horizontal closing. Left as it was: the pages held up
against a bare window (the closing overexposes only 0.05-0.07 more of those frames, under _MIN_GAIN, and they are
found before it is asked), the rendered kinds that are not overexposed (test_docscan_backlit), and a frame of blinds
with no page in it (the rule adds no outline).
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, blinds, detect, detect_page, quad_iou
from devices.camera.docscan.detect import detect_scored
from tests.helpers import hard_scenes

W, H = 1280, 720


def _iou(img: np.ndarray, quad: np.ndarray) -> float:
    found = detect_page(img)
    return 0.0 if found is None else quad_iou(found, Quad.from_points(quad), (img.shape[1], img.shape[0]))


@pytest.mark.parametrize("seed", [2, 8, 14])
def test_a_page_held_up_against_blinds_is_outlined(seed):
    """Main finds no page (2, 8) or another outline (14): 0.000 each; now 0.897-0.924."""
    scene = hard_scenes.render("held", seed)
    assert _iou(scene.image, scene.quad) > 0.85


def test_a_page_held_up_against_vertical_blinds_is_outlined():
    """Seed 2 turned a quarter: the slats run down the frame, closed by the horizontal closing (0.924)."""
    scene = hard_scenes.render("held", 2)
    img = np.ascontiguousarray(np.rot90(scene.image))            # x' = y, y' = W - 1 - x
    quad = np.stack([scene.quad[:, 1], W - 1 - scene.quad[:, 0]], axis=1)
    assert _iou(img, quad) > 0.85


@pytest.mark.parametrize("seed", [0, 6, 12])
def test_a_bare_window_is_not_taken_for_blinds(seed):
    """A window's bars and frame are closed over too, but they overexpose only 0.05-0.06 more of the frame."""
    img = hard_scenes.render("held", seed).image
    assert blinds.close_blinds(img, detect._prepare(img), detect._prepare) is None


def _blinds_only(period: int, slat: int) -> np.ndarray:
    img = np.full((H, W, 3), 255, np.uint8)
    for y in range(5, 600, period):
        img[y:y + int(period * 0.7)] = slat
        img[y + int(period * 0.7) - 3:y + int(period * 0.7)] = int(slat * 0.6)
    img[:, :60] = 80   # the window's frame
    return img


@pytest.mark.parametrize("period, slat", [(24, 160), (32, 190), (40, 212)])
def test_blinds_with_no_page_get_no_new_outline(monkeypatch, period, slat):
    """The closing is made (the slats close over), but nothing on the closed frame is a backlit page: the outline is
    the one found without the rule (the window's, as on main, for two of these three)."""
    img = _blinds_only(period, slat)
    assert blinds.close_blinds(img, detect._prepare(img), detect._prepare) is not None
    found, score = detect_scored(img)
    monkeypatch.setattr(detect, "close_blinds", lambda *a: None)
    before, score_before = detect_scored(img)
    assert score == score_before
    assert (found is None) == (before is None)
    if found is not None:
        assert np.allclose(found.as_array(), before.as_array())


def test_a_plain_page_against_synthetic_blinds_is_outlined():
    img = _blinds_only(32, 190)
    img[150:560, 500:790] = 185   # a blank page as light as the slats, held against them
    assert _iou(img, np.array([[500, 150], [790, 150], [790, 560], [500, 560]], float)) > 0.9
