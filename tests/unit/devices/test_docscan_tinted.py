"""A pale tinted document a shade darker than its desk (issue 22 item 1, round 5; docscan.tinted).

Protects: a light cyan train ticket on a white-grey desk (hed-2016004_2017112013811_1.jpg) is a little darker than
the desk, its sides step by a few grey levels, Hough found only three of them and the bright-region hulls outline
the desk: no outline at all on main (Jaccard 0.000). Its chroma differs from the desk's all round; the region of
that chroma, its hull snapped onto the step, is judged by the page score as any candidate. Rendered analogues: the
kind ``tinted`` (tests/helpers/hard_scenes_tinted.py). Left as it was: empty desks give no page, coloured covers
are still found by the cover pass, and a tinted document on a desk darker than it is outlined as before.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, find_page, quad_iou
from devices.camera.docscan.detect import _prepare
from devices.camera.docscan.tinted import tinted_quads
from tests.helpers import hard_scenes
from tests.helpers.real_photos import tuning_photos

W, H = 1280, 720


def test_the_cyan_ticket_darker_than_its_desk_is_outlined():
    """hed-2016004_2017112013811_1.jpg: no outline on main (0.000). Each corner within 2 % of the photo's long side
    of the labelled one (its corners are rounded and one is torn)."""
    p = next(p for p in tuning_photos() if p.name == "hed-2016004_2017112013811_1.jpg")
    found = find_page(p.image)
    assert found.found
    err = np.linalg.norm(found.quad.as_array() - p.corners, axis=1)
    assert err.max() <= 0.02 * max(p.image.shape[:2]), np.round(err, 1)


@pytest.mark.parametrize("seed", [0, 13])
def test_a_rendered_tinted_ticket_darker_than_its_desk_is_outlined(seed):
    """Rendered ``tinted`` scenes that main's detector misses (no outline)."""
    scene = hard_scenes.render("tinted", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.97


@pytest.mark.parametrize("seed", [3, 7])
def test_a_tinted_document_on_a_darker_desk_is_outlined_as_before(seed):
    """The desk darker than the document (the usual case): main outlines these at 0.99 and more; the step does
    not run (a paper page was found)."""
    scene = hard_scenes.render("tinted", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.98


@pytest.mark.parametrize("kind", ["empty_wood", "empty_pale", "empty_folder", "empty_cables"])
def test_an_empty_desk_is_still_no_page(kind):
    for seed in range(6):
        assert detect_page(hard_scenes.render(kind, seed).image) is None, (kind, seed)


@pytest.mark.parametrize("seed", range(3))
def test_a_coloured_cover_is_still_found_by_the_cover_pass(seed):
    scene = hard_scenes.render("cover", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.98


def test_a_plain_desk_gives_no_tinted_region():
    """A desk of one colour: no chroma far enough from the border's for a region at all."""
    img = np.full((H, W, 3), 190, np.uint8)
    img += np.random.default_rng(1).integers(0, 4, img.shape, dtype=np.uint8)
    assert len(tinted_quads(_prepare(img))) == 0
