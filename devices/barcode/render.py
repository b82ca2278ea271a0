"""Render a QR code or barcode to a gray image with zxing-cpp's writer.

For the simulators and tests: "hold a phone / a receipt / a bill under the camera". ``module_px`` is the
size of one module (QR) or narrowest bar (1-D) in pixels; for the kiosk's receipt QR it is the ESC/POS
module size in printer dots (``GS ( k`` function 167), so one image pixel is one printed dot.
"""
from __future__ import annotations

import numpy as np
import zxingcpp

from .formats import _ZX_BY_NAME

EC_LEVELS = ("L", "M", "Q", "H")


def render_code(payload: str | bytes, symbology: str = "QRCode", *, module_px: int = 4, ec: str = "M",
                gs1: bool = False, quiet_zone: bool = True) -> np.ndarray:
    """A gray uint8 image of the code, black on white, with the symbology's quiet zone.

    ``payload`` as str is encoded as UTF-8 (with an ECI where the writer adds one); bytes go in byte mode
    unchanged (e.g. GB18030 text as a phone shows it). ``gs1=True`` takes the HRI form "(415)...(8020)..."
    and writes FNC1 / group separators, as a GS1-128 bill barcode carries them.
    """
    fmt = _ZX_BY_NAME.get(symbology)
    if fmt is None:
        raise ValueError(f"unknown symbology {symbology!r}; one of {', '.join(_ZX_BY_NAME)}")
    if module_px < 1:
        raise ValueError("module_px must be >= 1")
    options: dict[str, object] = {}
    if gs1:
        options["gs1"] = True
    if symbology in ("QRCode", "MicroQRCode", "rMQRCode", "Aztec", "PDF417"):
        if ec not in EC_LEVELS:
            raise ValueError(f"ec must be one of {EC_LEVELS}")
        if symbology != "PDF417":
            options["ec_level"] = ec
    code = zxingcpp.create_barcode(payload, fmt, **options)
    image = np.asarray(code.to_image(scale=module_px, add_quiet_zones=quiet_zone), dtype=np.uint8)
    return np.ascontiguousarray(image)
