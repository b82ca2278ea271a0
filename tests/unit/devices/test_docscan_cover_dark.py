"""A dark cover carrying a printed picture block (issue 22 item 1, round 6; docscan.within).

Protects: a dark book or booklet cover (luma 40-110) with a light photo rectangle printed on it, as the held-apart
paperback whose cover pictures a tablet: the block is light, one colour apart from its print and lighter than the
cover all round, so the first pass takes it (or a quad mixing its sides with the cover's) for a paper page and the
cover pass never ran; main outlines the picture (Jaccard 0.33-0.42). When the chosen page's surround is not the
desk, a printed cover holding it with parallel sides is taken instead. Rendered analogues: the kind ``cover_dark``
(tests/helpers/hard_scenes_cover_dark.py). Left as it was: a white sheet laid on a dark folder (turned, or square
on it) is still the sheet, a page on the desk does not ask for the cover pass at all, the earlier covers, booklets
and empty desks are as before.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan.detect import _prepare, _to_small
from devices.camera.docscan.within import cover_round_page
from tests.helpers import hard_scenes
from tests.helpers.hard_scenes import _blank, _finish, _page_quad, _paste, _text_lines

W, H = 1280, 720


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_a_dark_cover_with_a_printed_picture_is_outlined_not_its_picture(seed):
    """Rendered ``cover_dark`` scenes with a picture block: main outlines the picture (0.33-0.42)."""
    scene = hard_scenes.render("cover_dark", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.97


@pytest.mark.parametrize("seed", [0, 1, 12, 13])
def test_a_dark_cover_with_an_emblem_is_still_found_by_the_cover_pass(seed):
    scene = hard_scenes.render("cover_dark", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.97


def _sheet_on_folder(seed: int, turn: float) -> tuple[np.ndarray, np.ndarray]:
    """A white printed sheet lying on a dark red folder on a pale desk, turned by ``turn`` degrees on it."""
    rng = np.random.default_rng([seed, 77])
    img = np.full((H, W, 3), 185.0, np.float32) + rng.uniform(-5, 5, 3)
    folder = _page_quad(rng, 230, 310, 0.92)
    _paste(img, _blank(460, 620, (40, 45, 130)), folder)
    sheet = _blank(420, 594)
    _text_lines(sheet, rng, 0.1, 0.9, 0.1, 0.9)
    c = folder.mean(axis=0)
    a = np.deg2rad(turn)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    quad = (folder - c) @ rot.T * 0.78 + c
    _paste(img, sheet, quad)
    return _finish(img, rng), quad


@pytest.mark.parametrize("seed,turn", [(0, 0.0), (1, 8.0), (2, -10.0), (3, 2.0)])
def test_a_white_sheet_on_a_dark_folder_is_still_the_sheet(seed, turn):
    """The folder is a flat second object round the sheet, not a printed cover: the sheet stays the page."""
    img, quad = _sheet_on_folder(seed, turn)
    found = detect_page(img)
    assert found is not None
    assert quad_iou(found, Quad.from_points(quad), (W, H)) > 0.95


@pytest.mark.parametrize("kind,seed", [("booklet", 0), ("ruled_form", 1), ("id_card", 2), ("receipt", 3)])
def test_a_page_on_its_desk_does_not_ask_for_the_cover_pass(kind, seed):
    """The surround of a page lying on the desk is the desk: the cover candidates are never computed."""
    scene = hard_scenes.render(kind, seed)
    work = _prepare(scene.image)

    def covers(keep):
        raise AssertionError("the cover pass was asked for")

    cq, _ = cover_round_page(work, _to_small(scene.quad, work.scale), covers)
    assert len(cq) == 0


@pytest.mark.parametrize("seed", range(5))
def test_the_earlier_covers_are_outlined_as_before(seed):
    scene = hard_scenes.render("cover", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.98


@pytest.mark.parametrize("kind", ["empty_wood", "empty_pale", "empty_folder", "empty_cables"])
def test_an_empty_desk_is_still_no_page(kind):
    for seed in range(6):
        assert detect_page(hard_scenes.render(kind, seed).image) is None, (kind, seed)
