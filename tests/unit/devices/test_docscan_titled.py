"""A plain coloured cover with only a small title (issue 22 item 1, round 12; docscan.titled).

Protects: rendered ``cover_dark`` seeds 8-11 (a red, blue, green or grey cover on a grey desk, plain but for a short
title near its top edge), missed on main (no outline; the kind 0.7317 over seeds 0-14): the title lies in the margin
docscan.cover leaves out and its letters are thinner than the blob a pen is told from, so by print share the cover is
the flat dark folder of ``empty_folder``. A title is a row of small marks inside the cover; a pen or a cable is one
long stroke, usually running in past a side, and a tablet on a folder one large block. Left as it was: the empty
desks (the folder with its pens and cables) give no page; the earlier dark covers and covers are outlined as before.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan.titled import titled
from tests.helpers import hard_scenes

W, H = 1280, 720
_QUAD = np.array([[40.0, 20.0], [140.0, 20.0], [140.0, 160.0], [40.0, 160.0]])


@pytest.mark.parametrize("seed", [8, 9, 10, 11])
def test_a_plain_cover_with_a_small_title_is_outlined(seed):
    """Main finds no page in these four (Jaccard 0.000)."""
    scene = hard_scenes.render("cover_dark", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.97


def _cover(marks=(), strokes=()) -> np.ndarray:
    """A small opponent image: a grey desk, a flat dark red cover on it (``_QUAD``), light marks and strokes on it."""
    opp = np.zeros((180, 320, 3), np.float32)
    opp[...] = (120.0, 0.0, 0.0)
    opp[20:161, 40:141] = (60.0, 30.0, 10.0)
    for y0, x0, y1, x1 in list(marks) + list(strokes):
        opp[y0:y1, x0:x1] = (200.0, 10.0, 40.0)
    return opp


def test_a_row_of_small_marks_is_a_title():
    row = [(40, x, 46, x + 5) for x in (65, 75, 85, 95, 105)]
    assert titled(_cover(row), _QUAD)
    sideways = [(y, 60, y + 5, 66) for y in (50, 62, 74, 86, 98)]
    assert titled(_cover(sideways), _QUAD)


@pytest.mark.parametrize("strokes", [
    [],                                                           # a flat folder
    [(40, 80, 46, 86)],                                           # one speck
    [(40, 65, 46, 70), (40, 75, 46, 80)],                         # two specks close together: no title's span
    [(88, 20, 92, 160)],                                          # a pen across the whole folder
    [(88, 40, 92, 110)],                                          # a pen running in from a side
    [(60, 70, 120, 120)],                                         # a tablet lying on it
    [(40, 65, 46, 70), (40, 95, 46, 100), (70, 80, 76, 85)],      # marks not in one row
    [(40, 65, 46, 70), (40, 95, 46, 100), (100, 50, 104, 130)],   # a title row and a pen inside the folder
])
def test_what_is_not_one_row_of_small_marks_is_no_title(strokes):
    assert not titled(_cover(strokes=strokes), _QUAD)


@pytest.mark.parametrize("kind,seeds", [("cover_dark", [0, 4, 12]), ("cover", [0, 1, 2]), ("cover_lit", [1, 3])])
def test_the_earlier_covers_are_outlined_as_before(kind, seeds):
    for seed in seeds:
        scene = hard_scenes.render(kind, seed)
        found = detect_page(scene.image)
        assert found is not None, (kind, seed)
        assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.97, (kind, seed)


@pytest.mark.parametrize("kind", ["empty_folder", "empty_cables", "empty_wood", "empty_pale"])
def test_an_empty_desk_is_still_no_page(kind):
    for seed in range(8):
        assert detect_page(hard_scenes.render(kind, seed).image) is None, (kind, seed)
