"""A cover in two colours outlined by its pale part only (issue 22 item 1, round 8; docscan.band).

Protects: an A5 exercise book on pale grey planks (fmeow-33538838.jpg), white above an orange band, was outlined by
its white part on main (0.615): the white-to-orange boundary steps like a paper edge, and the whole book scores
less. The outline now takes in the band of another colour beyond that side, when the band's region runs on
straight from the outline's neighbouring sides. Left as it was: a page whose cast shadow lies beyond one side (a
shadow keeps the desk's grey), a stack of sheets, a page on a pale table, and the pages found before.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, find_page, quad_iou
from tests.helpers import hard_scenes
from tests.helpers.real_photos import tuning_photos

W, H = 1280, 720
_BOOK = np.array([[380, 90], [900, 100], [915, 640], [370, 650]], np.float64)


def _book(band_colour=(40, 140, 235), seed: int = 0) -> np.ndarray:
    """A white cover with text over a band of ``band_colour`` (BGR) across its lower 35 %, on a pale grey desk
    a shade darker than the white, with a soft shadow to the book's left."""
    rng = np.random.default_rng(seed)
    img = np.full((H, W, 3), 196, np.float32)
    img *= np.linspace(0.97, 1.03, H, dtype=np.float32)[:, None, None]
    shadow = np.zeros((H, W), np.float32)
    cv2.fillConvexPoly(shadow, (_BOOK + [-14, 6]).round().astype(np.int32), 1.0)
    img *= (1 - 0.35 * cv2.GaussianBlur(shadow, (0, 0), 8))[..., None]
    tl, tr, br, bl = _BOOK
    ml, mr = tl + 0.65 * (bl - tl), tr + 0.65 * (br - tr)
    cv2.fillConvexPoly(img, np.array([tl, tr, mr, ml]).round().astype(np.int32), (238, 238, 236))
    cv2.fillConvexPoly(img, np.array([ml, mr, br, bl]).round().astype(np.int32), band_colour)
    for y in range(150, 420, 26):
        cv2.line(img, (440, y), (440 + int(rng.integers(200, 380)), y), (120, 120, 125), 2)
    for x in range(470, 820, 70):   # a white title in blocks on the band
        cv2.rectangle(img, (x, 520), (x + 40, 580), (250, 250, 250), -1)
    img += rng.normal(0, 2.0, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_the_white_and_orange_exercise_book_is_outlined_whole():
    """fmeow-33538838.jpg: the white part only on main (0.615). Each corner within 2 % of the long side."""
    p = next(p for p in tuning_photos() if p.name == "fmeow-33538838.jpg")
    found = find_page(p.image)
    assert found.found
    err = np.linalg.norm(found.quad.as_array() - p.corners, axis=1)
    assert err.max() <= 0.02 * max(p.image.shape[:2]), np.round(err, 1)


@pytest.mark.parametrize("colour", [(40, 140, 235), (190, 120, 40)])
def test_a_rendered_book_with_a_coloured_band_is_outlined_whole(colour):
    found = detect_page(_book(colour))
    assert found is not None
    assert quad_iou(found, Quad.from_points(_BOOK), (W, H)) > 0.97


def test_a_grey_band_beyond_a_page_is_not_taken_in():
    """The band neutral and darker than the desk (a shadow's grey): the white part alone, as on main."""
    found = detect_page(_book((120, 120, 120)))
    assert found is not None
    tl, tr, br, bl = _BOOK
    white = np.array([tl, tr, tr + 0.65 * (br - tr), tl + 0.65 * (bl - tl)])
    assert quad_iou(found, Quad.from_points(white), (W, H)) > 0.95


@pytest.mark.parametrize("kind,seed", [("stacked", 0), ("stacked", 11), ("on_table", 0), ("booklet", 0),
                                       ("fold", 0), ("cover", 0)])
def test_pages_found_before_are_outlined_as_before(kind, seed):
    scene = hard_scenes.render(kind, seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.95
