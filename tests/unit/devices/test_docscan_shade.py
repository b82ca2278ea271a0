"""A page on a pale desk nearly its shade is not cut by the frame (issue 22 item 1, round 24; docscan.shade).

Protects: the tuning photo tonyxlh-a4-white.jpg (a printed A4 page on a white desk; main 0.702: a quad closed by
the frame's right border and a line of text, the page's faint right side 4-8 levels over the desk). Left as it was:
the rendered kinds nearest (near_border, a sheet near a frame border on a pale desk brightening towards it; on_table,
pale_on_pale, id_card), empty pale desks and the rendered ``pale_desk`` scenes (tests/helpers/hard_scenes_pale_desk.py:
pages near a border on a desk brightening towards it, cards on a white desk, the desk alone): the same outline, or
none, with docscan.shade switched off.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect, detect_page, quad_iou
from tests.helpers import hard_scenes, hard_scenes_pale_desk
from tests.helpers.real_photos import tuning_photos


def test_the_a4_page_on_a_white_desk_is_outlined_to_its_own_sides():
    p = next(p for p in tuning_photos() if p.name == "tonyxlh-a4-white.jpg")
    found = detect_page(p.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(p.corners), p.image.shape[1::-1]) > 0.98


def _same_without_shade(monkeypatch, image: np.ndarray) -> None:
    with_rule = detect_page(image)
    monkeypatch.setattr(detect, "off_the_border", lambda work, quads, scores, order, first, *a, **k: first)
    without = detect_page(image)
    monkeypatch.undo()
    if with_rule is None or without is None:
        assert with_rule is None and without is None
    else:
        assert np.allclose(with_rule.as_array(), without.as_array())


@pytest.mark.parametrize("kind,seed", [("near_border", 0), ("near_border", 1), ("near_border", 4),
                                       ("near_border", 9), ("on_table", 1), ("on_table", 7), ("pale_on_pale", 2),
                                       ("id_card", 3), ("empty_pale", 1)])
def test_other_kinds_are_left_as_they_were(monkeypatch, kind, seed):
    _same_without_shade(monkeypatch, hard_scenes.render(kind, seed).image)


@pytest.mark.parametrize("seed", [0, 2, 4, 1, 3])
def test_the_rendered_pale_desk_scenes_are_left_as_they_were(monkeypatch, seed):
    _same_without_shade(monkeypatch, hard_scenes_pale_desk.render(seed).image)
    _same_without_shade(monkeypatch, hard_scenes_pale_desk.render(seed | 1, card=False).image)
