"""A card showing two sides meeting at a corner (issue 22 item 1, round 34; docscan.corner).

Protects: synthetic scene 305 (an ID card's back on a light desk under a strong light gradient and an arm's shadow:
its right and bottom sides step against the darker desk and its drop shadow, its top and left, where the desk is
nearly the card's shade, do not; main finds nothing, 0.000). Where nothing was outlined, docscan.corner takes two Hough
lines meeting at a corner, both stepping from it, lighter towards each other, walks each to where its step ends
(docscan.ended's walk) and looks for the other two sides at full resolution between the ends (docscan.fourth's
search, the paper lighter inside). Rendered analogue (its own seed stream, not render_scene's): ID cards (front and
back) and A5 notices on a desk whose own shade runs from nearly the paper's (a few grey levels darker) to dark across
the card, in any direction, so only the two sides nearest the dark part step clearly; a soft drop shadow towards the
dark part on half of them; a mild lamp gradient on top. Left as they were: the same desks empty, with a soft dark
shadow patch on them (a box's shadow, its corner in view), a card wholly on the dark part, a white sheet on the
light part.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan import corner as K
from devices.camera.docscan import detect as D
from devices.camera.docscan.evidence import paper_inside
from devices.camera.docscan.pages import render_page
from devices.camera.sim.scene import render_scene
from tests.helpers import hard_scenes

W, H = 1280, 720


def _rot(deg: float) -> np.ndarray:
    r = np.deg2rad(deg)
    return np.array([[np.cos(r), -np.sin(r)], [np.sin(r), np.cos(r)]])


def _warp(img: np.ndarray, layer: np.ndarray, quad: np.ndarray) -> np.ndarray:
    h, w = layer.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.float32(quad))
    out = cv2.warpPerspective(layer.astype(np.float32), m, (W, H))
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), m, (W, H))[..., None]
    return img * (1 - mask) + out * mask


_KINDS = ("id_front", "id_back", "notice_a5")


def _layout(rng: np.random.Generator, kind: str) -> np.ndarray:
    angle = rng.uniform(-30, 30)
    if kind == "notice_a5":
        cw = rng.uniform(200, 280)
        size = (cw, cw * 1.414)
    else:
        cw = rng.uniform(260, 400)
        size = (cw, cw * 0.631)
    rect = np.array([[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]]) - np.array(size) / 2
    for _ in range(1000):
        centre = np.array([rng.uniform(250, 1030), rng.uniform(180, 540)])
        quad = centre + rect @ _rot(angle).T
        if quad.min() >= 40 and quad[:, 0].max() <= W - 40 and quad[:, 1].max() <= H - 40:
            return quad
    raise AssertionError("no layout")


def card_on_gradient(seed: int, *, card: bool = True, where: str = "across", patch: bool = False,
                     shadow: bool | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The frame, the card's corners and the darkest corner's index: an ID card (front or back) or an A5 notice on a
    desk whose shade runs from a few grey levels under the paper's to dark, across the card in the direction of one of
    its corners (``where`` "across"), or wholly dark under it ("dark"), or the card a white sheet wholly on the light
    part ("light"). ``card`` False: the desk alone; ``patch``: a soft dark shadow patch with a corner in view;
    ``shadow``: the card's soft drop shadow towards the dark part (default: on even seeds)."""
    rng = np.random.default_rng([seed, 3434])
    kind = _KINDS[seed % 3] if where != "light" else "notice_a5"
    quad = _layout(rng, kind)
    dark = int(rng.integers(4))
    centre = quad.mean(axis=0)
    # the shade runs along the direction of the darkest corner, turned by up to 25 degrees
    u = (quad[dark] - centre) @ _rot(rng.uniform(-25, 25)).T
    u /= np.linalg.norm(u)
    t_c = (quad - centre) @ u
    span = float(t_c.max() - t_c.min())
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    t = ((xx - centre[0]) * u[0] + (yy - centre[1]) * u[1]) / span   # the card from about -0.5 to 0.5
    # across the card the shade turns dark between its two middle corners (along u) and its darkest: the two sides
    # leaving the darkest corner lie against the dark part, the two leaving the lightest against the light part
    mid = float(np.sort(t_c)[1:3].mean()) / span
    lo = mid - rng.uniform(0.1, 0.3)
    lo, hi = {"across": (lo, lo + rng.uniform(0.9, 1.5)), "dark": (-2.6, -1.4), "light": (2.0, 3.5)}[where]
    s = np.clip((t - lo) / (hi - lo), 0, 1)
    s = s * s * (3 - 2 * s)
    tint = np.array(rng.uniform(-4, 4, 3), np.float32)
    paper = 237.0 if kind != "notice_a5" else 246.0
    white = paper - rng.uniform(3, 10)
    darkest = rng.uniform(30, 90)
    desk = (white + (darkest - white) * s)[..., None] + tint
    img = np.repeat(desk, 1, axis=2).astype(np.float32)
    if patch:   # a box's soft shadow on the light part, one corner in view
        box = centre + np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * rng.uniform(80, 160) - u * span * 0.6
        m = np.zeros((H, W), np.float32)
        cv2.fillConvexPoly(m, np.round(box + (box - box.mean(axis=0)) * 2.5 - u * 200).astype(np.int32), 1.0)
        cv2.fillConvexPoly(m, np.round(box).astype(np.int32), 1.0)
        img = img * (1 - rng.uniform(0.3, 0.55) * cv2.GaussianBlur(m, (0, 0), rng.uniform(2, 5))[..., None])
    if card:
        if seed % 2 == 0 if shadow is None else shadow:   # a soft drop shadow towards the dark part
            sh = np.zeros((H, W), np.float32)
            cv2.fillConvexPoly(sh, np.round(quad + u * rng.uniform(3, 7)).astype(np.int32), 1.0)
            img = img * (1 - rng.uniform(0.25, 0.45) * cv2.GaussianBlur(sh, (0, 0), rng.uniform(3, 5))[..., None])
        layer = render_page(kind, int(rng.integers(0, 16))).astype(np.float32)
        img = _warp(img, layer * np.float32(rng.uniform(0.97, 1.0)), quad)
    # a mild lamp gradient over everything
    g = rng.normal(size=2) * 0.12
    light = 1 + g[0] * (xx / W - 0.5) + g[1] * (yy / H - 0.5)
    img = img * light[..., None]
    img = cv2.GaussianBlur(img, (0, 0), 0.8) + rng.normal(0, 2.0, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), quad, np.array(dark)


