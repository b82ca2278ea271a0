"""A card lying on a printed sheet, outlined with the sheet (issue 22, round 28; docscan.onsheet).

Protects: synthetic scene 335 (an ID card on a pale grey desk over a pale pink letter: main's outline is the card's
right and bottom lines run on to the frame's top and left borders, 0.521), found now.
docscan.onsheet looks again inside a chosen outline that is not solid, with a plain Hough there, for a solid quad
inside it sharing two of its sides whose other sides step in colour. Rendered analogues (their own seed stream): a
near-white card on a pale desk over a pink letter, its loose outline run on to the frame borders, is narrowed to
the card; a white form with a band of shade across it is not narrowed to its lit part (a shade's edge steps in
luma only), though it would be without the colour test. Left as they were: the empty desks, rendered ID cards.
Round 31: a white sheet with a coloured frame printed 5-10 % in from its edges is not narrowed to the frame (round
28's colour test, read only beside the side, did: beside a printed line one flank is its ink); nor is seed 556.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.camera.docscan import Quad, detect_page, quad_iou
from devices.camera.docscan import margin, onsheet
from devices.camera.docscan.detect import _line_candidates, _line_evidence, _prepare, _shortlist
from devices.camera.docscan.geom import to_full, to_small
from devices.camera.docscan.pages import render_page
from devices.camera.sim.scene import render_scene
from tests.helpers import hard_scenes

W, H = 1280, 720


def _warp(img: np.ndarray, layer: np.ndarray, quad: np.ndarray) -> np.ndarray:
    h, w = layer.shape[:2]
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.float32(quad))
    out = cv2.warpPerspective(layer.astype(np.float32), m, (W, H))
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), m, (W, H))[..., None]
    return img * (1 - mask) + out * mask


def _rot(deg: float) -> np.ndarray:
    r = np.deg2rad(deg)
    return np.array([[np.cos(r), -np.sin(r)], [np.sin(r), np.cos(r)]])


def _card_on_letter(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A near-white ID card (shadow to its lower right) on a pale grey-green desk, its top left over a pink form."""
    rng = np.random.default_rng([seed, 2028])
    img = np.empty((H, W, 3), np.float32)
    img[:] = (224, 233, 226)
    img *= np.linspace(1.02, 0.9, H, dtype=np.float32)[:, None, None]
    rot = _rot(rng.uniform(4, 9))
    cw = rng.uniform(540, 580)
    card = np.array([rng.uniform(200, 240), rng.uniform(70, 100)]) + np.array(
        [[0, 0], [cw, 0], [cw, cw * 0.631], [0, cw * 0.631]]) @ rot.T
    letter = np.array([rng.uniform(-60, 0), rng.uniform(-420, -380)]) + np.array(
        [[0, 0], [520, 0], [520, 735], [0, 735]]) @ _rot(rng.uniform(-35, -25)).T
    img = _warp(img, render_page("form", int(rng.integers(0, 16))) * np.array([0.95, 0.92, 0.99], np.float32), letter)
    shadow = np.zeros((H, W), np.float32)
    cv2.fillConvexPoly(shadow, np.round(card + (6, 8)).astype(np.int32), 1.0)
    img *= 1 - 0.45 * cv2.GaussianBlur(shadow, (0, 0), 4)[..., None]
    img = _warp(img, render_page("id_front", int(rng.integers(0, 16))) * np.array([0.97, 0.96, 0.93], np.float32), card)
    img = cv2.GaussianBlur(img, (0, 0), 0.8) + rng.normal(0, 2.0, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), card


