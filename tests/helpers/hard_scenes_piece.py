"""Rendered analogue for round 39 (issue 22 item 1, kind 6 of docs/docscan.md): an ID card with a pen lying across
it or a finger reaching in over it from the frame's border, as the simulator's seeds 511 (a blue pen across a card,
the outline the card's lower right piece under its photo block) and 1105 (a finger) show. The pen crosses the card's
two long sides 35-65 % along them, at a slant, and runs on out onto the desk; the finger is a rounded skin-coloured
band from the frame's border whose tip ends on the card. Its own seed stream; not among hard_scenes.KINDS: tests
render it with ``render(seed)``, and the controls (the card alone, the card beside a sheet) with
``render(seed, what="none")`` and ``render(seed, what="beside")``.
"""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _desk, _finish, _id_card, _page_quad, _paste, _text_page
from .hard_scenes_pen import _across

_SKIN = ((150, 175, 225), (125, 155, 205), (95, 125, 175), (165, 190, 235))   # BGR


def _finger(img: np.ndarray, rng: np.random.Generator, tip: np.ndarray, width: float) -> None:
    """A finger from the frame's nearest border to ``tip``: a rounded band ``width`` px thick, shaded across."""
    d = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, -1.0], [0.0, 1.0]])
    reach = np.array([tip[0], W - tip[0], tip[1], H - tip[1]])
    start = tip + d[int(np.argmin(reach))] * (float(reach.min()) + width)
    start += rng.uniform(-0.3, 0.3) * float(reach.min()) * d[int(np.argmin(reach))][::-1]
    mask = np.zeros((H, W), np.uint8)
    cv2.line(mask, tuple(int(v) for v in start), tuple(int(v) for v in tip), 255, int(width), cv2.LINE_AA)
    m = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), 1.5)
    shadow = cv2.GaussianBlur(np.roll(m, (6, 8), axis=(0, 1)), (0, 0), 6)
    img *= (1 - 0.35 * shadow)[..., None]
    skin = np.array(_SKIN[int(rng.integers(0, len(_SKIN)))], np.float32)
    shade = cv2.GaussianBlur(m, (0, 0), width / 4)    # rounder: darker towards its flanks
    img[:] = img * (1 - m[..., None]) + (skin[None, None] * (0.75 + 0.25 * shade[..., None])) * m[..., None]


def render(seed: int, what: str = "") -> HardScene:
    """An ID card on a desk (wood, pale, dark, mat by seed % 4), a pen across it (even seeds) or a finger over it
    (odd seeds); ``what``: "none" the card alone, "beside" the card with a text page 30-60 px to its left (the
    truth is the card's), "pen" or "finger" whatever the seed."""
    rng = np.random.default_rng([seed, 3939])
    img = _desk(rng, ("wood", "pale", "dark", "mat")[seed % 4])
    quad = _page_quad(rng, 85.6, 54.0, rng.uniform(0.45, 0.6))
    if what == "beside":   # the card moved right, a portrait text page beside it, not touching
        quad = quad + np.array([W * 0.9 - quad[:, 0].max(), 0.0])
        gap = rng.uniform(30, 60)
        right = quad[:, 0].min() - gap
        ph = 0.8 * H
        pw = min(ph * 210 / 297, right - 20)
        top = rng.uniform(0.05, 0.15) * H
        sheet = np.array([[right - pw, top], [right, top], [right, top + ph], [right - pw, top + ph]])
        _paste(img, _text_page(rng), sheet)
    _paste(img, _id_card(rng), quad, radius=0.04)
    if what in ("none", "beside"):
        return HardScene("piece_" + what, seed, _finish(img, rng), quad)
    f = rng.uniform(0.35, 0.65)
    tilt = rng.uniform(-0.15, 0.15)
    pa = quad[0] + (quad[1] - quad[0]) * (f + tilt)       # on the top side
    pb = quad[3] + (quad[2] - quad[3]) * (f - tilt)       # on the bottom side
    if what == "pen" or (not what and seed % 2 == 0):
        d = (pb - pa) / np.linalg.norm(pb - pa)
        _across(img, rng, pa - d * rng.uniform(40, 160), pb + d * rng.uniform(40, 160), rng.uniform(14, 36))
    else:   # the tip 30-60 % of the way from the top side to the bottom one
        _finger(img, rng, pa + (pb - pa) * rng.uniform(0.3, 0.6), rng.uniform(36, 56))
    return HardScene("piece", seed, _finish(img, rng), quad)
