"""Image preparation for barcode decoding: grayscale, scaled and enhanced variants of one input image.

Every variant carries the affine map from its own pixel grid back to the caller's image, so corners found
in a variant are reported in the caller's coordinates. Which variants the decoder tries, and in what order,
is decided in ``decode.py`` from the benchmark numbers (``bench/bench_barcode.py``); this module only
knows how to make them.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

__all__ = [
    "Variant", "to_gray", "identity", "fit_within", "scaled", "clahe", "sharpened", "inverted", "turned",
    "rotated_90", "rotated_180", "map_points", "cut_out",
]

Point = tuple[float, float]
_IDENTITY = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


@dataclass(frozen=True)
class Variant:
    """A grayscale image derived from the input plus the 2x3 affine map variant pixel -> input pixel."""

    name: str
    image: np.ndarray
    to_input: np.ndarray  # 2x3 float affine matrix

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.image.shape[0]), int(self.image.shape[1])


def to_gray(image: np.ndarray) -> np.ndarray:
    """Return a C-contiguous 2-D uint8 view/copy of a gray, gray+1, BGR or BGRA uint8 image.

    Both engines want one luminance plane: pyzbar silently takes the *first* channel (blue) of a colour
    array, and converting once here lets the two engines share the result.
    """
    if not isinstance(image, np.ndarray):
        raise TypeError(f"expected a numpy array, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise ValueError(f"expected a uint8 image, got dtype {image.dtype}")
    if not (image.ndim == 2 or (image.ndim == 3 and image.shape[2] in (1, 3, 4))):
        raise ValueError(f"expected a gray (H, W) or BGR/BGRA (H, W, 3|4) image, got shape {image.shape}")
    if image.ndim == 2 or image.shape[2] == 1 or image.size == 0:
        return np.ascontiguousarray(image if image.ndim == 2 else image[:, :, 0])
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY if image.shape[2] == 3 else cv2.COLOR_BGRA2GRAY)


def identity(gray: np.ndarray, name: str = "original") -> Variant:
    return Variant(name, gray, _IDENTITY.copy())


def scaled(base: Variant, factor: float, name: str) -> Variant:
    """Resize by ``factor``: INTER_AREA when shrinking (averages, no aliasing), INTER_CUBIC when enlarging."""
    h, w = base.shape
    new_w, new_h = max(1, round(w * factor)), max(1, round(h * factor))
    interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    image = cv2.resize(base.image, (new_w, new_h), interpolation=interp)
    # Pixel centres: x_in + 0.5 = (x_var + 0.5) * w / new_w.
    sx, sy = w / new_w, h / new_h
    back = np.array([[sx, 0.0, 0.5 * sx - 0.5], [0.0, sy, 0.5 * sy - 0.5]])
    return Variant(name, image, _compose(base.to_input, back))


def fit_within(base: Variant, max_side: int, name: str = "fitted") -> Variant:
    """Shrink so that the longer side is at most ``max_side``; return ``base`` unchanged if it already fits."""
    longest = max(base.shape)
    if longest <= max_side:
        return base
    return scaled(base, max_side / longest, name)


def clahe(base: Variant, name: str = "clahe") -> Variant:
    """Local contrast equalisation: evens out glare, shadows and faded print before binarisation."""
    if min(base.shape) < 2:
        return Variant(name, base.image, base.to_input)
    equaliser = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    return Variant(name, equaliser.apply(base.image), base.to_input)


def sharpened(base: Variant, name: str = "sharpen", sigma: float = 2.0, amount: float = 1.5) -> Variant:
    """Unsharp mask (default sigma 2 px, amount 1.5): restores the edges of defocused or motion-smeared bars."""
    blurred = cv2.GaussianBlur(base.image, (0, 0), sigma)
    return Variant(name, cv2.addWeighted(base.image, 1.0 + amount, blurred, -amount, 0), base.to_input)


def turned(base: Variant, degrees: float, name: str = "turned") -> Variant:
    """Rotated counter-clockwise by ``degrees`` on a canvas large enough to keep every pixel (white fill,
    like a quiet zone): a 1-D code lying diagonally is then seen straight by row or column scans."""
    h, w = base.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    new_w, new_h = int(np.ceil(w * cos + h * sin)), int(np.ceil(w * sin + h * cos))
    m[:, 2] += ((new_w - w) / 2.0, (new_h - h) / 2.0)
    image = cv2.warpAffine(base.image, m, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=255)
    back = cv2.invertAffineTransform(m)
    return Variant(name, image, _compose(base.to_input, back))


def inverted(base: Variant, name: str = "inverted") -> Variant:
    """Light-on-dark becomes dark-on-light (phone screens in dark mode, negative prints)."""
    return Variant(name, 255 - base.image, base.to_input)


def rotated_90(base: Variant, name: str = "rot90") -> Variant:
    """Turned a quarter clockwise, so vertical bars become horizontal for a row-scanning 1-D reader."""
    h, _ = base.shape
    image = cv2.rotate(base.image, cv2.ROTATE_90_CLOCKWISE)
    back = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, h - 1.0]])  # (x', y') in the turned image -> (y', h-1-x')
    return Variant(name, image, _compose(base.to_input, back))


def rotated_180(base: Variant, name: str = "rot180") -> Variant:
    """The same pixels turned upside down (used to re-scan a result with different scan-line phase)."""
    h, w = base.shape
    image = cv2.rotate(base.image, cv2.ROTATE_180)
    back = np.array([[-1.0, 0.0, w - 1.0], [0.0, -1.0, h - 1.0]])
    return Variant(name, image, _compose(base.to_input, back))


def cut_out(base: Variant, box: np.ndarray, angle: float, name: str = "region", margin: float = 0.12,
            pad_px: float = 12.0) -> Variant:
    """The part of ``base`` inside ``box`` (4 corner points in ``base``'s pixels), turned by ``angle`` degrees
    (OpenCV's sense) round the box's centre and cut upright at full resolution, with ``margin`` of the
    box's extent plus ``pad_px`` on every side (the code's quiet zone). Pixels outside ``base`` repeat its
    border."""
    centre = box.mean(axis=0)
    t = np.radians(angle)
    along, across = box @ np.array([np.cos(t), np.sin(t)]), box @ np.array([-np.sin(t), np.cos(t)])
    w = (along.max() - along.min()) * (1 + 2 * margin) + 2 * pad_px
    h = (across.max() - across.min()) * (1 + 2 * margin) + 2 * pad_px
    m = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), angle, 1.0)
    m[:, 2] += (w / 2.0 - centre[0], h / 2.0 - centre[1])
    image = cv2.warpAffine(base.image, m, (max(1, int(w)), max(1, int(h))), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REPLICATE)
    return Variant(name, image, _compose(base.to_input, cv2.invertAffineTransform(m)))


def map_points(variant: Variant, points: list[Point] | tuple[Point, ...]) -> tuple[Point, ...]:
    """Map points from the variant's pixel grid to the input image's pixel grid."""
    m = variant.to_input
    return tuple(
        (float(m[0, 0] * x + m[0, 1] * y + m[0, 2]), float(m[1, 0] * x + m[1, 1] * y + m[1, 2]))
        for x, y in points
    )


def _compose(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Affine ``outer ∘ inner`` (apply ``inner`` first), both 2x3."""
    o = np.vstack([outer, [0.0, 0.0, 1.0]])
    i = np.vstack([inner, [0.0, 0.0, 1.0]])
    return (o @ i)[:2]
