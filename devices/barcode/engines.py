"""The two decoding engines as ``decode`` and ``decode_frame`` call them: zxing-cpp (``_ZxPass``, ``_zxing``)
and zbar through pyzbar's ctypes bindings (``_zbar``, ``_zbar_extras``), each result turned into a ``Barcode``
in input pixels. Why these engines and these settings: see ``decode``'s module docstring.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import zxingcpp

from . import preprocess as pp
from .formats import _MATRIX, _NAME_BY_ZX, _ZBAR_DEFAULT, _ZBAR_NAME, _ZBAR_TYPE
from .merge import min_area_quad, overlaps
from .preprocess_text import payload_text
from .symbol import Barcode

__all__ = ["engines_available"]

# --- zbar loading ---------------------------------------------------------------------------------------------------

def _load_zbar() -> tuple[Any | None, tuple[int, int, int] | None, str]:
    """(pyzbar.wrapper or None, (symbol, config, value) for raw QR bytes or None, problem message)."""
    try:
        from pyzbar import (
            wrapper,  # loads libzbar; raises ImportError if the library is missing
        )
    except (ImportError, OSError) as exc:
        return None, None, (f"zbar disabled: {exc}. Install it with 'sudo apt-get install libzbar0' (Debian/"
                            "Ubuntu) and 'pip install pyzbar'; until then only zxing-cpp decodes, which "
                            "misses some hard EAN-13 and QR images.")
    sym, cfg, val = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
    if wrapper.zbar_parse_config(b"qrcode.binary=1", ctypes.byref(sym), ctypes.byref(cfg), ctypes.byref(val)):
        return wrapper, None, ("zbar is older than 0.23 (no raw QR bytes): zbar is used for 1-D codes only, "
                               "because its QR text conversion garbles GBK. Upgrade libzbar0 to >= 0.23.")
    return wrapper, (sym.value, cfg.value, val.value), ""


_ZBAR, _ZBAR_QR_BINARY, _ZBAR_PROBLEM = _load_zbar()


def engines_available() -> dict[str, bool | str]:
    """Which engines work here: {"zxing": True, "zbar": bool, "zbar_qr": bool, "message": "" or advice}."""
    return {"zxing": True, "zbar": _ZBAR is not None, "zbar_qr": _ZBAR_QR_BINARY is not None,
            "message": _ZBAR_PROBLEM}


# --- zxing-cpp -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _ZxPass:
    """One zxing-cpp call: options plus the formats it may return."""

    formats: zxingcpp.BarcodeFormats | None
    # try_rotate + try_invert: zxing-cpp's "slow" settings. tryHarder, which the Python binding does not
    # expose, stays at its default (on) either way.
    thorough: bool = True
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
    # A region cut out at the code's size needs neither the downscaled pyramid nor (camera print being
    # dark on light) the inverted search: region passes set both False.
    downscale: bool = True
    invert: bool = True
    # zxing-cpp's return_errors: also the symbols it found and could not decode (``Barcode.valid`` False);
    # ``frame._read_noting`` takes them as a sign of what a region holds. ``_zxing`` must not see them.
    errors: bool = False

    def read(self, variant: pp.Variant,
             text_mode: zxingcpp.TextMode = zxingcpp.TextMode.Plain) -> list[zxingcpp.Barcode]:
        extra = {} if self.formats is None else {"formats": self.formats}
        return zxingcpp.read_barcodes(variant.image, try_rotate=self.thorough,
                                      try_invert=self.thorough and self.invert, try_downscale=self.downscale,
                                      text_mode=text_mode, binarizer=self.binarizer,
                                      return_errors=self.errors, **extra)


def _zxing(variant: pp.Variant, zx_pass: _ZxPass) -> list[Barcode]:
    return [_from_zxing(found, variant, zx_pass) for found in zx_pass.read(variant)]


def _from_zxing(found: zxingcpp.Barcode, variant: pp.Variant, zx_pass: _ZxPass) -> Barcode:
    name = _NAME_BY_ZX.get(found.format) or _NAME_BY_ZX.get(found.symbology) or str(found.format).replace(" ", "")
    pos = found.position
    points = [(p.x, p.y) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)]
    text = _zxing_text(found, name, variant, zx_pass)
    return Barcode(text, bytes(found.bytes), name, pp.map_points(variant, points), "zxing")


def _zxing_text(found: zxingcpp.Barcode, name: str, variant: pp.Variant, zx_pass: _ZxPass) -> str:
    """zxing-cpp's text, unless it is a charset guess for undeclared 2-D bytes that ``payload_text`` beats."""
    if name not in _MATRIX:
        return found.text
    ours = payload_text(bytes(found.bytes), found.text)
    if ours == found.text or _declared_charset(found, variant, zx_pass):
        return found.text
    return ours


