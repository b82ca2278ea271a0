"""Deconvolution of a long 1-D strip (devices/barcode/deblur.py, issue 22 round 6b).

Code 128 frame 16 of the camera bench (code128-2/28, a photographed Code 128 whose own blur adds to the
camera's) was read by no read of ``decode``: the locator's strip lies on the whole code, 1236 x 127 px, and
its cut reads deconvolved, but the deconvolution turned away every cut longer than 1200 px. It now limits a
cut by its area (the filter's cost), so a long strip of a linear code is deconvolved too.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.barcode import deblur
from devices.barcode import preprocess as pp
from devices.barcode.deblur import deconvolved_read
from devices.barcode.decode import _strong, _zxing_region, decode
from devices.barcode.locate import Region, regions
from tests.unit.devices.test_barcode_regions import KIOSK, bench_frame, bf, texts

_read = deconvolved_read(lambda cut, formats: _strong(_zxing_region(cut, formats, rotate=True)))


def test_decode_reads_the_photographed_code128_whose_strip_is_longer_than_1200_px() -> None:
    frame, expected = bench_frame("Code 128", 16)
    assert texts(decode(frame, formats=KIOSK)) == [expected]


def test_the_strip_that_reads_is_the_long_one_and_reads_only_deconvolved() -> None:
    frame, expected = bench_frame("Code 128", 16)
    base = pp.identity(pp.to_gray(frame))
    read_by = [r for r in regions(base.image) if texts(_read(base, r, None, ())) == [expected]]
    assert read_by
    for region in read_by:
        cut = pp.cut_out(base, region.box(), region.angle)
        assert max(cut.shape) > 1200 and cut.image.size <= deblur._MAX_AREA  # the old side limit refused it
        assert texts(_strong(_zxing_region(cut, None, rotate=True))) == []  # plainly it does not read


@pytest.mark.parametrize("seed", range(3))
def test_a_long_strip_of_desk_print_deconvolved_reads_nothing(seed: int) -> None:
    # What the wider gate now lets through: a cut 1500-1800 px long across an empty desk's print and stripes,
    # and every region the locator finds there, read deconvolved with every format.
    gray = bf.desk(np.random.default_rng(9100 + seed))
    base = pp.identity(gray)
    rng = np.random.default_rng(seed)
    strips = [Region((960.0, float(y)), (float(rng.integers(1500, 1800)), 130.0), float(rng.uniform(-8, 8)))
              for y in rng.integers(150, 930, 4)]
    for region in strips + regions(gray):
        assert _read(base, region, None, ()) == []
    assert decode(np.dstack([gray] * 3)) == []
