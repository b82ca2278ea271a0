"""A till receipt on a pale surface nearly its shade, outlined by one rim, shadow line or step along each side of its
print (issue 22 item 1, round 26; docscan.slip).

Protects: the tuning photo adck872/ReceiptScanningAI images/receipt2.jpg (not committed: skipped where its fetch
mirror is absent; its print 0.63 of its length, wider than docscan.column's column, shadow lines on its right and
bottom dark enough to count as print, a 3-4 level step on its left), the rendered ``receipt_pale`` seeds 6 and 11
(one end's steps too weak to line up profile by profile) and the rendered short receipts (``render_short``, the
photo's analogue): main finds no outline on any of these (0.000). Left as it was: the same print drawn on the
surface with no paper edge (a column, and a block wider than a column), empty desks, other rendered kinds (the same
outline, or none, with docscan.slip switched off).
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect, detect_page, quad_iou
from devices.camera.docscan.slip import receipt_slip
from tests.helpers import hard_scenes, hard_scenes_receipt_pale
from tests.helpers.real_photos import tuning_photos

W, H = 1280, 720


@pytest.mark.parametrize("seed", [6, 11])
def test_a_receipt_whose_end_steps_are_weak_is_outlined(seed):
    """``receipt_pale`` 6 (bright rims) and 11 (dark rims): docscan.column finds no line for one end."""
    scene = hard_scenes_receipt_pale.render(seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.95


@pytest.mark.parametrize("seed", [0, 1, 5, 8])
def test_a_short_receipt_with_a_shadow_line_is_outlined(seed):
    """Print wider than a column, a shadow line as dark as print on two sides, a plain step on the third."""
    scene = hard_scenes_receipt_pale.render_short(seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.93


def test_the_short_receipt_photo_on_pale_grey_is_outlined():
    photos = [p for p in tuning_photos() if p.name == "images/receipt2.jpg"]
    if not photos:
        pytest.skip("adck872/ReceiptScanningAI is not on this machine")
    p = photos[0]
    found = detect_page(p.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(p.corners), p.image.shape[1::-1]) > 0.93


@pytest.mark.parametrize("seed", [0, 1, 2, 5, 6, 9, 11])
def test_a_print_column_with_no_paper_edge_is_no_page(seed):
    """The print on the surface's own shade with no edge: a person sees no sheet's outline either."""
    image = hard_scenes_receipt_pale.render(seed, rims=False).image
    assert receipt_slip(image) is None
    assert detect_page(image) is None


@pytest.mark.parametrize("seed", range(6))
def test_a_wide_print_block_with_no_paper_edge_is_no_page(seed):
    image = hard_scenes_receipt_pale.render_short(seed, paper=False).image
    assert receipt_slip(image) is None
    assert detect_page(image) is None


def _same_without_slip(monkeypatch, image: np.ndarray) -> None:
    with_slip = detect_page(image)
    monkeypatch.setattr(detect, "receipt_slip", lambda img: None)
    without = detect_page(image)
    monkeypatch.undo()
    if with_slip is None or without is None:
        assert with_slip is None and without is None
    else:
        assert np.allclose(with_slip.as_array(), without.as_array())


@pytest.mark.parametrize("kind,seed", [("receipt", 3), ("pale_on_pale", 1), ("tinted", 104), ("tinted", 129),
                                       ("empty_pale", 0), ("empty_pale", 3), ("empty_table", 2),
                                       ("empty_folder", 0)])
def test_other_kinds_are_left_as_they_were(monkeypatch, kind, seed):
    _same_without_slip(monkeypatch, hard_scenes.render(kind, seed).image)


@pytest.mark.parametrize("seed", range(4))
def test_empty_pale_desks_show_no_receipt(seed):
    assert receipt_slip(hard_scenes.render("empty_pale", seed).image) is None
