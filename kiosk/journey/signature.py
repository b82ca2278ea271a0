"""The signature drawn on screen: strokes of points in, an anti-aliased PNG out (no Qt here)."""
from __future__ import annotations

import cv2
import numpy as np

Stroke = list[tuple[float, float]]

MIN_INK_PX = 60  # a dot or an accidental touch is not a signature


class SignatureError(ValueError):
    pass


def ink_length(strokes: list[Stroke]) -> float:
    total = 0.0
    for s in strokes:
        pts = np.asarray(s, dtype=np.float64)
        if len(pts) > 1:
            total += float(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum())
    return total


def render_png(strokes: list[Stroke], width: int, height: int, *, pen_px: int = 4) -> bytes:
    """Black ink on white at the pad's size, cropped to the ink with a margin."""
    if width <= 0 or height <= 0 or width > 4000 or height > 4000:
        raise SignatureError("bad pad size")
    if ink_length(strokes) < MIN_INK_PX:
        raise SignatureError("the signature is too short")
    img = np.full((height, width), 255, np.uint8)
    for s in strokes:
        pts = np.round(np.asarray(s, dtype=np.float64)).astype(np.int32).reshape(-1, 1, 2)
        if len(pts) == 1:
            cv2.circle(img, tuple(int(v) for v in pts[0, 0]), pen_px // 2, 0, -1, cv2.LINE_AA)
        else:
            cv2.polylines(img, [pts], False, 0, pen_px, cv2.LINE_AA)
    ys, xs = np.where(img < 128)
    pad = 12
    y0, y1 = max(0, ys.min() - pad), min(height, ys.max() + pad)
    x0, x1 = max(0, xs.min() - pad), min(width, xs.max() + pad)
    ok, png = cv2.imencode(".png", img[y0:y1, x0:x1], [cv2.IMWRITE_PNG_COMPRESSION, 9])
    if not ok:
        raise SignatureError("could not encode the signature")
    return png.tobytes()
