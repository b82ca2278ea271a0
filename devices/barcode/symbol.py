"""One decoded symbol, as every decoding path reports it (``decode``, ``decode_frame``, their helpers)."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Barcode", "Corners"]

Corners = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Barcode:
    """One decoded symbol. ``corners``: 4 points (TL, TR, BR, BL of the symbol) in input pixel coordinates."""

    text: str
    raw: bytes
    symbology: str
    corners: Corners
    source: str  # "zxing", "zbar" or "templates" (ean_blur)
