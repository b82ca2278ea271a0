"""The camera bench sizes DataBar Expanded by its bars (bench/barcode_frames.py, issue 22 item 2).

zxing-cpp's writer does not take a DataBar Expanded's GS1 element string, so its module count was unknown and
the bench scaled it to 35-55 % of the frame height. A 443-543-module symbol then lay at 0.88-1.07 px a
module (0.14-0.17 mm bars on a 1080p camera over an A4-wide field: below what any GS1 symbol specification
prints), which no reader resolves even before the camera's blur and noise. Its pitch is now measured from
its bar widths, and it is placed at the bench's 2.5-4 px a module for linear codes, or as large as fits with
its guards and quiet zone (70 % of the frame width).
"""
from __future__ import annotations

import numpy as np
import pytest

from tests.unit.devices.test_barcode_regions import bf


def _databar() -> dict[str, bf.Source]:
    kept = {s.name: s for s in bf.sources("GS1")[0] if s.name.startswith("rssexpanded-1/")}
    if not kept:
        pytest.skip("no DataBar Expanded sources here")
    return kept


@pytest.mark.parametrize(("name", "pitch"), [("rssexpanded-1/10-corrected.png", 1.0), ("rssexpanded-1/10.png", 2.0),
                                             ("rssexpanded-1/13.png", 2.0), ("rssexpanded-1/#384.png", 3.08)])
def test_a_databar_expanded_pitch_is_measured_from_its_bars(name: str, pitch: float) -> None:
    """Rendered at 1 or 2 px a module; #384 is a 447-px strip of a 134-module symbol (3.08 px a module)."""
    src = _databar()[name]
    assert src.pitch == pytest.approx(pitch, abs=0.05)


def test_every_databar_expanded_label_is_at_a_printable_size_and_fits_the_frame() -> None:
    for src in _databar().values():
        for seed in range(20):
            scale = bf.label_scale(src, np.random.default_rng(seed))
            assert scale * src.pitch >= 2.4, src.name  # never again the 0.88-1.07 of sizing by frame height
            assert scale * src.pitch <= 4.0 + 1e-9, src.name
            assert src.extent * scale <= bf.FIT_SHARE * bf.WIDTH + 1e-6, src.name  # with room for its guards
