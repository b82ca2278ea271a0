"""A head as the simulated face camera sees it: a 3-D landmark template, a portrait fitted to it, and the
warps that make the portrait blink and turn.

The template is a coarse head in face units (half the face's width = 1; x to the image's right, y down,
z towards the camera). Turning the head rotates it about the vertical axis: the nose tip (z = 1) moves
about twice as far as the eyes and much further than the outline's sides (z = 0), which is what a real
head does and what a flat photo turned in the hand cannot do (its points all keep to one plane). The
portrait is moved with a piecewise-affine warp over a triangle mesh of those landmarks.

A portrait is either ``faces/<person>/live.png`` (with an optional ``landmarks.json``: the template's 2-D
points in that image's pixels; without it the face is taken to fill the middle of the picture) or, until
such portraits exist, a face drawn here: a placeholder, not a likeness of anyone.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

FACES_DIR = Path(__file__).resolve().parent / "faces"


def _template() -> tuple[np.ndarray, dict[str, list[int]]]:
    pts: list[tuple[float, float, float]] = []
    groups: dict[str, list[int]] = {}

    def add(group: str, *points: tuple[float, float, float]) -> None:
        groups.setdefault(group, [])
        for p in points:
            groups[group].append(len(pts))
            pts.append(p)

    # The outline: 16 points on an ellipse; its sides are the silhouette (z = 0), chin and forehead come
    # forward a little.
    for k in range(16):
        a = 2 * np.pi * k / 16
        add("outline", (float(np.cos(a)), float(1.3 * np.sin(a)), float(0.45 * abs(np.sin(a)))))
    for side, sx in (("eye_l", -1.0), ("eye_r", 1.0)):  # eye_l: the image's left (the citizen's right)
        cx = 0.4 * sx
        add(side, (cx - 0.16 * sx, -0.15, 0.5), (cx, -0.21, 0.58), (cx + 0.16 * sx, -0.15, 0.55),
            (cx, -0.09, 0.58))  # outer, upper lid, inner, lower lid
    add("brows", (-0.6, -0.4, 0.5), (-0.22, -0.45, 0.65), (0.22, -0.45, 0.65), (0.6, -0.4, 0.5))
    add("nose", (0.0, -0.12, 0.75), (0.0, 0.22, 1.0), (-0.15, 0.3, 0.72), (0.15, 0.3, 0.72))
    add("mouth", (-0.3, 0.58, 0.6), (0.0, 0.52, 0.72), (0.3, 0.58, 0.6), (0.0, 0.66, 0.7))
    add("cheeks", (-0.62, 0.22, 0.42), (0.62, 0.22, 0.42))
    out = np.array(pts, np.float32)
    out[groups["nose"], 2] *= NOSE_DEPTH  # a real nose's depth: its tip NOSE_DEPTH half-widths before the sides
    return out, groups


# How far the nose tip stands in front of the face's sides (234/454 of MediaPipe's mesh), in half face widths:
# 1.29 in MediaPipe's canonical face model, median 1.36 (5-95 %: 1.28-1.43) in the face mesh's own depth on 60
# frontal portraits of bench/data/faces. The template was drawn with 1.0, a flatter nose than anyone's: its
# turns moved the nose too little for the yaw they claimed. (Only the nose is deepened: the cheeks, deeper,
# would pass the outline's sides in a 35 degree turn and fold the warped picture; a real head hides them.)
NOSE_DEPTH = 1.33


TEMPLATE_3D, GROUPS = _template()
N_LANDMARKS = len(TEMPLATE_3D)
NOSE_TIP = GROUPS["nose"][1]


def rotate(points: np.ndarray, yaw_deg: float, pitch_deg: float = 0.0) -> np.ndarray:
    """The template turned by ``yaw_deg`` (positive: the citizen turns to their left, so in the camera's
    unmirrored frame the nose moves to +x) and nodded by ``pitch_deg``; orthographic projection (x, y)."""
    a, b = np.radians(yaw_deg), np.radians(pitch_deg)
    x, y, z = points[:, 0], points[:, 1], points[:, 2]
    x1 = x * np.cos(a) + z * np.sin(a)
    z1 = -x * np.sin(a) + z * np.cos(a)
    y1 = y * np.cos(b) - z1 * np.sin(b)
    return np.stack([x1, y1], axis=1).astype(np.float32)


def eye_openness(points_2d: np.ndarray) -> float:
    """Eye aspect ratio (lid gap over eye width), averaged over both eyes: ~0.38 open, ~0 closed."""
    values = []
    for side in ("eye_l", "eye_r"):
        outer, upper, inner, lower = (points_2d[i] for i in GROUPS[side])
        width = float(np.linalg.norm(inner - outer)) or 1.0
        values.append(float(np.linalg.norm(lower - upper)) / width)
    return float(np.mean(values))


@dataclass
class Portrait:
    """A BGR portrait with an alpha mask (1 on the person) and the template's frontal points in its pixels."""

    image: np.ndarray
    alpha: np.ndarray  # float32 0..1
    points: np.ndarray  # (N, 2) pixels, the template's frontal projection fitted to this face
    center: tuple[float, float]
    unit: float  # pixels per face unit (half the face's width)


