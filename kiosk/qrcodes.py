"""QR codes the kiosk shows on its screen (the payment order's, for the citizen's phone).

A thin door to ``devices.barcode.render`` so the view-models need nothing below the core: the same encoder
the tests and the simulated camera decode with draws the screen's codes.
"""
from __future__ import annotations

from typing import Any

from devices.barcode.render import render_code


def screen_qr(payload: str, *, module_px: int = 10, ec: str = "M") -> Any:
    """A gray uint8 array (numpy, shape ``(h, w)``) of ``payload`` as a QR code, black on white, with its
    quiet zone; ``module_px`` screen pixels per module (10: a phone scans it from arm's length)."""
    return render_code(payload, "QRCode", module_px=module_px, ec=ec)
