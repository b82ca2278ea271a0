"""A card whose fourth side lies over white paper (issue 22 item 1, round 33; docscan.ended).

Protects: synthetic scene 418 (an ID card lying partly on a white printed form on a purple and grey striped desk:
three sides against the desk, the left over the form stepping by about 4 grey levels; main finds nothing, 0.000).
docscan.ended takes, where nothing was outlined, each supported side of the line quads as a base, reads where its two
neighbours stop stepping against the desk, and looks for the fourth side at full resolution between those ends.
Rendered analogues first (their own seed stream, not render_scene's): ID cards (front and back) and small printed
sheets lying partly on a white printed form, three sides against a dark, a striped or a busy desk, the fourth over
the form (its paper 1-6 grey levels off the card's), at -25 to 25 degrees. Of seeds 0-71 main outlines nothing on
seven (6, 11, 24, 35, 51, 62, 69), all found now; 15 and 38 (fewer than three sides supported at the detection
scale) stay missed, and where an earlier stage outlines something else (29, 48, 71 and the part-outlines) the rule is
not asked. Left as they were: the same scenes without the card (the form alone, cut by the frame or not), the card
wholly on the desk, a white sheet alone on a dark desk, and the empty desks.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan import detect as D
from devices.camera.docscan import ended as E
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


def _desk(rng: np.random.Generator, style: int) -> np.ndarray:
    """0: a plain dark desk; 1: diagonal stripes of two colours (purple and grey, brown and black, blue and grey);
    2: a busy dark desk, blocks and discs of muted colours on it."""
    img = np.empty((H, W, 3), np.float32)
    if style == 0:
        img[:] = rng.uniform(35, 80) * rng.uniform(0.85, 1.15, 3)
    elif style == 1:
        a, b = [((170, 60, 150), (75, 72, 70)), ((40, 70, 110), (30, 30, 32)), ((150, 90, 50), (90, 90, 95))][
            int(rng.integers(3))]
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        ang = np.deg2rad(rng.uniform(-40, 40))
        period = rng.uniform(40, 70)
        on = ((xx * np.sin(ang) + yy * np.cos(ang)) % period) < period / 2
        img[:] = b
        img[on] = a
        img = cv2.GaussianBlur(img, (0, 0), 1.2)
    else:
        img[:] = rng.uniform(45, 75)
        for _ in range(40):
            col = tuple(float(c) for c in rng.uniform(30, 150, 3))
            c = (int(rng.integers(0, W)), int(rng.integers(0, H)))
            if rng.random() < 0.5:
                cv2.circle(img, c, int(rng.integers(15, 60)), col, -1)
            else:
                size = (float(rng.uniform(30, 160)), float(rng.uniform(20, 90)))
                box = cv2.boxPoints((c, size, float(rng.uniform(0, 180))))
                cv2.fillConvexPoly(img, np.round(box).astype(np.int32), col)
    return img * np.linspace(1.05, 0.95, W, dtype=np.float32)[None, :, None]


def _outside(quad: np.ndarray, side: int, reach: float, n: int = 24) -> np.ndarray:
    """Points ``reach`` px outside side ``side`` (corner side to side + 1) of a convex quad, over 10-90 % of it."""
    a, b = quad[side], quad[(side + 1) % 4]
    d = (b - a) / np.linalg.norm(b - a)
    nrm = np.array([-d[1], d[0]])
    if (quad.mean(axis=0) - a) @ nrm > 0:
        nrm = -nrm
    t = np.linspace(0.1, 0.9, n)[:, None]
    return a + (b - a) * t + nrm * reach


def _inside(quad: np.ndarray, pts: np.ndarray) -> np.ndarray:
    c = quad.astype(np.float32).reshape(-1, 1, 2)
    return np.array([cv2.pointPolygonTest(c, (float(x), float(y)), False) >= 0 for x, y in pts])


def card_half_on_sheet(seed: int, *, card: bool = True, sheet: bool = True
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The frame, the card's corners and the form's: an ID card (front or back) or a small printed sheet, its fourth
    side over a white printed form, the other three against the desk (``card``/``sheet`` False: left out)."""
    rng = np.random.default_rng([seed, 3333])
    desk = _desk(rng, seed % 3)
    kind = ("id_front", "id_back", "notice_a5")[(seed // 3) % 3]
    for _ in range(2000):
        angle = rng.uniform(-25, 25)
        if kind == "notice_a5":
            cw = rng.uniform(230, 300)
            size = (cw, cw * 1.414)
        else:
            cw = rng.uniform(300, 420)
            size = (cw, cw * 0.631)
        rect = np.array([[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]]) - np.array(size) / 2
        centre = np.array([rng.uniform(380, 900), rng.uniform(220, 500)])
        quad = centre + rect @ _rot(angle).T
        if quad.min() < 30 or quad[:, 0].max() > W - 30 or quad[:, 1].max() > H - 30:
            continue
        fourth = int(rng.integers(4))
        a, b = quad[fourth], quad[(fourth + 1) % 4]
        d = (b - a) / np.linalg.norm(b - a)
        out = np.array([-d[1], d[0]])
        if (centre - a) @ out > 0:
            out = -out
        sw, sh = 520.0, 735.0
        srect = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]]) - np.array([sw, sh]) / 2
        srot = _rot(angle + rng.choice([-1, 1]) * rng.uniform(8, 35))
        # the form's centre beyond the fourth side, so that it reaches in under the card by 20-60 px
        s_quad = srect @ srot.T
        depth = float(np.max(s_quad @ -out))   # how far the form reaches from its centre towards the card
        s_centre = 0.5 * (a + b) + out * (depth - rng.uniform(20, 60)) + d * rng.uniform(-60, 60)
        s_quad = s_centre + s_quad
        if not _inside(s_quad, _outside(quad, fourth, 8)).all():
            continue
        if any(_inside(s_quad, _outside(quad, (fourth + k) % 4, 8)).mean() > 0.1 for k in (1, 2, 3)):
            continue
        break
    else:
        raise AssertionError("no layout")
    img = desk
    form = render_page("form", int(rng.integers(0, 16))) * np.float32(rng.uniform(0.88, 0.97))
    if sheet:
        img = _warp(img, form, s_quad)
    if card:
        shadow = np.zeros((H, W), np.float32)
        off = -out * rng.uniform(3, 7) + d * rng.uniform(-4, 4)   # the drop shadow away from the fourth side
        cv2.fillConvexPoly(shadow, np.round(quad + off).astype(np.int32), 1.0)
        img = img * (1 - 0.4 * cv2.GaussianBlur(shadow, (0, 0), 4)[..., None])
        tint = np.array([0.97, 0.96, 0.93] if kind != "notice_a5" else [1.0, 1.0, 1.0], np.float32)
        layer = render_page(kind, int(rng.integers(0, 16))) * tint
        # the card's paper 1-6 grey levels off the form's, lighter or darker: a faint step over the form
        luma = lambda x: float(np.median(cv2.cvtColor(x.astype(np.float32), cv2.COLOR_BGR2GRAY)))  # noqa: E731
        gain = (luma(form) + rng.choice([-1, 1]) * rng.uniform(1, 6)) / luma(layer)
        img = _warp(img, np.minimum(layer * np.float32(gain), 255), quad)
    img = cv2.GaussianBlur(img, (0, 0), 0.8) + rng.normal(0, 2.0, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), quad, s_quad