def frontal_points(center: tuple[float, float], unit: float) -> np.ndarray:
    return rotate(TEMPLATE_3D, 0.0) * unit + np.array(center, np.float32)


def load_portrait(person: str, seed: int = 0) -> Portrait:
    """``faces/<person>/live.png`` if committed, else a drawn placeholder (distinct per person name)."""
    path = FACES_DIR / person / "live.png"
    if path.exists():
        image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if image is not None:
            return _from_file(image, path.parent / "landmarks.json")
    return draw_placeholder(person, seed)


def _from_file(image: np.ndarray, landmarks_path: Path) -> Portrait:
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    h, w = image.shape[:2]
    if image.shape[2] == 4:
        alpha = image[:, :, 3].astype(np.float32) / 255
        image = np.ascontiguousarray(image[:, :, :3])
    else:
        alpha = np.zeros((h, w), np.float32)
        cv2.ellipse(alpha, (w // 2, int(h * 0.52)), (int(w * 0.42), int(h * 0.47)), 0, 0, 360, 1.0, -1)
        alpha = cv2.GaussianBlur(alpha, (0, 0), max(2.0, w / 60))
    if landmarks_path.exists():
        pts = np.array(json.loads(landmarks_path.read_text(encoding="utf-8"))["points"], np.float32)
        center = tuple(float(v) for v in pts.mean(axis=0))
        unit = float(np.ptp(pts[:, 0]) / 2)
        return Portrait(image, alpha, pts, center, unit)
    center, unit = (w / 2, h * 0.5), w * 0.3
    return Portrait(image, alpha, frontal_points(center, unit), center, unit)


def draw_placeholder(person: str, seed: int = 0) -> Portrait:
    """A drawn face with skin texture, fitted to the template by construction. Each name gets its own
    skin tone, hair and proportions, so a holder and an impostor look different."""
    # crc32, not hash(): a str's hash() changes with every process (PYTHONHASHSEED), and so did the face
    rng = np.random.default_rng(zlib.crc32(person.encode("utf-8")) if seed == 0 else seed)
    w, h, unit = 320, 400, 100.0
    cx, cy = w / 2, h * 0.48
    img = np.zeros((h, w, 3), np.uint8)
    alpha = np.zeros((h, w), np.float32)
    skin = np.array([rng.uniform(105, 150), rng.uniform(140, 185), rng.uniform(190, 235)])  # BGR: warm tones
    hair = np.array([rng.uniform(10, 60)] * 3) + rng.uniform(0, 25, 3)
    shirt = rng.uniform(40, 200, 3)
    # shoulders and neck, then hair behind, the face, hair on top
    cv2.ellipse(img, (int(cx), h + 40), (150, 120), 0, 180, 360, shirt.tolist(), -1)
    cv2.ellipse(alpha, (int(cx), h + 40), (150, 120), 0, 180, 360, 1.0, -1)
    cv2.rectangle(img, (int(cx - 40), int(cy + 100)), (int(cx + 40), h - 60), (skin * 0.85).tolist(), -1)
    cv2.rectangle(alpha, (int(cx - 40), int(cy + 100)), (int(cx + 40), h - 60), 1.0, -1)
    hair_h = rng.uniform(1.35, 1.6)
    cv2.ellipse(img, (int(cx), int(cy - 15)), (int(unit * 1.12), int(unit * hair_h)), 0, 0, 360, hair.tolist(), -1)
    cv2.ellipse(alpha, (int(cx), int(cy - 15)), (int(unit * 1.12), int(unit * hair_h)), 0, 0, 360, 1.0, -1)
    for ex in (-1, 1):  # ears
        cv2.ellipse(img, (int(cx + ex * unit * 0.98), int(cy)), (14, 30), 0, 0, 360, (skin * 0.9).tolist(), -1)
    cv2.ellipse(img, (int(cx), int(cy)), (int(unit), int(unit * 1.3)), 0, 0, 360, skin.tolist(), -1)
    fringe = rng.uniform(0.55, 0.85)
    cv2.ellipse(img, (int(cx), int(cy - unit * 0.62)), (int(unit * 1.03), int(unit * fringe)), 0, 180, 360,
                hair.tolist(), -1)
    pts = frontal_points((cx, cy), unit)

    def p(i: int) -> tuple[int, int]:
        return int(round(pts[i][0])), int(round(pts[i][1]))

    # shading: the cheeks and the nose's sides a little darker
    shade = np.zeros((h, w), np.float32)
    for i in GROUPS["cheeks"]:
        cv2.circle(shade, p(i), 28, 0.12, -1)
    cv2.line(shade, p(GROUPS["nose"][0]), p(GROUPS["nose"][2]), 0.25, 6)
    cv2.line(shade, p(GROUPS["nose"][0]), p(GROUPS["nose"][3]), 0.12, 6)
    shade = cv2.GaussianBlur(shade, (0, 0), 6)
    img = (img * (1 - shade[:, :, None])).astype(np.uint8)
    iris = rng.uniform(20, 70, 3)
    for side in ("eye_l", "eye_r"):
        outer, upper, inner, lower = (pts[i] for i in GROUPS[side])
        c = (outer + inner) / 2
        cv2.ellipse(img, (int(c[0]), int(c[1])), (int(abs(inner[0] - outer[0]) / 2), int((lower[1] - upper[1]) / 2)),
                    0, 0, 360, (235, 240, 245), -1)
        cv2.circle(img, (int(c[0]), int(c[1])), 6, iris.tolist(), -1)
        cv2.circle(img, (int(c[0]), int(c[1])), 3, (10, 10, 10), -1)
        cv2.ellipse(img, (int(c[0]), int(c[1])), (int(abs(inner[0] - outer[0]) / 2), int((lower[1] - upper[1]) / 2)),
                    0, 180, 360, (40, 40, 50), 2)
    b = GROUPS["brows"]
    cv2.line(img, p(b[0]), p(b[1]), hair.tolist(), 5)
    cv2.line(img, p(b[2]), p(b[3]), hair.tolist(), 5)
    n = GROUPS["nose"]
    cv2.ellipse(img, p(n[1]), (16, 8), 0, 0, 180, (skin * 0.7).tolist(), 2)
    m = GROUPS["mouth"]
    lips = (skin * np.array([0.55, 0.55, 0.85])).tolist()
    cv2.fillPoly(img, [np.array([p(m[0]), p(m[1]), p(m[2]), p(m[3])], np.int32)], lips)
    cv2.line(img, p(m[0]), p(m[2]), (skin * 0.4).tolist(), 1)
    # skin and hair texture: fine noise, as a camera resolves pores, stubble and strands
    grain = rng.normal(0, 7, (h, w)).astype(np.float32)
    grain = cv2.GaussianBlur(grain, (0, 0), 0.8)
    img = np.clip(img.astype(np.float32) + grain[:, :, None], 0, 255).astype(np.uint8)
    alpha = cv2.GaussianBlur(alpha, (0, 0), 2.0)
    return Portrait(img, alpha, pts, (cx, cy), unit)


LID_FOLD = 0.6  # how far above the upper lid the shut lid's skin starts, in eye openings
LASH_SAG = 0.5  # the lash line's sag, in eye openings
LASH_DROP = 0.0  # the lash line's lowest point below the shut lid's edge, in eye openings
LASH_PX = 1


def close_eyes(portrait: Portrait, closed: float) -> np.ndarray:
    """The portrait with its eyelids ``closed`` (0 open .. 1 shut): the upper lid, skin coloured from the
    cheek just below the eye (with the skin's grain), comes down over the eye; shut, it covers the eye from
    the brow's crease to just past the lower lid and shows only a thin, gently curved lash line there."""
    img = portrait.image.copy()
    if closed <= 0:
        return img
    pts = portrait.points
    rng = np.random.default_rng(3)
    for side in ("eye_l", "eye_r"):
        p0, upper, p2, lower = (pts[i] for i in GROUPS[side])
        cx = (p0[0] + p2[0]) / 2
        half_w = abs(p2[0] - p0[0]) / 2 * 1.3 + 1
        gap = max(2.0, float(lower[1] - upper[1]))
        top = upper[1] - gap * LID_FOLD - 1  # the lid's fold
        lid = top + (lower[1] + 1 - top) * closed  # the lid's edge: shut, at the lower lid
        y0, y1 = int(lower[1] + gap), int(lower[1] + 3 * gap) + 2  # the skin just below the eye
        patch = portrait.image[y0:y1, int(cx - half_w * 0.7):int(cx + half_w * 0.7) + 1].reshape(-1, 3)
        colour = np.median(patch, axis=0) * 0.92 if len(patch) else np.array([150, 170, 210])  # a lid's shade
        mask = np.zeros(img.shape[:2], np.float32)
        mid, half_h = (top + lid) / 2, max(1.0, (lid - top) / 2)
        cv2.ellipse(mask, (int(round(cx)), int(round(mid))), (int(round(half_w)), int(round(half_h))), 0, 0, 360, 1.0, -1)
        mask = cv2.GaussianBlur(mask, (0, 0), 1.0)[:, :, None]
        skin = np.clip(colour + rng.normal(0, 4, img.shape), 0, 255)
        img = (img * (1 - mask) + skin * mask).astype(np.uint8)
        if closed > 0.6:  # the lashes: a shallow arc along the shut lid's edge
            sag = max(1, int(round(gap * LASH_SAG)))
            cv2.ellipse(img, (int(round(cx)), int(round(lid + LASH_DROP * gap - sag))), (int(round(half_w * 0.85)), sag),
                        0, 10, 170, (40, 40, 50), LASH_PX, cv2.LINE_AA)
    return img


def _mesh_points(portrait: Portrait) -> np.ndarray:
    h, w = portrait.image.shape[:2]
    border = [(0, 0), (w / 2, 0), (w - 1, 0), (w - 1, h / 2), (w - 1, h - 1), (w / 2, h - 1), (0, h - 1), (0, h / 2)]
    return np.vstack([portrait.points, np.array(border, np.float32)])


_TRIANGLES: dict[int, np.ndarray] = {}


def _triangles(portrait: Portrait) -> np.ndarray:
    key = id(portrait)
    tri = _TRIANGLES.get(key)
    if tri is None:
        src = _mesh_points(portrait)
        h, w = portrait.image.shape[:2]
        subdiv = cv2.Subdiv2D((-1, -1, w + 2, h + 2))
        for x, y in src:
            subdiv.insert((float(x), float(y)))
        index = {(round(float(x), 2), round(float(y), 2)): i for i, (x, y) in enumerate(src)}
        out = []
        for t in subdiv.getTriangleList():
            ids = [index.get((round(float(t[k]), 2), round(float(t[k + 1]), 2))) for k in (0, 2, 4)]
            if None not in ids:
                out.append(ids)
        tri = np.array(out, np.int32)
        _TRIANGLES[key] = tri
    return tri


def warp(portrait: Portrait, image: np.ndarray, dst_points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Piecewise-affine warp of ``image`` (the portrait's pixels, maybe with eyes closed) and its alpha so
    that its landmarks land on ``dst_points`` (same canvas); the canvas border stays put."""
    src = _mesh_points(portrait)
    h, w = image.shape[:2]
    dst = np.vstack([dst_points.astype(np.float32), src[len(dst_points):]])
    out = np.zeros_like(image)
    out_a = np.zeros((h, w), np.float32)
    for a, b, c in _triangles(portrait):
        s, d = src[[a, b, c]], dst[[a, b, c]]
        x, y, bw, bh = cv2.boundingRect(d)
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + bw, w), min(y + bh, h)
        if x1 <= x0 or y1 <= y0:
            continue
        m = cv2.getAffineTransform(s, d - np.array([x0, y0], np.float32))
        patch = cv2.warpAffine(image, m, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        patch_a = cv2.warpAffine(portrait.alpha, m, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR)
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillConvexPoly(mask, np.round(d - [x0, y0]).astype(np.int32), 1)
        sel = mask.astype(bool)
        out[y0:y1, x0:x1][sel] = patch[sel]
        out_a[y0:y1, x0:x1][sel] = patch_a[sel]
    return out, out_a


def posed_points(portrait: Portrait, yaw_deg: float, pitch_deg: float = 0.0, closed: float = 0.0) -> np.ndarray:
    """Where the portrait's landmarks go for a pose (in the portrait's canvas); ``closed`` lowers the upper lids."""
    pts3 = TEMPLATE_3D.copy()
    for side in ("eye_l", "eye_r"):
        _, upper, _, lower = GROUPS[side]
        pts3[upper, 1] += (pts3[lower, 1] - pts3[upper, 1]) * 0.97 * closed
    moved = rotate(pts3, yaw_deg, pitch_deg) - rotate(TEMPLATE_3D, 0.0)
    return portrait.points + moved * portrait.unit
