"""A piece of the page cut off by a pen across it (issue 22 item 1, round 32; rendered analogue:
tests/helpers/hard_scenes_pen.py, its own seed stream).

Protects: a side of the outline that is a pen's flank, with the same paper beyond the pen and the page's neighbouring
sides running on past it, moves out to the page's true edge (docscan.pen; on main these were outlined as the part on
one side of the pen, 0.52-0.79); a heavy printed rule near a page's edge where the page truly ends, a pen lying
beside a page and two sheets side by side keep the outline they get without the rule.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, find_page, quad_iou
from devices.camera.docscan import pen, piece
from tests.helpers import hard_scenes, hard_scenes_pen

_FRAME = (hard_scenes.W, hard_scenes.H)


@pytest.mark.parametrize("seed", [7, 10, 22, 32, 57])
def test_the_page_runs_on_past_a_pen_across_it(seed):
    """Main: 0.79, 0.54, 0.63, 0.53, 0.52 (the part of the page on one side of the pen; 22 a thick grey pen running
    off the frame, 32 on wood grain, 7 and 57 slanted across)."""
    s = hard_scenes_pen.render(seed)
    found = find_page(s.image)
    assert found.found, (seed, found.confidence)
    assert quad_iou(found.quad, Quad.from_points(s.quad), _FRAME) > 0.95, seed


def _outline_without_the_rule(image: np.ndarray, monkeypatch) -> Quad | None:
    with monkeypatch.context() as m:
        m.setattr(pen, "ENABLED", False)
        return detect_page(image)


@pytest.mark.parametrize("kind", ["rule", "beside", "two"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_controls_keep_their_outline(kind, seed, monkeypatch):
    """A heavy printed rule 4-8 % in from an edge where the sheet truly ends, a pen on the desk beside a page, two
    sheets side by side: the same outline with the rule as without it."""
    s = hard_scenes_pen.control(kind, seed)
    before = _outline_without_the_rule(s.image, monkeypatch)
    after = detect_page(s.image)
    assert (before is None) == (after is None), (kind, seed)
    if after is not None:
        assert np.abs(after.as_array() - before.as_array()).max() < 1.0, (kind, seed)


def test_without_the_rule_the_pen_cuts_the_page(monkeypatch):
    """The analogue fails without docscan.pen (so the tests above test it); docscan.piece (round 39), which grows a
    piece of a card to the whole card, is switched off too: it finds this card whole by itself."""
    monkeypatch.setattr(piece, "ENABLED", False)
    s = hard_scenes_pen.render(10)
    q = _outline_without_the_rule(s.image, monkeypatch)
    assert q is None or quad_iou(q, Quad.from_points(s.quad), _FRAME) < 0.8