def _shaded_form(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A white form on a pale desk, a band of shade across its upper part (and the desk): the form, and its lit part."""
    rng = np.random.default_rng([seed, 2828])
    img = np.empty((H, W, 3), np.float32)
    img[:] = rng.uniform(150, 170)
    page = np.array([rng.uniform(380, 420), rng.uniform(40, 60)]) + np.array(
        [[0, 0], [440, 0], [440, 622], [0, 622]]) @ _rot(rng.uniform(-3, 3)).T
    img = _warp(img, render_page("form", int(rng.integers(0, 16))), page)
    edge = rng.uniform(230, 260)   # the shade's edge, a row across the frame
    above = (np.arange(H, dtype=np.float32) < edge).astype(np.float32)[:, None].repeat(W, 1)
    shade = cv2.GaussianBlur(above, (0, 0), 1.5)
    img *= 1 - 0.3 * shade[..., None]
    img = cv2.GaussianBlur(img, (0, 0), 0.8) + rng.normal(0, 2.0, img.shape)
    lit = page.copy()
    for k, (a, b) in ((0, (0, 3)), (1, (1, 2))):   # the lit part: the form's sides cut at the shade's edge
        t = (edge - page[a][1]) / (page[b][1] - page[a][1])
        lit[k] = page[a] + t * (page[b] - page[a])
    return np.clip(img, 0, 255).astype(np.uint8), page, lit


def _framed_certificate(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A white sheet (landscape) on a pale grey desk, a blue, red or green frame 1-4 px wide printed 5-10 % in from
    its edges (as the simulator's certificates): the sheet's corners."""
    rng = np.random.default_rng([seed, 3131])
    img = np.empty((H, W, 3), np.float32)
    img[:] = rng.uniform(200, 215)
    img *= np.linspace(1.06, 0.94, W, dtype=np.float32)[None, :, None]
    pw = rng.uniform(560, 620)
    page = np.array([rng.uniform(300, 380), rng.uniform(110, 170)]) + np.array(
        [[0, 0], [pw, 0], [pw, pw / 1.414], [0, pw / 1.414]]) @ _rot(rng.uniform(-4, 4)).T
    layer = np.ascontiguousarray(np.rot90(render_page("text", int(rng.integers(0, 16))))).astype(np.float32)
    m = int(round(rng.uniform(0.05, 0.10) * layer.shape[1]))
    colour = [(170, 80, 40), (40, 40, 170), (50, 140, 50)][seed % 3]   # BGR: blue, red, green
    cv2.rectangle(layer, (m, m), (layer.shape[1] - m, layer.shape[0] - m), colour,
                  max(1, round(rng.uniform(1, 4) * layer.shape[1] / pw)))
    img = _warp(img, layer * np.float32(rng.uniform(0.96, 1.0)), page)
    img = cv2.GaussianBlur(img, (0, 0), 0.8) + rng.normal(0, 2.0, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), page


def _run_on(quad: np.ndarray) -> np.ndarray:
    """The quad's right and bottom side lines run on to the frame's top and left borders (as main's outline of 335)."""
    def cross(p, q, x=None, y=None):
        d = q - p
        return p + d * ((x - p[0]) / d[0] if x is not None else (y - p[1]) / d[1])
    return np.array([[-0.5, -0.5], cross(quad[2], quad[1], y=-0.5), quad[2], cross(quad[2], quad[3], x=-0.5)])


def _look(img: np.ndarray, outline: np.ndarray) -> tuple[np.ndarray, int]:
    work = _prepare(img)
    small = to_small(np.asarray(outline, np.float64)[None], work.scale)
    quads, _, _, first = onsheet.card_on_sheet(
        work, small, np.array([0.70]), np.array([False]), 0,
        lambda ln: _shortlist(work, *_line_candidates(work, _line_evidence(work, ln))))
    return to_full(quads[first], work.scale), first


def test_a_card_on_a_letter_is_not_outlined_with_the_letter():
    """Synthetic scene 335, which main outlines with the letter under the card and a patch of desk (0.521)."""
    scene = render_scene(335)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, scene.quad, (W, H)) > 0.99


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_loose_outline_round_a_card_on_a_letter_is_narrowed_to_the_card(seed):
    img, card = _card_on_letter(seed)
    quad, first = _look(img, _run_on(card))
    assert first == 1
    assert quad_iou(Quad.from_points(quad), Quad.from_points(card), (W, H)) > 0.95


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_form_is_not_narrowed_to_its_part_lit_beside_a_band_of_shade(seed, monkeypatch):
    img, page, lit = _shaded_form(seed)
    assert _look(img, page)[1] == 0
    monkeypatch.setattr(onsheet, "_CHROMA", 0.0)   # without the colour test the shade's edge closes the lit part
    quad, first = _look(img, page)
    assert first == 1
    assert quad_iou(Quad.from_points(quad), Quad.from_points(lit), (W, H)) > 0.9


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_a_sheet_is_not_narrowed_to_its_printed_frame(seed, monkeypatch):
    """Round 31: a quad of the sheet's two sides and its printed frame's other two steps in colour right beside the
    frame's line, but the line's flanks beyond it are the same paper; the sheet keeps its whole outline."""
    img, page = _framed_certificate(seed)
    assert _look(img, page)[1] == 0
    monkeypatch.setattr(onsheet, "_ACROSS", (2.0,))   # round 28's colour test, read only beside the side
    quad, first = _look(img, page)
    assert first == 1
    assert quad_iou(Quad.from_points(quad), Quad.from_points(page), (W, H)) < 0.95


def test_the_certificate_of_seed_556_keeps_its_whole_outline(monkeypatch):
    """Synthetic scene 556 (seen by round 28's unseen check, added after round 31's rule): round 28's reading, only
    beside the side, narrowed it to its blue printed frame's top and right (0.897). Since round 36 docscan.margin
    moves such a frame outline out to the sheet's edge too, so it is switched off to see round 31's test alone."""
    scene = render_scene(556)
    assert quad_iou(detect_page(scene.image), scene.quad, (W, H)) > 0.99
    monkeypatch.setattr(onsheet, "_ACROSS", (2.0,))
    monkeypatch.setattr(margin, "ENABLED", False)
    assert quad_iou(detect_page(scene.image), scene.quad, (W, H)) < 0.95


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_simulators_empty_desks_stay_empty(seed):
    assert detect_page(render_scene(seed, page=False).image) is None


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_rendered_id_cards_are_outlined_as_before(seed):
    scene = hard_scenes.render("id_card", seed)
    found = detect_page(scene.image)
    assert found is not None
    assert quad_iou(found, Quad.from_points(scene.quad), (W, H)) > 0.98
