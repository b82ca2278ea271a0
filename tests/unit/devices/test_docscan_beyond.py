"""A cover outlined by a rectangle printed inside it (issue 22 item 1, round 29; docscan.beyond).

Protects: the tuning photo vaidya-cover-knife.jpg (Devansh-Vaidya, main 0.870: its top side a line across the cover's
picture 26-39 px inside the cover's own top edge), and the rendered analogue ``framed``
(tests/helpers/hard_scenes_framed.py, its own seed stream): a coloured cover whose picture holds a tablet or a photo
frame, its cover running on past the frame on one side, on wood, pale and dark desks; main outlines the frame
(0.72-0.82 on the seeds below). Left as they were: a card on a letter and a sheet on a book (the thing under it reaches
past its neighbouring sides, or it is paper), a cover at its own edges, a cover's shadow, and the rendered neighbours
(printed frames inside a page, folds, covers, paperbacks, stacks, empty desks).
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect, detect_page, quad_iou
from devices.camera.docscan.beyond import to_cover_edge
from devices.camera.docscan.refine import to_opponent
from tests.helpers import hard_scenes, hard_scenes_book, hard_scenes_framed, hard_scenes_paperback
from tests.helpers.real_photos import tuning_photos

W, H = 1280, 720


@pytest.mark.parametrize("seed,least", [(1, 0.84), (2, 0.9), (8, 0.95)])
def test_a_rendered_framed_cover_is_outlined_whole(seed, least):
    scene = hard_scenes_framed.render(seed)
    found = detect_page(scene.image)
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > least


def test_the_knife_cover_photo_is_outlined_to_its_top_edge():
    found = [p for p in tuning_photos() if p.name == "vaidya-cover-knife.jpg"]
    if not found:
        pytest.skip("vaidya-cover-knife.jpg is not here")
    p = found[0]
    assert quad_iou(detect_page(p.image), Quad.from_points(p.corners), p.image.shape[1::-1]) > 0.9


def _opp(img: np.ndarray) -> np.ndarray:
    return to_opponent(cv2.GaussianBlur(img, (0, 0), 0.8))


# at 320 x 180: the printed frame's outline (the cover's top edge is at y = 30, the frame's top at y = 48)
_FRAME = np.array([[100, 48], [220, 48], [220, 160], [100, 160]], np.float64)


def _scene(desk, cover, *, under=None, frame=True) -> np.ndarray:
    """A cover from (100, 30) to (220, 160) on a desk, a dark tablet printed on it from y = 48 down (320 x 180);
    ``under``: the colour of a larger thing it lies on, reaching 14 px past its top and 12 px past its sides."""
    img = np.full((180, 320, 3), desk, np.uint8)
    if under is not None:
        cv2.rectangle(img, (88, 16), (232, 170), under, -1)
    cv2.rectangle(img, (100, 30), (220, 160), cover, -1)
    cv2.circle(img, (130, 38), 5, (230, 230, 230), -1)   # some of the cover's picture above the frame
    if frame:
        cv2.rectangle(img, (100, 48), (220, 160), (25, 25, 30), -1)
        cv2.rectangle(img, (106, 54), (214, 154), (60, 170, 220), -1)
    return img


def test_a_cover_outlined_on_its_printed_frame_moves_its_top_side_out():
    out = to_cover_edge(_opp(_scene((70, 100, 140), (110, 50, 25))), _FRAME)
    assert out is not None
    assert abs(out[0, 1] - 30) < 2 and abs(out[1, 1] - 30) < 2
    assert np.abs(out[[2, 3]] - _FRAME[[2, 3]]).max() < 1


def test_a_cover_on_a_larger_thing_does_not_grow_onto_it():
    """A card on a letter, a cover on a larger book: the letter runs on past the card's sides too."""
    img = _scene((40, 40, 40), (110, 50, 25), under=(235, 235, 232), frame=False)
    outline = np.array([[100, 30], [220, 30], [220, 160], [100, 160]], np.float64)
    assert to_cover_edge(_opp(img), outline) is None


def test_a_sheet_on_a_book_is_left_to_the_paper_rules():
    img = _scene((40, 40, 40), (60, 40, 150), frame=False)
    cv2.rectangle(img, (100, 48), (220, 160), (240, 240, 238), -1)   # a white sheet on the red book
    assert to_cover_edge(_opp(img), _FRAME) is None


def test_a_cover_outlined_at_its_own_edges_stays():
    img = _scene((190, 190, 185), (110, 50, 25), frame=False)
    outline = np.array([[100, 30], [220, 30], [220, 160], [100, 160]], np.float64)
    assert to_cover_edge(_opp(img), outline) is None


def test_a_covers_shadow_is_not_taken_for_cover():
    img = _scene((190, 190, 185), (110, 50, 25), frame=False)
    cv2.rectangle(img, (100, 20), (220, 30), (120, 120, 117), -1)   # its shadow above its top edge
    outline = np.array([[100, 30], [220, 30], [220, 160], [100, 160]], np.float64)
    assert to_cover_edge(_opp(img), outline) is None


def _same_without_beyond(monkeypatch, image: np.ndarray) -> None:
    with_rule = detect_page(image)
    monkeypatch.setattr(detect, "to_cover_edge", lambda opp, quad: None)
    without = detect_page(image)
    monkeypatch.undo()
    if with_rule is None or without is None:
        assert with_rule is None and without is None
    else:
        assert np.allclose(with_rule.as_array(), without.as_array())


@pytest.mark.parametrize("kind,seed", [("ruled_form", 1), ("ruled_form", 7), ("rule_split", 3), ("fold", 2),
                                       ("cover", 2), ("cover", 5), ("cover_dark", 1), ("cover_lit", 4),
                                       ("stacked", 0), ("on_table", 1), ("booklet", 0), ("empty_wood", 0),
                                       ("empty_folder", 0), ("empty_table", 2)])
def test_other_kinds_are_left_as_they_were(monkeypatch, kind, seed):
    _same_without_beyond(monkeypatch, hard_scenes.render(kind, seed).image)


@pytest.mark.parametrize("seed", [0, 4, 9])
def test_paperbacks_and_books_are_left_as_they_were(monkeypatch, seed):
    _same_without_beyond(monkeypatch, hard_scenes_paperback.render(seed).image)
    _same_without_beyond(monkeypatch, hard_scenes_book.render(seed).image)
