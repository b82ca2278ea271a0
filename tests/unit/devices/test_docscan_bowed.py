"""A page held up against the light that bows more (issue 22 item 1, round 17; docscan.bowed).

Protects: rendered ``held`` seeds 54 and 60 (beyond the bench's 15; a page held against a window with light mullions,
bowing by 1-2 % of the frame's height), missed on main (0.000 each): docscan.backlit's candidates were 4.5-7.8
detection pixels from the page and scored 0.83-1.02, but refined to 0.29-0.34 of their edge points on a line, under
docscan.backlit's 0.35, so all were dropped. Now 0.911 and 0.921. Left as it was: the floors for pages not held up
against the light (docscan.backlit's BENT_STRAIGHT for a solid confident page, 0.5 otherwise), so a room scene and a
printer lid keep their outlines.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, backlit, bowed, detect, detect_page, quad_iou
from tests.helpers import hard_scenes


def _iou(img: np.ndarray, quad: np.ndarray) -> float:
    found = detect_page(img)
    return 0.0 if found is None else quad_iou(found, Quad.from_points(quad), (img.shape[1], img.shape[0]))


@pytest.mark.parametrize("seed", [54, 60])
def test_a_bowed_page_held_up_against_a_window_is_outlined(seed):
    """Main: nothing outlined (0.000); now 0.911, 0.921."""
    scene = hard_scenes.render("held", seed)
    assert _iou(scene.image, scene.quad) > 0.85


def test_only_pages_held_up_against_the_light_get_the_lower_floor():
    assert bowed.HELD_STRAIGHT < backlit.BENT_STRAIGHT < detect._MIN_STRAIGHT


@pytest.mark.parametrize("seed, main", [(4, 0.962), (10, 0.976), (1, 0.996), (3, 0.998)])
def test_pages_not_held_up_against_the_light_keep_their_outlines(seed, main):
    """Room seeds 4, 10 and printer lids 1, 3: the same as main to three places."""
    scene = hard_scenes.render("held", seed)
    assert not detect.overexposed(detect._prepare(scene.image))
    assert abs(_iou(scene.image, scene.quad) - main) < 0.0015


def test_a_bowed_page_in_a_room_is_not_given_the_lower_floor():
    """Room seed 28 (0.940 here in round 17) would gain, 0.943, were the lower floor given to every solid confident
    page: it is not. Since round 30 its bowed sides are fitted as curves (docscan.curved, 0.997), not by the floor."""
    scene = hard_scenes.render("held", 28)
    assert not detect.overexposed(detect._prepare(scene.image))
    assert _iou(scene.image, scene.quad) > 0.99