def _j(found: Quad | None, quad: np.ndarray) -> float:
    return 0.0 if found is None else quad_iou(found, Quad.from_points(quad, reorder=True), (W, H))


def _without_rule(monkeypatch, image: np.ndarray) -> Quad | None:
    monkeypatch.setattr(D, "ENDED", False)
    try:
        return detect_page(image)
    finally:
        monkeypatch.undo()


def _same(a: Quad | None, b: Quad | None) -> bool:
    return (a is None) == (b is None) and (a is None or np.abs(a.as_array() - b.as_array()).max() < 0.01)


# Of seeds 0-71, these get no outline on main (0.000); the others are found by main (the card's fourth side steps
# more than a few grey levels, or its shadow falls on the form) or get a wrong outline from an earlier stage, which
# this rule (asked only where nothing was outlined) does not reach.
_SEEDS = (6, 11, 24, 35, 51, 62, 69)


@pytest.mark.parametrize("seed", _SEEDS)
def test_a_card_with_its_fourth_side_over_a_white_sheet_is_found(monkeypatch, seed):
    """Main: not found (0.000) on each of these."""
    img, quad, _ = card_half_on_sheet(seed)
    assert _j(detect_page(img), quad) >= 0.9
    assert _j(_without_rule(monkeypatch, img), quad) < 0.9


def test_seed_418_is_found():
    """An ID card partly on a white form on a striped desk: main 0.000."""
    s = render_scene(418)
    assert _j(detect_page(s.image), s.quad.as_array()) >= 0.9


@pytest.mark.parametrize("seed", range(12))
def test_the_sheet_without_the_card_is_left_as_it_was(monkeypatch, seed):
    img, _, _ = card_half_on_sheet(seed, card=False)
    assert _same(detect_page(img), _without_rule(monkeypatch, img))


@pytest.mark.parametrize("seed", range(0, 12, 2))
def test_a_card_wholly_on_the_desk_is_found_as_before(monkeypatch, seed):
    """Found (seed 4, the card's back on blue and grey stripes, 0.871 on main as now: a stripe along one side)."""
    img, quad, _ = card_half_on_sheet(seed, sheet=False)
    found = detect_page(img)
    assert _j(found, quad) >= 0.85
    assert _same(found, _without_rule(monkeypatch, img))


@pytest.mark.parametrize("seed", range(3))
def test_a_white_sheet_alone_on_a_dark_desk_is_found_as_before(monkeypatch, seed):
    rng = np.random.default_rng([seed, 3334])
    img = _desk(rng, seed % 3)
    quad = np.array([rng.uniform(380, 420), rng.uniform(40, 60)]) + np.array(
        [[0, 0], [440, 0], [440, 622], [0, 622]]) @ _rot(rng.uniform(-8, 8)).T
    img = _warp(img, render_page("form", seed), quad)
    img = np.clip(cv2.GaussianBlur(img, (0, 0), 0.8) + rng.normal(0, 2.0, img.shape), 0, 255).astype(np.uint8)
    found = detect_page(img)
    assert _j(found, quad) >= 0.9
    assert _same(found, _without_rule(monkeypatch, img))


@pytest.mark.parametrize("kind", hard_scenes.EMPTY_KINDS)
def test_empty_desks_give_no_card(kind):
    for seed in range(3):
        work = D._prepare(hard_scenes.render(kind, seed).image)
        ev = D._line_evidence(work)
        assert E.ended_card(hard_scenes.render(kind, seed).image, work, lambda q: paper_inside(work.opp, q), ev) is None
