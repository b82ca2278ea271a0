"""The rendered kind ``framed`` (issue 22 item 1, round 29): a coloured cover whose picture holds a strong printed
rectangle (a tablet or phone with a dark bezel, a photo frame, a framed title block) lying on wood, a pale or a dark
desk, as the tuning photo vaidya-cover-knife.jpg (Devansh-Vaidya) shows: the cover's own picture runs on past the
printed rectangle on one or more sides, in the cover's colours, up to the cover's edge with the desk beyond. The
object is the whole cover; the rectangle is printed on it. Its own seed stream; not among hard_scenes.KINDS (the
bench's kinds stay as they were): tests render it with ``render(seed)``."""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import HardScene, _desk, _finish, _page_quad, _paste

# Cover colours (BGR): a silver-grey band as the knife cover's, navy, wine red, forest green, ochre, purple
_COVERS = ((170, 165, 160), (110, 50, 25), (40, 30, 150), (50, 110, 40), (40, 140, 200), (120, 50, 110))
# The rectangle's inside: a screen's picture or a photo (BGR), unlike the cover
_SCREENS = ((200, 150, 60), (60, 170, 220), (90, 200, 120), (180, 90, 200), (70, 90, 230))


def _cover(rng: np.random.Generator, cw: int, ch: int) -> np.ndarray:
    """The cover, flat (BGR float): a coloured picture (a gradient and a few blobs), a strong printed rectangle whose
    margin to the cover's edge is wide on one side (0.10-0.18 of the cover) and narrow on the others (0.01-0.025)."""
    base = np.array(_COVERS[int(rng.integers(0, len(_COVERS)))], np.float32)
    y = np.linspace(0, 1, ch, dtype=np.float32)[:, None, None]
    img = base[None, None] * (0.9 + 0.2 * y) * np.ones((ch, cw, 3), np.float32)
    for _ in range(int(rng.integers(2, 5))):   # the picture past the rectangle: soft blobs of the cover's shades
        c = (int(rng.uniform(0, cw)), int(rng.uniform(0, ch)))
        cv2.circle(img, c, int(rng.uniform(0.05, 0.12) * cw), (base * rng.uniform(0.75, 1.2)).tolist(), -1)
    img = cv2.GaussianBlur(img, (0, 0), 6)
    wide = int(rng.integers(0, 4))   # which side has the wide margin: top, right, bottom, left
    m = [rng.uniform(0.01, 0.025) for _ in range(4)]
    m[wide] = rng.uniform(0.10, 0.18)
    x0, y0 = int(m[3] * cw), int(m[0] * ch)
    x1, y1 = int((1 - m[1]) * cw), int((1 - m[2]) * ch)
    bezel = (25, 25, 30) if rng.random() < 0.6 else (235, 235, 235)
    screen = np.array(_SCREENS[int(rng.integers(0, len(_SCREENS)))], np.float32)
    cv2.rectangle(img, (x0, y0), (x1, y1), bezel, -1)
    t = int(rng.uniform(0.03, 0.05) * cw)
    inner = img[y0 + t:y1 - t, x0 + t:x1 - t]
    yy = np.linspace(0, 1, inner.shape[0], dtype=np.float32)[:, None, None]
    inner[:] = screen[None, None] * (0.8 + 0.35 * yy)
    for _ in range(3):   # the screen's picture: a few shapes and a title row
        c = (int(rng.uniform(0, inner.shape[1])), int(rng.uniform(0, inner.shape[0])))
        cv2.circle(inner, c, int(rng.uniform(0.05, 0.15) * cw), (screen * rng.uniform(0.5, 1.3)).clip(0, 255).tolist(),
                   -1)
    ty = int(inner.shape[0] * rng.uniform(0.7, 0.85))
    cv2.rectangle(inner, (int(0.1 * inner.shape[1]), ty), (int(0.9 * inner.shape[1]), ty + int(0.06 * ch)),
                  (245, 245, 245), -1)
    return img


def render(seed: int) -> HardScene:
    rng = np.random.default_rng([seed, 2929])
    img = _desk(rng, ("wood", "pale", "dark")[seed % 3])
    w_mm, h_mm = rng.uniform(125, 150), rng.uniform(190, 215)
    quad = _page_quad(rng, w_mm, h_mm, rng.uniform(0.65, 0.8))
    cw, ch = 600, int(600 * h_mm / w_mm)
    _paste(img, _cover(rng, cw, ch), quad)
    return HardScene("framed", seed, _finish(img, rng), quad)
