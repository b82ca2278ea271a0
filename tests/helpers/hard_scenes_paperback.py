"""The rendered kind ``paperback`` (issue 22 item 1, round 27): a thick paperback with a coloured picture cover lying
on a dark desk, photographed at an angle so that its page block shows past one or two adjacent sides of the cover, as
the tuning photo test1.jpg (Justinyu1618) shows: a cyan cover with big dark title letters, and along its right side the
cream page block between the cover and the black desk. Each scene turns the book so that the block shows past the
cover's right side, its bottom side, or both (the fore-edge and the tail); the block's paper is cream to grey, shaded
across its width. Its own seed stream; not among hard_scenes.KINDS (the bench's kinds stay as they were): tests render
it with ``render(seed)``."""
from __future__ import annotations

import cv2
import numpy as np

from .hard_scenes import H, W, HardScene, _finish

_FOCAL = 1.2 * W
# Light cover colours (BGR), as test1.jpg's cyan: cyan, yellow, pink, light green
_COVERS = ((230, 212, 80), (80, 215, 240), (190, 160, 245), (140, 225, 150))


def _project(pts: np.ndarray, rot: np.ndarray, shift: np.ndarray) -> np.ndarray:
    p = pts @ rot.T + shift
    return np.stack([_FOCAL * p[:, 0] / p[:, 2] + W / 2, _FOCAL * p[:, 1] / p[:, 2] + H / 2], axis=1)


def _cover(rng: np.random.Generator, cw: int, ch: int) -> np.ndarray:
    """The cover, flat (BGR float): one colour, big dark title letters, a white line of the author's name."""
    img = np.empty((ch, cw, 3), np.float32)
    img[:] = np.array(_COVERS[int(rng.integers(0, len(_COVERS)))], np.float32) * rng.uniform(0.85, 1.05)
    ink = (40, 40, 50) if rng.random() < 0.7 else (245, 245, 245)
    for k in range(int(rng.integers(2, 4))):   # the title: rows of big letters (blocks with gaps)
        y = int(ch * (0.12 + 0.16 * k))
        x = int(cw * rng.uniform(0.08, 0.15))
        while x < cw * 0.85:
            lw = int(cw * rng.uniform(0.06, 0.11))
            cv2.rectangle(img, (x, y), (x + lw, y + int(ch * 0.11)), ink, int(rng.integers(6, 14)))
            x += lw + int(cw * 0.03)
    y = int(ch * rng.uniform(0.78, 0.88))
    cv2.line(img, (int(cw * 0.2), y), (int(cw * 0.8), y), (245, 245, 245), int(rng.integers(8, 16)))
    return img


def render(seed: int) -> HardScene:
    rng = np.random.default_rng([seed, 2727])
    desk = rng.uniform(15, 45)
    img = np.empty((H, W, 3), np.float32)
    img[:] = desk + rng.uniform(-4, 4, 3)
    w_mm, h_mm, thick = rng.uniform(125, 150), rng.uniform(190, 215), rng.uniform(22, 38)
    which = int(rng.integers(0, 3))   # the block shows past the right side (0), the bottom (1) or both (2)
    tilt = np.deg2rad(rng.uniform(28, 40))
    ax, ay = (0.0, 1.0) if which == 0 else (-1.0, 0.0) if which == 1 else (-0.7, 0.7)
    axis = np.array([ax, ay, 0.0]) / np.hypot(ax, ay)   # tilt the camera about this axis: the block's faces show
    kx = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rot = np.eye(3) + np.sin(tilt) * kx + (1 - np.cos(tilt)) * kx @ kx
    spin = np.deg2rad(rng.uniform(-12, 12))
    rot = rot @ np.array([[np.cos(spin), -np.sin(spin), 0], [np.sin(spin), np.cos(spin), 0], [0, 0, 1]])
    shift = np.array([rng.uniform(-20, 20), rng.uniform(-10, 10), rng.uniform(650, 760)])
    x, y = w_mm / 2, h_mm / 2
    z = -thick   # the cover lies thick above the desk (z up = minus)
    top = np.array([[-x, -y, z], [x, -y, z], [x, y, z], [-x, y, z]])
    quad = _project(top, rot, shift)
    paper = np.array([rng.uniform(150, 200), rng.uniform(185, 225), rng.uniform(200, 235)], np.float32)
    for face, shade in (([[x, -y, z], [x, y, z], [x, y, 0], [x, -y, 0]], 0.95),     # the fore-edge
                        ([[-x, y, z], [x, y, z], [x, y, 0], [-x, y, 0]], 0.85)):    # the tail
        pts = _project(np.array(face, np.float64), rot, shift)
        grad = np.zeros((H, W, 3), np.float32)
        cv2.fillConvexPoly(grad, np.round(pts * 4).astype(np.int32), (paper * shade * rng.uniform(0.9, 1.0)).tolist(),
                           cv2.LINE_AA, shift=2)
        mask = grad.sum(axis=2, keepdims=True) > 0
        img = np.where(mask, grad, img)
    cw, ch = 600, int(600 * h_mm / w_mm)
    cover = _cover(rng, cw, ch)
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [cw, 0], [cw, ch], [0, ch]]), np.float32(quad + 0.5))
    warped = cv2.warpPerspective(cover, m, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ch, cw), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)[..., None]
    img = img * (1 - mask) + warped * mask
    return HardScene("paperback", seed, _finish(img, rng), quad)
