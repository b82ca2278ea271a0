"""Round 17 (issue 22 item 2): ``decode_frame`` gives the longest located band of bars one deblurred read
(``deblur.thin_strip`` / ``strip_deblurred``, the ``_strip`` step of ``frame._FRAME_RESCUES``).

Tuning code128-2/28 (Code 128 bench frame 16): a photographed Code 128 whose bars lean ~20° in the strip the
locator finds on it (84 x 977 px, its tenth region). ``decode`` reads it only from that strip Wiener-deconvolved
in 2-D; no live read did, at any budget. The budget here is generous: these tests say which frames the step
reads, not how fast (``bench/bench_barcode_frame_cpu.py`` measures that)."""
from __future__ import annotations

import numpy as np
import pytest

from devices.barcode import frame as frame_module
from devices.barcode import preprocess as pp
from devices.barcode.deblur import strip_deblurred, thin_strip
from devices.barcode.frame import decode_frame
from devices.barcode.locate import regions
from tests.unit.devices.test_barcode_frame_live_reads import GENEROUS_MS, KIOSK, bench_frame, bf


def _without_the_strip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frame_module, "_FRAME_RESCUES",
                        tuple(s for s in frame_module._FRAME_RESCUES if s[1] is not frame_module._strip))


def test_code128_2_28_is_read_live_by_its_longest_band_of_bars_deblurred(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = bench_frame("Code 128", 16, "code128-2/28.webp")
    expected = bf.sources("Code 128")[0][16].expected
    found = decode_frame(frame, formats=KIOSK, budget_ms=GENEROUS_MS)
    assert [b.text for b in found] == [expected]
    _without_the_strip(monkeypatch)  # as on main: no live read gets it
    assert decode_frame(frame, formats=KIOSK, budget_ms=GENEROUS_MS) == []


def test_the_band_is_the_long_thin_strip_and_reads_only_deblurred() -> None:
    frame = bench_frame("Code 128", 16, "code128-2/28.webp")
    expected = bf.sources("Code 128")[0][16].expected
    base = pp.identity(pp.to_gray(frame))
    strip = thin_strip(base.image, regions(base.image))
    assert strip is not None and max(strip.size) >= 10 * min(strip.size)  # ~84 x 977 px
    assert [b.text for b in strip_deblurred(base, strip, None)] == [expected]
    assert all(b.text != expected for b in decode_frame(frame, formats=KIOSK, budget_ms=0.0))  # first step only


@pytest.mark.parametrize("index", [i for i in range(20) if i != 16])
def test_the_other_code128_frames_read_as_without_the_strip(monkeypatch: pytest.MonkeyPatch, index: int) -> None:
    # The neighbouring kind: the tuning set's other Code 128 frames read the same texts with and without it.
    kept = bf.sources("Code 128")[0]
    image = bf.camera_like(kept[index % len(kept)], 3000 + index)
    new = sorted(b.text for b in decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS))
    _without_the_strip(monkeypatch)
    assert sorted(b.text for b in decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS)) == new


@pytest.mark.parametrize("seed", [9015, 9029])
def test_a_desk_band_deblurred_reads_nothing(seed: int) -> None:
    # Bench desks 9015 and 9029 (of 9000-9039) have a band that passes the test (print, ~30 x 250 px): one
    # deblurred read, ~1.7 ms, nothing read.
    gray = bf.desk(np.random.default_rng(seed))
    base = pp.identity(gray)
    strip = thin_strip(gray, regions(gray))
    assert strip is not None
    assert strip_deblurred(base, strip, None) == []
    assert decode_frame(gray, budget_ms=1e6) == []


def test_a_line_of_print_is_no_band_of_bars() -> None:
    # Long thin regions whose gradients run across them (lines of print, stripes' edges) are not taken.
    gray = bf.desk(np.random.default_rng(9001))
    located = regions(gray)
    assert any(max(r.size) >= 5 * min(r.size) for r in located), "the desk has long thin regions"
    assert thin_strip(gray, located) is None


def test_a_band_that_reads_two_texts_deblurred_gives_none() -> None:
    # GS1 bench frame 8 (rssexpanded-1/10-corrected): its strip (region 0, ~112 x 1375 px; a plain read gets it
    # first, live) deblurred reads its DataBar Expanded text and a second, wrong one: a strip holds one code.
    kept = bf.sources("GS1")[0]
    if not kept or kept[8 % len(kept)].name != "rssexpanded-1/10-corrected.png":
        pytest.skip("bench source rssexpanded-1/10-corrected not found")
    image = bf.camera_like(kept[8], 1000 * list(bf.SOURCES).index("GS1") + 8)
    base = pp.identity(pp.to_gray(image))
    strip = thin_strip(base.image, regions(base.image))
    assert strip is not None and max(strip.size) > 1000
    assert strip_deblurred(base, strip, None) == []
