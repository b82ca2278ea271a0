"""A coloured cover cut by the frame (issue 22 item 1, round 15; docscan.cut).

Protects: rendered ``cover_lit`` seeds 8 and 22, a glossy cover on black granite whose top right corner runs 13 and 24
px past the frame's top. Its line quad is formed and scored as a cover (1.08, solid), but "one surface round it"
sampled its top side past the frame (the replicated border row), where nothing steps: 0.69 of that side's samples
even against 0.8, so the cover was refused and its white title block outlined (Jaccard 0.13, 0.15 on main). Over the
in-frame samples only, both are outlined (0.998). Left as it was: the covers found before (a cover whose corner just
touches the frame, seed 4; those wholly in frame), the empty dark folder (no page), and a quad wholly in frame is
never asked here (nothing to forgive).
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan.cut import cut_round
from tests.helpers import hard_scenes

W, H = 1280, 720


@pytest.mark.parametrize("seed", [8, 22])
def test_a_cover_run_past_the_frame_top_is_outlined(seed):
    """Main outlines the title block (0.13, 0.15); the cover's visible part is the outline now."""
    scene = hard_scenes.render("cover_lit", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.97


@pytest.mark.parametrize("kind,seed", [("cover_lit", 4), ("cover_lit", 9), ("cover_lit", 0), ("cover", 3),
                                       ("cover_dark", 5)])
def test_the_covers_found_before_are_outlined_as_before(kind, seed):
    scene = hard_scenes.render(kind, seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.97


@pytest.mark.parametrize("seed", range(4))
def test_an_empty_dark_folder_is_still_no_page(seed):
    assert detect_page(hard_scenes.render("empty_folder", seed).image) is None


def test_a_quad_wholly_in_frame_is_not_asked():
    """Only quads with samples past the frame are looked at again; one wholly in frame is left to docscan.lit."""
    import cv2  # noqa: PLC0415
    inside = np.array([[[100, 40], [220, 40], [220, 140], [100, 140]]], float)
    cut = np.array([[[100, 12], [220, -4], [220, 140], [100, 140]]], float)
    for quad, asked in ((inside, False), (cut, True)):
        opp = np.zeros((180, 320, 3), np.float32)
        cv2.fillPoly(opp, [np.round(quad[0]).astype(np.int32)], (90.0, -100.0, 20.0))
        assert cut_round(opp, quad)[0] == asked