def _j(found: Quad | None, quad: np.ndarray) -> float:
    return 0.0 if found is None else quad_iou(found, Quad.from_points(quad, reorder=True), (W, H))


def _without_rule(monkeypatch, image: np.ndarray) -> Quad | None:
    monkeypatch.setattr(D, "CORNER", False)
    try:
        return detect_page(image)
    finally:
        monkeypatch.undo()


def _same(a: Quad | None, b: Quad | None) -> bool:
    return (a is None) == (b is None) and (a is None or np.abs(a.as_array() - b.as_array()).max() < 0.01)


# Of seeds 0-47, these get no outline on main (0.000); of the others main finds 29 (the drop shadow or the dark part
# reaching three sides), an earlier stage outlines a part or a wrong quad on 11 (not this rule's: it is asked only
# where nothing was outlined), and 20 and 31 stay missed (see docs/docscan.md, round 34).
_SEEDS = (5, 8, 12, 41, 44, 47)


@pytest.mark.parametrize("seed", _SEEDS)
def test_a_card_showing_two_sides_at_a_corner_is_found(monkeypatch, seed):
    """Main: not found (0.000) on each of these."""
    img, quad, _ = card_on_gradient(seed)
    assert _j(detect_page(img), quad) >= 0.9
    assert _j(_without_rule(monkeypatch, img), quad) < 0.9


def test_seed_305_is_found(monkeypatch):
    """An ID card's back on a light desk under a light gradient and an arm's shadow: main 0.000."""
    s = render_scene(305)
    assert _j(detect_page(s.image), s.quad.as_array()) >= 0.9
    assert _without_rule(monkeypatch, s.image) is None


@pytest.mark.parametrize("seed", range(8))
def test_the_desk_alone_is_left_as_it_was(monkeypatch, seed):
    img, _, _ = card_on_gradient(seed, card=False)
    found = detect_page(img)
    assert found is None
    assert _same(found, _without_rule(monkeypatch, img))


@pytest.mark.parametrize("seed", range(8))
def test_a_shadow_patch_on_the_desk_is_left_as_it_was(monkeypatch, seed):
    """(Main outlines a part of the desk on seeds 2 and 4, 0.000 against the card that is not there; as before.)"""
    img, _, _ = card_on_gradient(seed, card=False, patch=True)
    assert _same(detect_page(img), _without_rule(monkeypatch, img))


@pytest.mark.parametrize("seed", range(6))
def test_a_card_wholly_on_the_dark_part_is_found_as_before(monkeypatch, seed):
    img, quad, _ = card_on_gradient(seed, where="dark")
    found = detect_page(img)
    assert _j(found, quad) >= 0.9
    assert _same(found, _without_rule(monkeypatch, img))


@pytest.mark.parametrize("seed", range(6))
def test_a_white_sheet_on_the_light_part_is_left_as_it_was(monkeypatch, seed):
    """No drop shadow: no side steps clearly; whatever main does, as before."""
    img, _, _ = card_on_gradient(seed, where="light", shadow=False)
    assert _same(detect_page(img), _without_rule(monkeypatch, img))


def test_a_white_sheet_on_the_light_part_with_its_drop_shadow_is_found():
    """With a drop shadow along two sides it is 305's kind: main 0.000 (nothing), found now."""
    img, quad, _ = card_on_gradient(0, where="light", shadow=True)
    assert _j(detect_page(img), quad) >= 0.9


@pytest.mark.parametrize("kind", hard_scenes.EMPTY_KINDS)
def test_empty_desks_give_no_card(kind):
    for seed in range(3):
        img = hard_scenes.render(kind, seed).image
        work = D._prepare(img)
        assert K.corner_card(img, work, lambda q: paper_inside(work.opp, q), D._hough(work)) is None
