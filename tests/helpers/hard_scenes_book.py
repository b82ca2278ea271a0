"""The rendered kind ``book`` (issue 22 item 1, round 21): a hardback with a picture cover lying on a dark table in a
dim room, photographed from its near end at a strong angle, as the tuning photo cv_desk.png
(mdmamunhasan/interest-point-matching) shows: a cream title panel over a brown-ochre picture, a strip of brown cloth
along the spine only a few levels lighter than the table, the light page block showing past the near edge, the
cover's left and right sides 24-34 degrees from parallel. Its own seed stream; not among hard_scenes.KINDS (the bench's
kinds stay as they were): tests render it with ``render(seed)``."""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _finish

_FOCAL = 1.0 * W     # a focal length docscan.steep tries (one long side of the frame)


def _project(pts: np.ndarray, rot: np.ndarray, shift: np.ndarray) -> np.ndarray:
    p = pts @ rot.T + shift
    return np.stack([_FOCAL * p[:, 0] / p[:, 2] + W / 2, _FOCAL * p[:, 1] / p[:, 2] + H / 2], axis=1)


def _cover(rng: np.random.Generator, cw: int, ch: int, spine: float, table: float) -> np.ndarray:
    """The cover, flat (BGR float): ochre picture with darker marks, a cream title panel, a cloth strip on the left."""
    img = np.empty((ch, cw, 3), np.float32)
    img[:] = np.array([70, 110, 150], np.float32) * rng.uniform(0.75, 1.05)
    for _ in range(int(rng.integers(25, 40))):    # the picture: blobs of earth colours
        c = (int(rng.uniform(0, cw)), int(rng.uniform(0.3 * ch, ch)))
        ax = (int(rng.uniform(8, 60)), int(rng.uniform(4, 30)))
        col = np.array([40, 60, 90], np.float32) * rng.uniform(0.3, 1.3)
        cv2.ellipse(img, c, ax, float(rng.uniform(0, 180)), 0, 360, col.tolist(), -1)
    for _ in range(int(rng.integers(6, 10))):     # and a beast drawn in black and red
        c = (int(rng.uniform(0.2 * cw, 0.8 * cw)), int(rng.uniform(0.45 * ch, 0.85 * ch)))
        ax = (int(rng.uniform(30, 90)), int(rng.uniform(15, 40)))
        col = [15, 20, 30] if rng.random() < 0.6 else [30, 40, 140]
        cv2.ellipse(img, c, ax, float(rng.uniform(0, 180)), 0, 360, col, int(rng.integers(-1, 12)) or -1)
    panel = int(ch * rng.uniform(0.22, 0.3))
    img[:panel] = np.array([170, 205, 225], np.float32) * rng.uniform(0.85, 1.0)
    for k in range(3):   # the title and the authors
        y = int(panel * (0.25 + 0.25 * k))
        cv2.line(img, (int(cw * 0.25), y), (int(cw * 0.75), y), (40, 60, 120), int(rng.integers(3, 8)))
    strip = int(cw * rng.uniform(0.06, 0.1))
    img[:, :strip] = np.array([0.8, 0.95, 1.25], np.float32) * spine   # brown cloth, near the table's shade
    img[:, strip:strip + 2] *= 0.7
    return img


def render(seed: int) -> HardScene:
    rng = np.random.default_rng([seed, 9121])
    table = rng.uniform(14, 28)
    img = np.empty((H, W, 3), np.float32)
    img[:] = table + rng.uniform(-3, 3, 3)
    w_mm, h_mm, thick = rng.uniform(185, 215), rng.uniform(235, 270), rng.uniform(18, 35)
    pitch = -np.deg2rad(rng.uniform(45, 56))       # the camera's tilt from looking straight down
    yaw = np.deg2rad(rng.uniform(-4, 4))
    cp, sp, cy, sy = np.cos(pitch), np.sin(pitch), np.cos(yaw), np.sin(yaw)
    rot = np.array([[cy, -sy, 0], [sy, cy, 0], [0, 0, 1]]) @ np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    dist = rng.uniform(480, 560)
    shift = np.array([rng.uniform(-15, 15), rng.uniform(-10, 25), dist])
    x, y = w_mm / 2, h_mm / 2
    top = np.array([[-x, -y, -thick], [x, -y, -thick], [x, y, -thick], [-x, y, -thick]])   # the cover, z up = minus
    quad = _project(top, rot, shift)
    block = _project(np.array([[-x, y, -thick], [x, y, -thick], [x, y, 0], [-x, y, 0]]), rot, shift)
    cv2.fillConvexPoly(img, np.round(block).astype(np.int32), np.full(3, rng.uniform(110, 160)).tolist(),
                       cv2.LINE_AA)
    spine = table + rng.uniform(9, 16)
    cw, ch = 600, int(600 * h_mm / w_mm)
    cover = _cover(rng, cw, ch, spine, table)
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [cw, 0], [cw, ch], [0, ch]]), np.float32(quad + 0.5))
    warped = cv2.warpPerspective(cover, m, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ch, cw), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
    img = img * (1 - mask) + warped * mask
    img *= rng.uniform(0.6, 0.8)   # a dim room
    return HardScene("book", seed, _finish(img, rng), quad)
