"""A long line inside the page taken for its side (issue 22, a; rendered analogues: tests/helpers/hard_scenes,
kinds ``fold`` and ``rule_split``).

Protects: a newspaper's fold or a heavy printed rule under a figure no longer closes the outline: the page's
neighbouring sides run on past the line to its true far edge, and the outline takes in the band beyond it
(on main these scenes were outlined as the part on one side of the line, Jaccard 0.53-0.64); a lower sheet of a
stack and a table top round a sheet are not taken in by the same step (docscan.fold).
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, find_page, quad_iou
from devices.camera.docscan import detect as detect_mod
from devices.camera.docscan.detect import _prepare
from devices.camera.docscan.fold import reach_past_line
from tests.helpers import hard_scenes

_FRAME = (hard_scenes.W, hard_scenes.H)


@pytest.mark.parametrize("kind, seed", [("fold", 11), ("fold", 13), ("fold", 14), ("rule_split", 1)])
def test_the_page_runs_on_past_a_fold_or_a_rule(kind, seed):
    """Main outlined one side of the line here (fold 11, 13, 14: 0.51-0.58; rule_split 1: 0.64)."""
    s = hard_scenes.render(kind, seed)
    found = find_page(s.image)
    assert found.found, (kind, seed, found.confidence)
    assert quad_iou(found.quad, Quad.from_points(s.quad), _FRAME) > 0.96, (kind, seed)


def test_a_far_half_wider_than_the_outlined_one_is_reached():
    """fold 21: the half beyond the fold is 1.38 times as wide as the half outlined (main: 0.43, the extensions
    were followed only 1.3 times the neighbouring sides' length)."""
    s = hard_scenes.render("fold", 21)
    found = find_page(s.image)
    assert found.found
    assert quad_iou(found.quad, Quad.from_points(s.quad), _FRAME) > 0.96


def test_a_page_whose_far_corner_touches_the_frame_edge_is_reached():
    """rule_split 13: the page's far corner lies 2 px from the frame's top edge, so the extension of the side
    beside it leaves the frame while it still steps to the desk (main: "runs off the frame, not judged", the part
    below the figure outlined, 0.636). The step running on to the frame's edge ends there."""
    s = hard_scenes.render("rule_split", 13)
    found = find_page(s.image)
    assert found.found
    assert quad_iou(found.quad, Quad.from_points(s.quad), _FRAME) > 0.95


@pytest.mark.parametrize("kind, seed", [("fold", 0), ("rule_split", 3)])
def test_the_whole_page_is_left_as_it_is(kind, seed):
    """Called on the true outline (detection pixels) of a page with a fold or a rule inside: nothing moves, the
    desk lies beyond every side."""
    s = hard_scenes.render(kind, seed)
    work = _prepare(s.image)
    page = detect_mod._order_batch(((s.quad + 0.5) * work.scale - 0.5)[None])[0]
    assert reach_past_line(work, page) is None


@pytest.mark.parametrize("kind", ["stacked", "on_table", "near_border"])
def test_a_stack_or_a_table_is_not_taken_in(kind, monkeypatch):
    """Over 15 scenes each, the outline is the same with and without the step: a lower sheet's strip beyond the
    top sheet's side, or the table top round a sheet, is not a band of the same page; nor is the desk between a
    sheet and the frame's edge (near_border: 5-60 px from it)."""
    ours = [detect_page(hard_scenes.render(kind, seed).image) for seed in range(15)]
    monkeypatch.setattr(detect_mod, "reach_past_line", lambda work, quad: None)
    for seed, got in enumerate(ours):
        want = detect_page(hard_scenes.render(kind, seed).image)
        assert (got is None) == (want is None), (kind, seed)
        if got is not None:
            assert np.allclose(got.as_array(), want.as_array()), (kind, seed)


def test_the_sheet_on_a_table_is_not_widened_onto_the_table():
    """Called on the true outline of a sheet lying on a pale table (on_table 0): the table beyond a side is not
    desk seen past the sheet's corners, so no side moves."""
    s = hard_scenes.render("on_table", 0)
    work = _prepare(s.image)
    page = detect_mod._order_batch(((s.quad + 0.5) * work.scale - 0.5)[None])[0]
    assert reach_past_line(work, page) is None
