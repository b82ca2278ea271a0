"""A printed ID-1 card darker than a bright pale desk, seen by its sides stepping down or its edge's dark rim, its
card shape and rounded corners (issue 22 item 1, round 24's docscan.darker kept in round 25 with card_shaped).

Protects: the tuning photo tonyxlh-card-back-white.jpg (a specimen licence's back on a white table; main 0.000, no
outline) and a rendered card like it (``_card_scene``: patterned, a magnetic stripe, a white strip at the desk's
shade, a dark cut edge, rounded corners; seed 0 missed on main). Left as they were: the same card with sharp corners
(a cut-out or a patch, not a card), a grey shadow patch of a card's shape carrying text, the rendered ``pale_desk``
cards (sharp-cornered; the part of the card taken there is not of a card's shape), the desk with no card, empty pale
desks, and the rendered kinds nearest (id_card, pale_on_pale, tinted, on_table): the same outline, or none, with
docscan.darker switched off. The shadow patches of test_docscan_coloured/test_docscan_card and the bare print
columns of test_docscan_column guard it too (round 24's rule took them).
"""
from __future__ import annotations

import cv2
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


def test_a_rendered_card_darker_than_its_white_desk_is_found():
    img, corners = _card_scene(seed=0, angle=0.0)
    found = detect_page(img)
    assert found is not None
    assert quad_iou(found, Quad.from_points(corners), (W, H)) > 0.95


@pytest.mark.parametrize("seed", range(4))
def test_the_same_card_with_sharp_corners_is_left_as_it_was(monkeypatch, seed):
    _same_without_darker(monkeypatch, _card_scene(rounded=False, seed=seed, angle=[0.0, 6.0, -9.0, 14.0][seed])[0])


@pytest.mark.parametrize("grey", [120, 150])
def test_a_grey_shadow_patch_of_a_cards_shape_carrying_text_is_no_page(grey):
    rng = np.random.default_rng(grey)
    img = np.full((H, W, 3), 200.0, np.float32) * np.linspace(0.96, 1.03, W, dtype=np.float32)[None, :, None]
    cv2.rectangle(img, (360, 180), (920, 533), (grey, grey, grey), -1)
    for y in range(230, 500, 22):
        for x0 in range(400, 820, 120):
            cv2.line(img, (x0, y), (x0 + int(rng.integers(60, 105)), y), (30, 30, 40), 4)
    img = np.clip(img + rng.normal(0, 2.0, img.shape), 0, 255).astype(np.uint8)
    assert detect_page(img) is None


@pytest.mark.parametrize("seed", [1, 3, 5, 11])
def test_rendered_pale_desk_cards_are_left_as_they_were(monkeypatch, seed):
    _same_without_darker(monkeypatch, hard_scenes_pale_desk.render(seed).image)


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


def _card_scene(*, rounded=True, seed=0, angle=6.0, grey=None):
    rng = np.random.default_rng([seed, 2501])
    cw, ch = 560, int(round(560 * 54 / 85.6))
    s = 4
    card = np.zeros((ch * s, cw * s), np.uint8)
    r = int(round(3.18 / 54 * ch * s)) if rounded else 0
    if r:
        cv2.rectangle(card, (r, 0), (cw * s - 1 - r, ch * s - 1), 255, -1)
        cv2.rectangle(card, (0, r), (cw * s - 1, ch * s - 1 - r), 255, -1)
        for cx, cy in [(r, r), (cw * s - 1 - r, r), (cw * s - 1 - r, ch * s - 1 - r), (r, ch * s - 1 - r)]:
            cv2.circle(card, (cx, cy), r, 255, -1)
    else:
        card[:] = 255
    mask = cv2.resize(card, (cw, ch), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    base = np.array([150, 165, 160] if grey is None else [grey] * 3, np.float32) + rng.uniform(-8, 8, 3)
    sheet = np.empty((ch, cw, 3), np.float32); sheet[:] = base
    yy, xx = np.mgrid[0:ch, 0:cw]
    sheet += (10 * np.sin(xx / 23.0 + yy / 41.0))[..., None]   # a guilloche-like pattern
    sheet[int(0.10 * ch):int(0.30 * ch), :] = 25   # the magnetic stripe
    for y in range(int(0.42 * ch), int(0.85 * ch), 18):
        x0 = 40
        while x0 < cw - 100:
            x1 = x0 + int(rng.integers(30, 90)); cv2.line(sheet, (x0, y), (x1, y), (40, 40, 50), 3); x0 = x1 + int(rng.integers(10, 30))
    sheet[int(0.78 * ch):, :] = 203 + rng.uniform(-3, 3)   # a white strip at the desk's shade
    for x0 in range(40, cw - 160, 14):
        cv2.rectangle(sheet, (x0, int(0.83 * ch)), (x0 + 8, int(0.93 * ch)), (50, 40, 30), -1)   # a barcode
    desk = np.full((H, W, 3), 205.0, np.float32) * np.linspace(0.95, 1.03, W, dtype=np.float32)[None, :, None]
    m = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
    m[:, 2] += (W / 2 - cw / 2 + rng.uniform(-60, 60), H / 2 - ch / 2 + rng.uniform(-40, 40))
    ws = cv2.warpAffine(sheet, m, (W, H), flags=cv2.INTER_LINEAR)
    wm = cv2.warpAffine(mask, m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
    img = desk * (1 - wm) + ws * wm
    inner = (wm[..., 0] > 0.5).astype(np.uint8)
    edge = cv2.dilate(inner, np.ones((5, 5), np.uint8)) - cv2.erode(inner, np.ones((3, 3), np.uint8))
    img -= cv2.GaussianBlur(edge.astype(np.float32), (0, 0), 0.7)[..., None] * rng.uniform(50, 70)   # its cut edge and thin shadow
    img += rng.normal(0, 2.0, img.shape)
    corners = cv2.transform(np.float32([[[0, 0], [cw, 0], [cw, ch], [0, ch]]]), m)[0]
    return np.clip(img, 0, 255).astype(np.uint8), corners.astype(np.float64)