def _declared_charset(found: zxingcpp.Barcode, variant: pp.Variant, zx_pass: _ZxPass) -> bool:
    """True if the symbol carries a character-set ECI (not 899 = binary). Re-reads the variant because the
    Python API exposes ECI designators only as text (TextMode.HexECI); this runs only when our reading and
    zxing-cpp's differ, i.e. for non-UTF-8 2-D payloads."""
    for other in zx_pass.read(variant, zxingcpp.TextMode.HexECI):
        if bytes(other.bytes) == bytes(found.bytes):
            return bool(_eci_numbers(bytes.fromhex(other.text)[3:]) - {899})
    return False


def _eci_numbers(body: bytes) -> set[int]:
    """ECI designators (backslash + 6 digits) in ECI-protocol data; a literal backslash is doubled."""
    numbers, i = set(), 0
    while i < len(body):
        if body[i] == 0x5C and body[i + 1:i + 2] == b"\\":
            i += 2
        elif body[i] == 0x5C and body[i + 1:i + 7].isdigit() and len(body[i + 1:i + 7]) == 6:
            numbers.add(int(body[i + 1:i + 7]))
            i += 7
        else:
            i += 1
    return numbers


# --- zbar ------------------------------------------------------------------------------------------------------

_Y800 = 0x30303859  # fourcc 'Y800': 8-bit gray


def _zbar(variant: pp.Variant, types: tuple[int, ...]) -> list[Barcode]:
    """Scan with zbar through pyzbar's ctypes bindings (not ``pyzbar.decode``: it cannot ask for raw QR
    bytes, and it raises ValueError on structured-append QR symbols, whose orientation is -1)."""
    if _ZBAR is None or not types or min(variant.shape) < 1:
        return []
    scanner = _ZBAR.zbar_image_scanner_create()
    if not scanner:
        return []
    try:
        _zbar_configure(scanner, types)
        return _zbar_scan(scanner, variant)
    finally:
        _ZBAR.zbar_image_scanner_destroy(scanner)


def _zbar_configure(scanner: Any, types: tuple[int, ...]) -> None:
    enable = _ZBAR.ZBarConfig.CFG_ENABLE
    _ZBAR.zbar_image_scanner_set_config(scanner, 0, enable, 0)  # symbol 0 = all: start from nothing
    for symbol_type in types:
        _ZBAR.zbar_image_scanner_set_config(scanner, symbol_type, enable, 1)
    if _ZBAR_QR_BINARY is not None:
        _ZBAR.zbar_image_scanner_set_config(scanner, *_ZBAR_QR_BINARY)


def _zbar_scan(scanner: Any, variant: pp.Variant) -> list[Barcode]:
    z = _ZBAR
    image = z.zbar_image_create()
    if not image:
        return []
    try:
        height, width = variant.shape
        pixels = variant.image.tobytes()  # must stay referenced until the scan is done
        z.zbar_image_set_format(image, _Y800)
        z.zbar_image_set_size(image, width, height)
        z.zbar_image_set_data(image, ctypes.cast(pixels, ctypes.c_void_p), len(pixels), None)
        if z.zbar_scan_image(scanner, image) <= 0:
            return []
        results, symbol = [], z.zbar_image_first_symbol(image)
        while symbol:
            found = _from_zbar(symbol, variant)
            if found is not None:
                results.append(found)
            symbol = z.zbar_symbol_next(symbol)
        return results
    finally:
        z.zbar_image_destroy(image)


def _from_zbar(symbol: Any, variant: pp.Variant) -> Barcode | None:
    z = _ZBAR
    name = _ZBAR_NAME.get(symbol.contents.type)
    if name is None:
        return None
    raw = ctypes.string_at(z.zbar_symbol_get_data(symbol), z.zbar_symbol_get_data_length(symbol))
    points = [(float(z.zbar_symbol_get_loc_x(symbol, i)), float(z.zbar_symbol_get_loc_y(symbol, i)))
              for i in range(z.zbar_symbol_get_loc_size(symbol))]
    text = payload_text(raw) if name in _MATRIX else raw.decode("latin-1")
    return Barcode(text, raw, name, pp.map_points(variant, min_area_quad(points)), "zbar")


def _zbar_extras(work: pp.Variant, types: tuple[int, ...], zx_found: list[Barcode]) -> list[Barcode]:
    """zbar results that zxing-cpp did not find and that survive the 1-D re-read check."""
    fresh = [r for r in _zbar(work, types) if not any(overlaps(r, z) for z in zx_found)]
    if not any(r.symbology not in _MATRIX for r in fresh):
        return fresh
    again = _zbar(pp.rotated_180(work), types)
    return [r for r in fresh if r.symbology in _MATRIX
            or any(o.raw == r.raw and o.symbology == r.symbology and overlaps(o, r) for o in again)]


def _zbar_types(wanted: frozenset[str] | None) -> tuple[int, ...]:
    names = _ZBAR_DEFAULT if wanted is None else tuple(n for n in _ZBAR_TYPE if n in wanted)
    if _ZBAR_QR_BINARY is None:
        names = tuple(n for n in names if n != "QRCode")
    return tuple(_ZBAR_TYPE[n] for n in names)
