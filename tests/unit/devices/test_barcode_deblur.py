"""Deconvolution of blurred code regions (devices/barcode/deblur.py, issue 22 round 3).

The bench frames are ``bench/barcode_frames.py``'s (fixed seeds), made exactly as the camera bench makes them.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from devices.barcode import preprocess as pp
from devices.barcode.deblur import blur_sigma, deconvolved_read, wiener
from devices.barcode.decode import _RESCUE_ATTEMPTS, _strong, _zxing_region, decode
from devices.barcode.locate import Region, regions
from devices.barcode.render import render_code
from tests.unit.devices.test_barcode_regions import KIOSK, bench_frame, bf, texts

_read = deconvolved_read(lambda cut, formats: _strong(_zxing_region(cut, formats, rotate=True)))


# Missed by decode before deconvolution (bench run of 2026-12-05, 20 frames per symbology): QR #16 is
# qrcode-2/#258, a photographed QR of round dots. Its located region 3 holds the whole symbol; only
# deconvolved does it read, by nothing else in decode.
def test_decode_reads_a_blurred_photographed_qr_once_its_region_is_deconvolved() -> None:
    frame, expected = bench_frame("QR", 16)
    assert texts(decode(frame, formats=KIOSK)) == [expected]


def _read_by(symbology: str, index: int) -> tuple[str, pp.Variant, list[Region]]:
    frame, expected = bench_frame(symbology, index)
    base = pp.identity(pp.to_gray(frame))
    located = regions(base.image)
    return expected, base, [r for r in located if texts(_read(base, r, None, ())) == [expected]]


def test_the_deconvolution_pass_alone_reads_the_qr_and_no_other_harder_read_does() -> None:
    expected, base, read_by = _read_by("QR", 16)
    names = [a.__name__ for a in _RESCUE_ATTEMPTS]
    assert names.count("deconvolved") == 1  # wired, after every older region read (later: whole-frame passes)
    older = _RESCUE_ATTEMPTS[:names.index("deconvolved")]
    assert read_by
    for region in read_by:
        assert all(texts(a(base, region, None, ())) != [expected] for a in older)


def test_the_deconvolution_pass_reads_a_blurred_photographed_ean13_too() -> None:
    # EAN-13 #10 (ean13-1/37): read by no engine at its region before round 3; the EAN template reader
    # (ean_blur, earlier in the list) now reads it too, so decode does not need this pass for it.
    _expected, _base, read_by = _read_by("EAN-13", 10)
    assert read_by


@pytest.mark.parametrize("sigma", [1.0, 1.5, 2.0, 2.5])
def test_the_blur_of_a_wide_edged_pattern_is_estimated_from_its_edge_spread(sigma: float) -> None:
    # Wide bars (12 px) reach full contrast, so the steepest gradient is that of a blurred step. The 3x3
    # Sobel's own spread adds to the blur's (about sqrt(sigma^2 + 0.55)): the estimate errs high by at most
    # 0.3 px, and the search goes upward from it anyway.
    bars = np.kron(np.tile([40, 220], 12), np.ones(12)).astype(np.float32)
    image = np.tile(bars, (120, 1))
    blurred = np.clip(cv2.GaussianBlur(image, (0, 0), sigma), 0, 255).astype(np.uint8)
    assert sigma <= blur_sigma(blurred) <= sigma + 0.3


def test_a_flat_cut_has_no_blur_estimate_and_is_not_deconvolved() -> None:
    assert blur_sigma(np.full((60, 80), 128, np.uint8)) is None
    assert blur_sigma(np.random.default_rng(1).integers(120, 135, (60, 80)).astype(np.uint8)) is None


def test_deconvolution_restores_the_contrast_of_blurred_narrow_bars() -> None:
    # 3 px bars blurred with sigma 2 lose most of their contrast; the Wiener filter gives much of it back.
    bars = np.kron(np.tile([40, 220], 30), np.ones(3)).astype(np.float32)
    image = np.tile(bars, (80, 1))
    blurred = np.clip(cv2.GaussianBlur(image, (0, 0), 2.0), 0, 255).astype(np.uint8)
    restored = wiener(blurred, 2.0)
    middle = (slice(20, 60), slice(40, 140))
    assert np.ptp(blurred[middle]) < 60
    assert np.ptp(restored[middle]) > 2 * np.ptp(blurred[middle])
    assert restored.shape == blurred.shape and restored.dtype == np.uint8


@pytest.mark.parametrize(("payload", "symbology", "module_px"), [
    ("https://example.gov.cn/q?id=42", "QRCode", 4), ("KIOSK-2026-000417", "Code128", 3),
    ("4006381333931", "EAN-13", 3)])
def test_a_sharp_code_is_not_harmed(payload: str, symbology: str, module_px: int) -> None:
    # A sharp, well-printed code estimates near the lower bound, and the pass still reads it (decode reaches
    # the pass only when the plain reads failed, but what it reads must never be worse than the input).
    gray = (40 + render_code(payload, symbology, module_px=module_px).astype(np.float32) * (200 / 255))
    gray = gray.astype(np.uint8)
    sigma = blur_sigma(gray)
    assert sigma is not None and sigma < 1.0
    h, w = gray.shape
    whole = Region((w / 2.0, h / 2.0), (w * 0.9, h * 0.9), 0.0)
    assert texts(_read(pp.identity(gray), whole, None, ())) == [payload]


@pytest.mark.parametrize("seed", range(6))
def test_no_region_of_an_empty_desk_reads_anything_when_deconvolved(seed: int) -> None:
    # Text, stripes and uneven light, no code: deconvolution sharpens the print and must still read nothing.
    desk = pp.identity(bf.desk(np.random.default_rng(9000 + seed)))
    located = regions(desk.image)
    assert located
    assert all(_read(desk, r, None, ()) == [] for r in located)


_FALSE_POSITIVES = sorted(p for p in bf.SHARED.glob("falsepositives-*/*")
                          if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp"))


@pytest.mark.skipif(not _FALSE_POSITIVES, reason=f"zxing-samples corpus not found at {bf.SHARED}")
@pytest.mark.parametrize("index", range(0, 46, 3))
def test_no_region_of_a_false_positive_image_reads_anything_when_deconvolved(index: int) -> None:
    # zxing-cpp's falsepositives-* images (every third: the pass costs up to 0.5 s an image). decode reads them
    # whole (at most 640 px) and never reaches a region pass, so the pass is run on their regions directly,
    # every format asked for. (Offline, all 46 at 1x and 3x, 635 regions: nothing read.)
    if index >= len(_FALSE_POSITIVES):
        pytest.skip("fewer false-positive images here")
    image = pp.identity(bf.load_gray(_FALSE_POSITIVES[index]))
    assert all(_read(image, r, None, ()) == [] for r in regions(image.image))
