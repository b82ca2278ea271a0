"""A hardback with a picture cover on a dark table in a dim room, seen from its near end (issue 22 item 1, round 21;
docscan.book).

Protects: the rendered analogue ``book`` (tests/helpers/hard_scenes_book.py, its own seed stream): the cover's left and
right sides 24-34 degrees from parallel, its spine a cloth strip a few levels over the table, the page block past its
near side; main finds no outline on these seeds (0.000). The tuning photo cv_desk.png (not committed: skipped where its
fetch mirror is absent) likewise, main 0.000. Left as it was: rendered kinds whose frames are not dim, dark covers and
empty desks (the same outline, or none, with docscan.book switched off), and the two receipts on pale grey (still
missed, see docs/docscan.md "What still fails").
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect, detect_page, quad_iou
from devices.camera.docscan.book import dark_book
from tests.helpers import hard_scenes, hard_scenes_book
from tests.helpers.real_photos import tuning_photos

W, H = 1280, 720


@pytest.mark.parametrize("seed", [3, 5, 11, 14])
def test_a_rendered_hardback_on_a_dark_table_is_outlined(seed):
    """Rendered ``book`` scenes main misses (no outline)."""
    scene = hard_scenes_book.render(seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.88


def test_the_hardback_photo_is_outlined():
    photos = [p for p in tuning_photos() if p.name == "cv_desk.png"]
    if not photos:
        pytest.skip("mdmamunhasan/interest-point-matching is not on this machine")
    p = photos[0]
    found = detect_page(p.image)
    assert quad_iou(found, Quad.from_points(p.corners), p.image.shape[1::-1]) > 0.85


def _same_without_book(monkeypatch, image: np.ndarray) -> None:
    with_book = detect_page(image)
    monkeypatch.setattr(detect, "dark_book", lambda work, hough: None)
    without = detect_page(image)
    monkeypatch.undo()
    if with_book is None or without is None:
        assert with_book is None and without is None
    else:
        assert np.allclose(with_book.as_array(), without.as_array())


@pytest.mark.parametrize("kind,seed", [("cover_dark", 0), ("cover_dark", 9), ("cover", 2), ("tinted", 104),
                                       ("empty_folder", 0), ("empty_cables", 1), ("empty_table", 2)])
def test_other_kinds_are_left_as_they_were(monkeypatch, kind, seed):
    _same_without_book(monkeypatch, hard_scenes.render(kind, seed).image)


def test_a_plain_box_on_a_dark_table_is_not_a_book():
    """A dim frame whose only lit thing is a plain dark-grey box in the same perspective (no print): docscan.book
    offers nothing."""
    rng = np.random.default_rng(5)
    img = np.full((H, W, 3), 18.0) + rng.normal(0, 2, (H, W, 3))
    cv2.fillConvexPoly(img, hard_scenes_book.render(3).quad.round().astype(np.int32), (70, 70, 70))
    work = detect._prepare(np.clip(img, 0, 255).astype(np.uint8))
    assert dark_book(work, lambda: detect._hough(work)) is None
