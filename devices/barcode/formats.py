"""The symbologies the decoders know: names, zxing-cpp formats, zbar type ids, which ones verify their data.

Split out of ``decode`` (one idea: the vocabulary both engines and ``render`` share)."""
from __future__ import annotations

from collections.abc import Iterable

import zxingcpp

_F = zxingcpp.BarcodeFormat


_ZX_BY_NAME: dict[str, zxingcpp.BarcodeFormat] = {
    "QRCode": _F.QRCode, "MicroQRCode": _F.MicroQRCode, "rMQRCode": _F.RMQRCode, "DataMatrix": _F.DataMatrix,
    "Aztec": _F.Aztec, "PDF417": _F.PDF417, "MaxiCode": _F.MaxiCode, "EAN-13": _F.EAN13, "EAN-8": _F.EAN8,
    "UPC-A": _F.UPCA, "UPC-E": _F.UPCE, "Code128": _F.Code128, "Code39": _F.Code39, "Code93": _F.Code93,
    "Codabar": _F.Codabar, "ITF": _F.ITF, "DataBar": _F.DataBar, "DataBarExpanded": _F.DataBarExp,
    "DataBarLimited": _F.DataBarLtd,
}
SYMBOLOGIES: tuple[str, ...] = tuple(_ZX_BY_NAME)
_NAME_BY_ZX = {fmt: name for name, fmt in _ZX_BY_NAME.items()}
_MATRIX = frozenset({"QRCode", "MicroQRCode", "rMQRCode", "DataMatrix", "Aztec", "PDF417", "MaxiCode"})
# Symbologies whose decoders verify the data (Reed-Solomon or a mandatory check character). Only these
# are accepted from zbar and from the rescue variants; Code 39, Codabar and ITF have no mandatory check.
_STRONG = _MATRIX | {"EAN-13", "EAN-8", "UPC-A", "UPC-E", "Code128", "Code93", "DataBar", "DataBarExpanded",
                     "DataBarLimited"}
# zbar symbol type ids (zbar.h) for the strong symbologies it reads. zbar's UPC-A type is enabled only when
# "UPC-A" is requested: otherwise both engines report a UPC-A symbol as EAN-13 with a leading 0.
_ZBAR_TYPE = {"QRCode": 64, "EAN-13": 13, "EAN-8": 8, "UPC-E": 9, "UPC-A": 12, "Code128": 128}
_ZBAR_NAME = {v: k for k, v in _ZBAR_TYPE.items()}
_ZBAR_DEFAULT = ("QRCode", "EAN-13", "EAN-8", "UPC-E", "Code128")


def _check_formats(formats: Iterable[str] | None) -> frozenset[str] | None:
    if formats is None:
        return None
    wanted = frozenset([formats] if isinstance(formats, str) else formats)
    if not wanted:
        raise ValueError("formats must name at least one symbology (or be None for all)")
    unknown = sorted(wanted - set(SYMBOLOGIES))
    if unknown:
        raise ValueError(f"unknown symbologies {unknown}; known: {', '.join(SYMBOLOGIES)}")
    return wanted


def _zx_formats(names: frozenset[str] | None) -> zxingcpp.BarcodeFormats | None:
    """zxing-cpp format set for ``names``; None = all formats (an empty set must not reach zxing-cpp, which
    would read it as 'all')."""
    if names is None:
        return None
    if not names:
        raise ValueError("empty format set")
    return zxingcpp.BarcodeFormats([_ZX_BY_NAME[n] for n in sorted(names)])
