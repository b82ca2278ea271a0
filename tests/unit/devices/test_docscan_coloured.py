"""A coloured printed sheet on a pale desk (issue 22 item 1, round 8; docscan.coloured).

Protects: an orange take-away menu on a pale grey desk (fmeow-743165244.jpg) had no outline on main (0.000): its
inside is strongly coloured and darker than the desk, so the page score gives 0 to every quad of it (paper is pale
and lighter than its desk), and its thin text is not the cover pass's print. docscan.tinted outlines it; that quad
is now accepted as a coloured sheet when nothing else was found. Left as it was: a shadow or a lamp patch on a pale
desk, a flat coloured card without print, the empty desks, and the pages found before.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, find_page, quad_iou
from tests.helpers import hard_scenes
from tests.helpers.real_photos import tuning_photos

W, H = 1280, 720
_QUAD = np.array([[300, 120], [980, 110], [1000, 610], [280, 620]], np.float64)


def _scene(*, colour=(40, 120, 235), text: bool = True, desk: int = 200, seed: int = 0) -> np.ndarray:
    """A sheet of ``colour`` (BGR) with dark text lines, or none, on a plain pale grey desk, lit a little unevenly."""
    rng = np.random.default_rng(seed)
    img = np.full((H, W, 3), desk, np.float32)
    img *= np.linspace(0.96, 1.03, W, dtype=np.float32)[None, :, None]
    sheet = np.zeros((H, W), np.uint8)
    cv2.fillConvexPoly(sheet, _QUAD.round().astype(np.int32), 255)
    img[sheet > 0] = colour
    if text:
        for y in range(170, 580, 22):
            for x0 in range(340, 930, 120):
                cv2.line(img, (x0, y), (x0 + int(rng.integers(60, 105)), y), (30, 30, 40), 4)
    img += rng.normal(0, 2.0, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_the_orange_menu_on_a_pale_desk_is_outlined():
    """fmeow-743165244.jpg: no outline on main (0.000). Each corner within 1 % of the photo's long side."""
    p = next(p for p in tuning_photos() if p.name == "fmeow-743165244.jpg")
    found = find_page(p.image)
    assert found.found
    err = np.linalg.norm(found.quad.as_array() - p.corners, axis=1)
    assert err.max() <= 0.01 * max(p.image.shape[:2]), np.round(err, 1)


@pytest.mark.parametrize("colour", [(40, 120, 235), (200, 140, 60), (90, 190, 90)])
def test_a_rendered_coloured_printed_sheet_on_a_pale_desk_is_outlined(colour):
    """Orange, blue and green sheets carrying text lines, darker than the desk: no outline on main."""
    found = detect_page(_scene(colour=colour))
    assert found is not None
    assert quad_iou(found, Quad.from_points(_QUAD), (W, H)) > 0.97


def test_a_flat_coloured_card_without_print_is_not_a_page():
    """By outline a plain coloured card is the same scene; with nothing printed on it, it stays no page."""
    assert detect_page(_scene(text=False)) is None


@pytest.mark.parametrize("grey", [120, 150])
def test_a_shadow_on_a_pale_desk_is_not_a_page(grey):
    """A neutral darker patch (a shadow) with dark marks in it keeps the desk's grey: not a coloured sheet."""
    assert detect_page(_scene(colour=(grey, grey, grey))) is None


def test_a_warm_lamp_patch_on_a_pale_desk_is_not_a_page():
    """A soft, yellowish brighter patch (a desk lamp) with print beside it: not darker than the desk, no sides."""
    img = _scene(colour=(200, 200, 200)).astype(np.float32)
    yy, xx = np.mgrid[0:H, 0:W]
    glow = np.exp(-(((xx - 640) / 260.0) ** 2 + ((yy - 360) / 180.0) ** 2))[..., None]
    img = np.clip(img + glow * np.array([10.0, 45.0, 60.0], np.float32), 0, 255).astype(np.uint8)
    assert detect_page(img) is None


@pytest.mark.parametrize("kind", ["empty_wood", "empty_pale", "empty_folder", "empty_cables"])
def test_an_empty_desk_is_still_no_page(kind):
    for seed in range(6):
        assert detect_page(hard_scenes.render(kind, seed).image) is None, (kind, seed)


@pytest.mark.parametrize("kind,seed", [("cover", 0), ("cover", 1), ("tinted", 0), ("pale_on_pale", 0)])
def test_pages_found_before_are_outlined_as_before(kind, seed):
    scene = hard_scenes.render(kind, seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.98
