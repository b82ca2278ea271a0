"""Rendered analogue for round 32 (issue 22 item 1, kind 6 of docs/docscan.md): a card or a sheet with a pen, a
pencil or a cable lying across it, cutting off 15-45 % of it and running on out onto the desk past the page's two
sides, as the simulator's seed 511 shows (a blue pen across an ID card). The page's paper goes on beyond the pen in
the same colour, and the two sides the pen crosses run straight on past it. Its own seed stream; not among
hard_scenes.KINDS (the bench's kinds stay as they were): tests render it with ``render(seed)``, and the controls
(a heavy printed rule near a page's edge, a pen beside a page, two sheets side by side) with ``control(kind, seed)``.
"""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _desk, _finish, _id_card, _page_quad, _paste, _text_page

# Pen colours (BGR): blue, black, red, dark green, yellow pencil, grey cable
_PENS = ((160, 50, 25), (30, 30, 32), (35, 35, 170), (40, 100, 30), (30, 170, 215), (70, 70, 75))


def _across(img: np.ndarray, rng: np.random.Generator, p0: np.ndarray, p1: np.ndarray, width: float) -> None:
    """A pen from p0 to p1 (frame px), ``width`` px thick, with a soft shadow and a highlight along it."""
    colour = np.array(_PENS[int(rng.integers(0, len(_PENS)))], np.float32)
    mask = np.zeros((H, W), np.uint8)
    cv2.line(mask, tuple(int(v) for v in p0), tuple(int(v) for v in p1), 255, max(2, int(round(width))), cv2.LINE_AA)
    m = mask.astype(np.float32) / 255.0
    shadow = cv2.GaussianBlur(np.roll(m, (3, 4), axis=(0, 1)), (0, 0), 3)
    img *= (1 - 0.3 * shadow)[..., None]
    img[:] = img * (1 - m[..., None]) + colour[None, None] * m[..., None]
    if width >= 8:   # a glossy barrel: a thin light line along it
        d = (p1 - p0) / max(float(np.linalg.norm(p1 - p0)), 1e-6)
        off = np.array([d[1], -d[0]]) * width * 0.2
        hl = np.zeros((H, W), np.uint8)
        cv2.line(hl, tuple(int(v) for v in p0 + off), tuple(int(v) for v in p1 + off), 255, 2, cv2.LINE_AA)
        h = hl.astype(np.float32)[..., None] / 255.0 * 0.35
        img[:] = img * (1 - h) + 230 * h


def _page(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float, float]:
    if rng.random() < 0.5:
        w_mm, h_mm, sheet, fill = 85.6, 54.0, _id_card(rng), rng.uniform(0.45, 0.6)
    else:
        w_mm, h_mm, sheet, fill = 210.0, 297.0, _text_page(rng), rng.uniform(0.7, 0.85)
    return sheet, _page_quad(rng, w_mm, h_mm, fill), w_mm, h_mm


def render(seed: int) -> HardScene:
    """A page with a pen across it: the pen crosses the page's two long-axis sides (or short-axis ones) at a
    fraction 0.15-0.45 along them, at up to 20 degrees from parallel to the other pair, and runs 40-160 px past."""
    rng = np.random.default_rng([seed, 3232])
    img = _desk(rng, ("wood", "pale", "dark", "mat")[seed % 4])
    sheet, quad, _, _ = _page(rng)
    _paste(img, sheet, quad, radius=0.04 if sheet.shape[1] == 856 else 0.0)
    k = int(rng.integers(0, 4))                    # the pen cuts off the part next to side k
    a, b = quad[k], quad[(k + 1) % 4]
    prev, nxt = quad[(k - 1) % 4], quad[(k + 2) % 4]
    f = rng.uniform(0.15, 0.45)
    tilt = rng.uniform(-0.12, 0.12)
    pa = a + (prev - a) * np.clip(f + tilt, 0.12, 0.48)    # on the side from a towards prev
    pb = b + (nxt - b) * np.clip(f - tilt, 0.12, 0.48)     # on the side from b towards nxt
    d = (pb - pa) / np.linalg.norm(pb - pa)
    _across(img, rng, pa - d * rng.uniform(40, 160), pb + d * rng.uniform(40, 160), rng.uniform(12, 44))
    return HardScene("pen_across", seed, _finish(img, rng), quad)


def control(kind: str, seed: int) -> HardScene:
    """Scenes that must keep their outline: ``rule`` a sheet with a heavy printed rule across it near one edge and
    the sheet truly ending at the edge; ``beside`` a pen lying on the desk beside the page, along one side;
    ``two`` two sheets side by side, the truth the left one's (they do not touch)."""
    rng = np.random.default_rng([seed, 3233, ("rule", "beside", "two").index(kind)])
    img = _desk(rng, ("wood", "pale", "dark", "mat")[seed % 4])
    if kind == "two":
        quads = []
        for cx in (0.28, 0.72):
            sheet = _text_page(rng)
            w, h = 0.36 * W, 0.36 * W * 297 / 210
            h = min(h, 0.85 * H)
            w = h * 210 / 297
            c = np.array([cx * W, H / 2 + rng.uniform(-20, 20)])
            q = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]) + c
            q += rng.uniform(-8, 8, q.shape)
            _paste(img, sheet, q)
            quads.append(q)
        return HardScene("two", seed, _finish(img, rng), quads[0])
    sheet, quad, _, _ = _page(rng)
    if kind == "rule":   # a heavy dark rule 4-8 % in from one edge, across the whole sheet's width
        sh, sw = sheet.shape[:2]
        sheet = sheet.copy()
        y = int(rng.uniform(0.04, 0.08) * sh)
        t = max(4, int(rng.uniform(0.012, 0.03) * sh))
        cv2.rectangle(sheet, (0, y), (sw, y + t), (30, 30, 40) if rng.random() < 0.5 else (140, 60, 20), -1)
    _paste(img, sheet, quad, radius=0.04 if sheet.shape[1] == 856 else 0.0)
    if kind == "beside":   # a pen on the desk 15-40 px outside one side, parallel to it, longer than it
        k = int(rng.integers(0, 4))
        a, b = quad[k], quad[(k + 1) % 4]
        centre = quad.mean(axis=0)
        n = np.array([(b - a)[1], -(b - a)[0]]) / np.linalg.norm(b - a)
        n = n if np.dot((a + b) / 2 - centre, n) > 0 else -n
        off = n * rng.uniform(15, 40)
        d = (b - a) / np.linalg.norm(b - a)
        _across(img, rng, a + off - d * 60, b + off + d * 60, rng.uniform(12, 40))
    return HardScene(kind, seed, _finish(img, rng), quad)
