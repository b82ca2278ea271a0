"""Reads of one located region (``locate.Region``) at full resolution, shared by ``decode`` (stills) and
``decode_frame`` (camera frames): the plain read and the harder ones (across the bars, sharpened, 2x, zbar).
"""
from __future__ import annotations

import zxingcpp

from . import preprocess as pp
from .engines import _zbar_extras, _zxing, _ZxPass
from .formats import _MATRIX, _STRONG
from .locate import Region, bar_angle
from .merge import drop_ean_disputes
from .symbol import Barcode

# --- regions (both entry points) -------------------------------------------------------------------------------
# Each region from ``locate.regions`` is cut out upright at full resolution and read with zxing-cpp's
# try_rotate (a region's blob angle is the code's up to a quarter turn) but without try_invert and
# try_downscale (the cut is already the code's size). ``thorough`` (decode) reads a region a second time
# turned across its bars (``bar_angle``) when the first reading finds nothing: a 1-D code whose blob is
# square-ish or merged with print beside it. Only check-protected symbologies are accepted from regions.

def _read_region(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None) -> list[Barcode]:
    """The region cut upright at its blob's angle, read with try_rotate (a blob's angle is the code's up to a
    quarter turn)."""
    cut = pp.cut_out(base, region.box(), region.angle)
    return _strong(_zxing_region(cut, formats, rotate=True))



def _bars(base: pp.Variant, region: Region) -> pp.Variant:
    return pp.cut_out(base, region.box(), bar_angle(base.image, region), "region-bars")


def _across_bars(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
                _zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Cut across the bars: a 1-D code whose blob is square-ish or merged with print beside it."""
    return _strong(_zxing_region(_bars(base, region), formats, rotate=False))


def _sharpened(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
              _zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Sharpened (sigma 1.5 px): a blurred photo under a blurring lens."""
    cut = pp.cut_out(base, region.box(), region.angle)
    return _strong(_zxing_region(pp.sharpened(cut, "region-sharp", sigma=1.5, amount=1.5), formats, rotate=True))


def _enlarged(base: pp.Variant, region: Region, formats: zxingcpp.BarcodeFormats | None,
             _zbar_types: tuple[int, ...]) -> list[Barcode]:
    """Sharpened at twice the size: bars of 2-2.5 px."""
    cut = pp.cut_out(base, region.box(), region.angle)
    if max(cut.shape) > _REGION_UP2_MAX_SIDE:
        return []
    up = pp.sharpened(pp.scaled(cut, 2.0, "region-up2"), "region-up2-sharp", sigma=3.0, amount=1.5)
    return _strong(_zxing_region(up, formats, rotate=True))


def _by_zbar(base: pp.Variant, region: Region, _formats: zxingcpp.BarcodeFormats | None,
            zbar_types: tuple[int, ...]) -> list[Barcode]:
    """zbar across the bars, 1-D only, confirmed upside down like every zbar-only 1-D read."""
    return _strong([r for r in _zbar_extras(_bars(base, region), zbar_types, []) if r.symbology not in _MATRIX])


def _strong(found: list[Barcode]) -> list[Barcode]:
    """What a region read may return: check-protected symbologies, and no EAN/UPC reading that another one
    of the same place contradicts (``merge.drop_ean_disputes``)."""
    return drop_ean_disputes([r for r in found if r.symbology in _STRONG])


_REGION_UP2_MAX_SIDE = 900  # px; a bigger region has modules big enough without enlarging


def _zxing_region(variant: pp.Variant, formats: zxingcpp.BarcodeFormats | None, rotate: bool) -> list[Barcode]:
    return _zxing(variant, _ZxPass(formats, thorough=rotate, downscale=False, invert=False))
