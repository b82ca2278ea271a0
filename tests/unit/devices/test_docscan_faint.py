"""A sheet a few grey levels off the pale table it lies on (issue 22, e; rendered analogues: tests/helpers/hard_scenes,
kind ``on_table``).

Protects: a sheet on a grained table top a shade darker than it, or on a table lighter than the sheet, is the
page, not the table round it (on main on_table 1, 7 and 12 were outlined as the table, Jaccard 0.09-0.29, with
full confidence); a real page's text block, ruled frame, fold or cover is never taken for a sheet lying on it
(docscan.faint).
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, find_page, quad_iou
from devices.camera.docscan import detect as detect_mod
from devices.camera.docscan.detect import _prepare
from tests.helpers import hard_scenes

_FRAME = (hard_scenes.W, hard_scenes.H)


@pytest.mark.parametrize("seed", [1, 7, 12])
def test_the_sheet_on_the_table_is_the_page(seed):
    """Main outlined the table here (1: grained, a shade darker than the sheet; 7: lighter than the sheet; 12:
    grained, nearly the sheet's shade)."""
    s = hard_scenes.render("on_table", seed)
    found = find_page(s.image)
    assert found.found, (seed, found.confidence)
    assert quad_iou(found.quad, Quad.from_points(s.quad), _FRAME) > 0.95, seed


@pytest.mark.parametrize("kind, seed", [("ruled_form", 0), ("booklet", 0), ("booklet", 3), ("fold", 0),
                                        ("rule_split", 3), ("cover", 0), ("pale_on_pale", 0), ("id_card", 0)])
def test_nothing_is_found_inside_a_real_page(kind, seed):
    """Called on the true outline (detection pixels) of a real page: its text block, printed frame, the half
    beyond a fold or a cover's picture is not a sheet lying on it."""
    s = hard_scenes.render(kind, seed)
    work = _prepare(s.image)
    page = detect_mod._order_batch(((s.quad + 0.5) * work.scale - 0.5)[None])[0]
    assert detect_mod._faint(work, page) is None, (kind, seed)


@pytest.mark.parametrize("kind", ["ruled_form", "booklet", "stacked", "pale_on_pale", "fold", "rule_split"])
def test_real_pages_are_left_as_they_are(kind, monkeypatch):
    """Over 8 scenes each, the outline is the same with and without the step."""
    ours = [detect_page(hard_scenes.render(kind, seed).image) for seed in range(8)]
    monkeypatch.setattr(detect_mod, "_faint", lambda work, quad: None)
    for seed, got in enumerate(ours):
        want = detect_page(hard_scenes.render(kind, seed).image)
        assert (got is None) == (want is None), (kind, seed)
        if got is not None:
            assert np.allclose(got.as_array(), want.as_array()), (kind, seed)
