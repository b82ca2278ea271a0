"""QR codes and 1D barcodes as dot images, drawn with zxing-cpp's writer.

Used where a printer cannot draw the symbol itself (the encoder's raster fallback) and by the simulator's
renderer, which draws what a printer would print for GS ( k and GS k. The images are 1-bit dots at the
printer's resolution: a module is ``module`` dots wide, so what comes out scans like the printer's own.
"""
from __future__ import annotations

import numpy as np
import zxingcpp
from PIL import Image

QR_EC_LEVELS = {0x30: "L", 0x31: "M", 0x32: "Q", 0x33: "H"}

# GS k function B symbology numbers (devices.md 2.1) and our names for them.
BARCODE_KINDS = {"UPC_A": 0x41, "UPC_E": 0x42, "EAN13": 0x43, "EAN8": 0x44, "CODE39": 0x45, "ITF": 0x46,
                 "CODABAR": 0x47, "CODE93": 0x48, "CODE128": 0x49}
_ZXING_FORMATS = {
    0x41: zxingcpp.BarcodeFormat.UPCA, 0x42: zxingcpp.BarcodeFormat.UPCE, 0x43: zxingcpp.BarcodeFormat.EAN13,
    0x44: zxingcpp.BarcodeFormat.EAN8, 0x45: zxingcpp.BarcodeFormat.Code39, 0x46: zxingcpp.BarcodeFormat.ITF,
    0x47: zxingcpp.BarcodeFormat.Codabar, 0x48: zxingcpp.BarcodeFormat.Code93,
    0x49: zxingcpp.BarcodeFormat.Code128,
    # function A numbers 0..6 name the same symbologies
    0: zxingcpp.BarcodeFormat.UPCA, 1: zxingcpp.BarcodeFormat.UPCE, 2: zxingcpp.BarcodeFormat.EAN13,
    3: zxingcpp.BarcodeFormat.EAN8, 4: zxingcpp.BarcodeFormat.Code39, 5: zxingcpp.BarcodeFormat.ITF,
    6: zxingcpp.BarcodeFormat.Codabar,
}


class SymbolError(ValueError):
    pass


def qr_image(payload: bytes, module: int = 6, ec: str = "M", quiet_modules: int = 0) -> Image.Image:
    """A QR code (model 2) as a 1-bit image, ``module`` dots per module; black = 0."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        text = payload.decode("latin-1")
    try:
        symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec)
    except (ValueError, RuntimeError) as exc:
        raise SymbolError(f"cannot make a QR code: {exc}") from exc
    matrix = np.array(symbol.to_image(scale=1, add_quiet_zones=False))
    return _scaled(matrix, module, module, quiet_modules * module)


def barcode_data(data: bytes) -> str:
    """The content of a GS k CODE128 payload without its code-set selectors ({A {B {C)."""
    text = data.decode("latin-1")
    out, i = [], 0
    while i < len(text):
        if text[i] == "{" and i + 1 < len(text) and text[i + 1] in "ABC":
            i += 2
            continue
        if text[i] == "{" and i + 1 < len(text) and text[i + 1] == "{":
            out.append("{")
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def barcode_image(kind: int, data: bytes, *, module: int = 2, height: int = 64) -> Image.Image:
    """A 1D barcode as a 1-bit image: bars ``module`` dots per narrow module, ``height`` dots tall."""
    fmt = _ZXING_FORMATS.get(kind)
    if fmt is None:
        raise SymbolError(f"barcode symbology {kind:#x} is not supported")
    content = barcode_data(data) if kind == 0x49 else data.decode("latin-1")
    try:
        symbol = zxingcpp.create_barcode(content, fmt)
    except (ValueError, RuntimeError) as exc:
        raise SymbolError(f"cannot make a barcode of {content!r}: {exc}") from exc
    row = np.array(symbol.to_image(scale=1, add_quiet_zones=False, add_hrt=False))[:1]
    return _scaled(row, module, height, 0)


def _scaled(matrix: np.ndarray, sx: int, sy: int, quiet: int) -> Image.Image:
    dots = np.repeat(np.repeat(matrix < 128, sy, axis=0), sx, axis=1)
    if quiet:
        dots = np.pad(dots, quiet, constant_values=False)
    return Image.fromarray(np.where(dots, 0, 255).astype(np.uint8), mode="L").convert("1")
