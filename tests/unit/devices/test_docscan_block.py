"""A book's page block taken for part of its cover (issue 22 item 1, round 27; docscan.block).

Protects: the rendered analogue ``paperback`` (tests/helpers/hard_scenes_paperback.py, its own seed stream): a light
coloured paperback on a dark desk, its cream page block showing past one or two adjacent sides; main outlines the
cover with the block (0.82-0.87 on the seeds below). The rendered hardback ``book`` (round 21's stream), whose near end
main takes at the page block's far edge (0.81-0.82), and the tuning photos test1.jpg (Justinyu1618, main 0.859) and
cv_desk.png (mdmamunhasan, main 0.898), both read from their fetch mirror (skipped where absent). Left as they were: a
photo print with a white border all round, a page whose margin lies round a printed header, plain bands along two
opposite sides, and the rendered neighbours (printed frames inside a page, covers, folds, empty desks).
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect, detect_page, quad_iou
from devices.camera.docscan.block import near_edge
from devices.camera.docscan.refine import to_opponent
from tests.helpers import hard_scenes, hard_scenes_book, hard_scenes_paperback
from tests.helpers.real_photos import tuning_photos

W, H = 1280, 720


@pytest.mark.parametrize("seed", [0, 4, 7, 11])
def test_a_rendered_paperback_is_outlined_without_its_page_block(seed):
    scene = hard_scenes_paperback.render(seed)
    found = detect_page(scene.image)
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.95


@pytest.mark.parametrize("seed", [6, 13, 24])
def test_a_rendered_hardback_near_end_is_the_cover_not_the_page_block(seed):
    scene = hard_scenes_book.render(seed)
    found = detect_page(scene.image)
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.88


def _photo(name: str, source: str):
    found = [p for p in tuning_photos() if p.name == name and source in p.source]
    if not found:
        pytest.skip(f"{source} {name} is read from its checkout or fetch mirror, not here")
    return found[0]


@pytest.mark.parametrize("name,source,least", [("test1.jpg", "Justinyu", 0.92), ("cv_desk.png", "mdmamunhasan", 0.93)])
def test_the_book_photos_are_outlined_by_their_cover(name, source, least):
    p = _photo(name, source)
    found = detect_page(p.image)
    assert quad_iou(found, Quad.from_points(p.corners), p.image.shape[1::-1]) > least


def _opp(img: np.ndarray) -> np.ndarray:
    small = cv2.resize(img, (320, 180), interpolation=cv2.INTER_AREA)
    return to_opponent(cv2.GaussianBlur(small, (0, 0), 0.8))


_OUTER = np.array([[80, 30], [240, 30], [240, 150], [80, 150]], np.float64)   # at 320 x 180


def _sheet(colour, band: dict[str, tuple]) -> np.ndarray:
    """A coloured rectangle on a dark desk with plain bands of other colours along the named sides (320 x 180)."""
    img = np.full((180, 320, 3), 25, np.uint8)
    cv2.rectangle(img, (80, 30), (240, 150), colour, -1)
    for side, col in band.items():
        x0, y0, x1, y1 = {"top": (80, 30, 240, 42), "right": (228, 30, 240, 150), "bottom": (80, 138, 240, 150),
                          "left": (80, 30, 92, 150)}[side]
        cv2.rectangle(img, (x0, y0), (x1, y1), col, -1)
    for k in range(3):   # some print on the cover
        cv2.rectangle(img, (110 + 30 * k, 70), (128 + 30 * k, 95), (30, 30, 30), 3)
    return img


def test_a_cover_with_its_block_along_one_side_moves_that_side_in():
    near = near_edge(_opp(_sheet((220, 200, 60), {"right": (185, 205, 215)})), _OUTER)
    assert near is not None
    assert abs(near[1, 0] - 228) < 2 and abs(near[2, 0] - 228) < 2
    assert np.abs(near[[0, 3]] - _OUTER[[0, 3]]).max() < 1


def test_a_photo_print_with_a_white_border_all_round_is_left_whole():
    white = (235, 235, 235)
    img = _sheet((60, 120, 200), {s: white for s in ("top", "right", "bottom", "left")})
    assert near_edge(_opp(img), _OUTER) is None


def test_plain_bands_along_two_opposite_sides_are_no_page_block():
    img = _sheet((220, 200, 60), {"left": (185, 205, 215), "right": (185, 205, 215)})
    assert near_edge(_opp(img), _OUTER) is None


def test_a_page_margin_round_a_grey_header_is_the_page():
    """A white page whose top part is a grey printed header: the margin above it is the page's own paper."""
    img = _sheet((240, 240, 238), {})
    cv2.rectangle(img, (92, 42), (228, 80), (150, 150, 150), -1)
    assert near_edge(_opp(img), _OUTER) is None


def _same_without_block(monkeypatch, image: np.ndarray) -> None:
    with_block = detect_page(image)
    monkeypatch.setattr(detect, "near_edge", lambda opp, quad: None)
    without = detect_page(image)
    monkeypatch.undo()
    if with_block is None or without is None:
        assert with_block is None and without is None
    else:
        assert np.allclose(with_block.as_array(), without.as_array())


@pytest.mark.parametrize("kind,seed", [("ruled_form", 1), ("ruled_form", 7), ("rule_split", 3), ("cover", 2),
                                       ("cover", 5), ("cover_dark", 1), ("cover_lit", 4), ("booklet", 0),
                                       ("fold", 2), ("empty_folder", 0), ("empty_table", 2)])
def test_other_kinds_are_left_as_they_were(monkeypatch, kind, seed):
    _same_without_block(monkeypatch, hard_scenes.render(kind, seed).image)
