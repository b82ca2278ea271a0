"""A printed card darker than a bright pale desk, seen by its sides stepping down or its edge's dark rim (issue 22
item 1, round 24; docscan.darker).

Protects: the tuning photo tonyxlh-card-back-white.jpg (a specimen licence's back on a white table; main 0.000, no
outline) and the rendered analogue ``pale_desk`` (tests/helpers/hard_scenes_pale_desk.py, odd seeds: a card with a
magnetic stripe and a white strip at the desk's shade; main 0.000 and 0.145 on seeds 3 and 11, here the card's
patterned part, 0.73: its white strip's side is not darker than the desk, see docs/docscan.md). Left as it was: the
same desk with no card (no page), empty pale desks, and the rendered kinds nearest (id_card, pale_on_pale, tinted,
on_table): the same outline, or none, with docscan.darker switched off.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect, detect_page, quad_iou
from tests.helpers import hard_scenes, hard_scenes_pale_desk
from tests.helpers.real_photos import tuning_photos

W, H = 1280, 720


def test_the_licence_back_on_a_white_table_is_outlined():
    p = next(p for p in tuning_photos() if p.name == "tonyxlh-card-back-white.jpg")
    found = detect_page(p.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(p.corners), p.image.shape[1::-1]) > 0.95


@pytest.mark.parametrize("seed", [3, 11])
def test_a_rendered_card_darker_than_its_white_desk_is_found(seed):
    scene = hard_scenes_pale_desk.render(seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.7


@pytest.mark.parametrize("seed", [1, 3, 5, 11])
def test_the_white_desk_without_the_card_is_no_page(seed):
    assert detect_page(hard_scenes_pale_desk.render(seed, card=False).image) is None


def _same_without_darker(monkeypatch, image: np.ndarray) -> None:
    with_rule = detect_page(image)
    monkeypatch.setattr(detect, "darker_card", lambda *a, **k: None)
    without = detect_page(image)
    monkeypatch.undo()
    if with_rule is None or without is None:
        assert with_rule is None and without is None
    else:
        assert np.allclose(with_rule.as_array(), without.as_array())


@pytest.mark.parametrize("kind,seed", [("id_card", 0), ("id_card", 5), ("pale_on_pale", 1), ("tinted", 14),
                                       ("tinted", 104), ("on_table", 3), ("empty_pale", 0), ("empty_pale", 3),
                                       ("empty_folder", 1), ("empty_cables", 2)])
def test_other_kinds_are_left_as_they_were(monkeypatch, kind, seed):
    _same_without_darker(monkeypatch, hard_scenes.render(kind, seed).image)


@pytest.mark.parametrize("seed", range(6))
def test_empty_pale_desks_show_no_page(seed):
    assert detect_page(hard_scenes.render("empty_pale", seed).image) is None
