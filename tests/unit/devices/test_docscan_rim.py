"""A plain page a shade darker than a plain desk, seen by its rim (issue 22 item 1, round 18; docscan.rim).

Protects: rendered ``tinted`` seed 14, a grey-blue text page 7-8 opponent luma levels darker than a plain pale desk
with its chroma 4-7 units off the desk's: its step (about 9-10 in all) lies just under the page score's STEP_MIN, so
every side had 0.00-0.08 support and main found no outline (0.000). At full resolution each side shows a 1-2 px rim
15-25 levels below both page and desk; docscan.rim reads it, only when nothing else found a page. Guarded: a
soft-edged shadow (no rim) and a seam or printed line with the same desk on both sides give no page. Left as it was:
tinted scenes main already outlines, and empty desks.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan.detect import _paper_inside, _prepare
from devices.camera.docscan.rim import rim_page
from tests.helpers import hard_scenes

W, H = 1280, 720
_PAGE = np.array([[330, 150], [950, 160], [940, 590], [320, 580]], np.int32)


def _desk(luma: float = 200.0) -> np.ndarray:
    img = np.full((H, W, 3), luma, np.float32)
    img += np.random.default_rng(3).normal(0, 1.5, img.shape)
    return img


def _rim(img: np.ndarray) -> np.ndarray | None:
    img = np.clip(img, 0, 255).astype(np.uint8)
    work = _prepare(img)
    return rim_page(img, work, lambda q: _paper_inside(work.opp, q))


@pytest.mark.parametrize("seed", [14, 73])
def test_a_rendered_page_darker_than_its_desk_is_outlined_by_its_rim(seed):
    """Rendered ``tinted`` scenes main misses (no outline)."""
    scene = hard_scenes.render("tinted", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.97


def test_a_grey_sheet_with_a_thin_rim_on_a_paler_desk_is_found():
    img = _desk()
    cv2.fillConvexPoly(img, _PAGE, (192, 192, 192))
    cv2.polylines(img, [_PAGE], True, (172, 172, 172), 2)
    q = _rim(img)
    assert q is not None
    assert quad_iou(Quad.from_points(q), Quad.from_points(_PAGE), (W, H)) > 0.97


def test_a_soft_shadow_of_the_same_shape_is_not_a_page():
    """The same darker block with a soft edge and no rim (a shadow)."""
    img = _desk()
    shade = np.zeros((H, W), np.float32)
    cv2.fillConvexPoly(shade, _PAGE, 1.0)
    shade = cv2.GaussianBlur(shade, (0, 0), 6)
    img -= 8.0 * shade[..., None]
    assert _rim(img) is None


def test_a_dark_line_with_the_same_desk_on_both_sides_is_not_a_page():
    """A seam or a printed frame: a thin dark outline, the desk alike inside and out (and a patch beside it so a darker
    region exists)."""
    img = _desk()
    cv2.polylines(img, [_PAGE], True, (172, 172, 172), 2)
    cv2.rectangle(img, (1000, 300), (1200, 500), (190, 190, 190), -1)
    assert _rim(img) is None


@pytest.mark.parametrize("seed", [0, 3, 13])
def test_tinted_scenes_main_outlines_are_outlined_as_before(seed):
    scene = hard_scenes.render("tinted", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.97


@pytest.mark.parametrize("kind", ["empty_pale", "empty_wood", "empty_cables"])
def test_an_empty_desk_is_still_no_page(kind):
    for seed in range(4):
        assert detect_page(hard_scenes.render(kind, seed).image) is None, (kind, seed)
