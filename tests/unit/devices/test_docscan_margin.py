"""A certificate's printed frame taken for the page (issue 22 item 1, round 36; docscan.margin).

Rendered analogue: the simulator's certificates (a white sheet with a printed double frame and a seal) in a seed
stream of this round's own, 9000-9199 (the tuning set is 0-519, the unseen 520-2519), on the plain, shadow,
fingers and textured categories in turn. Protects: certificates that main outlined on their printed frame (0.73-0.88)
are found whole, the frame's sides moved out over the paper's margin to the sheet's edge. Left as they were (the
same outline with the rule as without it): a ruled form, a page with a heavy rule, two sheets side by side, a pen
beside a page, a card on a letter, a white sheet with a coloured frame printed 5-10 % in (round 31's scene).
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan import margin
from devices.camera.sim.scene import render_scene
from tests.helpers import hard_scenes, hard_scenes_pen
from tests.unit.devices.test_docscan_onsheet import _card_on_letter, _framed_certificate

_FRAME = (1280, 720)
_CATEGORIES = (None, "shadow", "fingers", "textured")


def _certificate(seed: int):
    category = _CATEGORIES[seed % 4]
    return render_scene(seed, kind="certificate", **({"category": category} if category else {}))


def _without_the_rule(image: np.ndarray, monkeypatch) -> Quad | None:
    with monkeypatch.context() as m:
        m.setattr(margin, "ENABLED", False)
        return detect_page(image)


@pytest.mark.parametrize("seed", [9005, 9076, 9082, 9100, 9124, 9153, 9177])
def test_a_certificate_is_outlined_at_its_sheets_edge(seed):
    """Main outlined the printed frame (or two of its sides): 9005 0.897, 9076 0.860, 9082 0.871, 9100 0.880,
    9124 0.732, 9153 0.778, 9177 0.776."""
    s = _certificate(seed)
    found = detect_page(s.image)
    assert found is not None, seed
    assert quad_iou(found, s.quad, _FRAME) >= 0.95, seed


def test_without_the_rule_the_frame_is_outlined(monkeypatch):
    """The analogue fails without docscan.margin (so the test above tests it)."""
    s = _certificate(9124)
    q = _without_the_rule(s.image, monkeypatch)
    assert q is None or quad_iou(q, s.quad, _FRAME) < 0.9


def _same(image: np.ndarray, monkeypatch, what) -> None:
    before = _without_the_rule(image, monkeypatch)
    after = detect_page(image)
    assert (before is None) == (after is None), what
    if after is not None:
        assert np.abs(after.as_array() - before.as_array()).max() < 1.0, what


@pytest.mark.parametrize("kind", ["ruled_form", "rule_split"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_forms_and_rules_keep_their_outline(kind, seed, monkeypatch):
    _same(hard_scenes.render(kind, seed).image, monkeypatch, (kind, seed))


@pytest.mark.parametrize("kind", ["two", "beside", "rule"])
@pytest.mark.parametrize("seed", [0, 1])
def test_a_second_sheet_a_pen_or_a_rule_near_the_edge_keep_their_outline(kind, seed, monkeypatch):
    _same(hard_scenes_pen.control(kind, seed).image, monkeypatch, (kind, seed))


@pytest.mark.parametrize("seed", [335, 556])
def test_a_card_on_a_letter_and_a_framed_sheet_keep_their_outline(seed, monkeypatch):
    """335: an ID card on a pink letter; 556: a certificate already outlined whole."""
    _same(render_scene(seed).image, monkeypatch, seed)


def test_the_empty_desks_stay_empty():
    for seed in range(4):
        assert detect_page(render_scene(9000 + seed, page=False).image) is None


@pytest.mark.parametrize("seed", [0, 1])
def test_a_card_on_a_sheet_keeps_its_outline(seed, monkeypatch):
    """Round 28's near-white card on a pale desk over a pink letter (tests/unit/devices/test_docscan_onsheet.py)."""
    _same(_card_on_letter(seed)[0], monkeypatch, seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_sheet_with_a_printed_frame_is_outlined_whole(seed, monkeypatch):
    """Round 31's white sheet on a pale grey desk with a coloured frame 5-10 % in: whole with the rule or without."""
    img, sheet = _framed_certificate(seed)
    found = detect_page(img)
    assert found is not None and quad_iou(found, Quad.from_points(sheet), _FRAME) > 0.95
    _same(img, monkeypatch, seed)
