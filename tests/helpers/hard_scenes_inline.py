"""Rendered analogue for round 40 (issue 22 item 1, failure kind (b)): a page on a striped desk, one of the desk's
stripe boundaries in line with one of the page's sides, so the line through that side runs on past the paper's
corner along the stripe. Stripes of 10-60 px, two colours of any hue and contrast, the page a text page, a form or
an ID card, tilted up to 12 degrees. Its own seed stream; not among hard_scenes.KINDS (the bench's kinds stay as
they were): ``render(seed)`` puts a stripe boundary on a side, ``render(seed, in_line=False)`` the same desk turned
5-40 degrees off the page's sides (the control whose outline must stay right).
"""
from __future__ import annotations

import numpy as np

from .hard_scenes import H, W, HardScene, _finish, _id_card, _page_quad, _paste, _ruled_form, _text_page


def _stripes(rng: np.random.Generator, origin: np.ndarray, along: np.ndarray, period: float) -> np.ndarray:
    """A desk of two-colour stripes parallel to ``along``, a boundary through ``origin``."""
    c1 = rng.uniform(30, 230, 3)
    c2 = rng.uniform(30, 230, 3)
    if np.abs(c1 - c2).max() < 40:   # stripes a person sees
        c2 = np.clip(c1 + rng.choice([-1, 1], 3) * 60, 20, 235)
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    n = np.array([-along[1], along[0]], np.float32)
    u = (x - origin[0]) * n[0] + (y - origin[1]) * n[1]
    m = ((np.floor(u / (period / 2)) % 2) > 0).astype(np.float32)[..., None]
    mottle = 1 + 0.03 * np.sin(x * rng.uniform(0.002, 0.01) + y * rng.uniform(0.002, 0.01))[..., None]
    return (c1 * (1 - m) + c2 * m).astype(np.float32) * mottle


def render(seed: int, in_line: bool = True) -> HardScene:
    """A page whose side k (from corner k to k + 1) has a stripe boundary along it (``in_line``), or a desk whose
    stripes are turned off every side of the page."""
    rng = np.random.default_rng([seed, 4040])
    pick = int(rng.integers(0, 4))
    if pick == 0:
        sheet, quad = _id_card(rng), _page_quad(rng, 85.6, 54.0, rng.uniform(0.45, 0.6))
    elif pick == 1:
        sheet, quad = _ruled_form(rng), _page_quad(rng, 210.0, 297.0, rng.uniform(0.7, 0.85))
    else:
        sheet, quad = _text_page(rng), _page_quad(rng, 210.0, 297.0, rng.uniform(0.7, 0.85))
    k = int(rng.integers(0, 4))
    a, b = quad[k], quad[(k + 1) % 4]
    along = (b - a) / np.linalg.norm(b - a)
    if not in_line:
        t = np.deg2rad(rng.uniform(5, 40) * rng.choice([-1, 1]))
        along = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]) @ along
    img = _stripes(rng, (a + b) / 2, along, rng.uniform(20, 120))
    _paste(img, sheet, quad, radius=0.04 if sheet.shape[1] == 856 else 0.0)
    return HardScene("inline" if in_line else "stripes", seed, _finish(img, rng), quad)
