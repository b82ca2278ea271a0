"""What ``decode_frame`` (the live camera's decoder) reads since issue 22 round 6c, and what the EAN template
reader's live mode must still refuse. The bench frames are ``bench/barcode_frames.py``'s; the budget here is
generous so that these tests say *which* frames the decoder's steps read, not how fast (the bench measures
that: ``bench/bench_barcode_frame_cpu.py``)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from devices.barcode import ean_blur
from devices.barcode import frame as frame_module
from devices.barcode.frame import decode_frame
from devices.barcode.locate import Region

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))
import barcode_frames as bf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_barcode_ean_blur import modules, printed, valid_ean

KIOSK = ("QRCode", "DataMatrix", "PDF417", "Code128", "EAN-13", "DataBarExpanded")
GENEROUS_MS = 5000.0


def bench_frame(symbology: str, index: int, name: str) -> np.ndarray:
    """Frame ``index`` of ``symbology`` on the camera bench (its source must be ``name``)."""
    kept = bf.sources(symbology)[0]
    if not kept or kept[index % len(kept)].name != name:
        pytest.skip(f"bench source {name} not found")
    return bf.camera_like(kept[index % len(kept)], 1000 * list(bf.SOURCES).index(symbology) + index)


def test_decode_frame_reads_the_blurred_ean13_1_37_with_the_template_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    # EAN-13 frame 10: a blurred photo under the camera's blur. No engine reads it from any region (plain,
    # across the bars, sharpened, 2x, zbar); only ean_blur does, which decode_frame did not run before.
    # (Since the label steps, its label deblurred reads it first: they are left out here.)
    monkeypatch.setattr(frame_module, "_FRAME_RESCUES",
                        tuple(s for s in frame_module._FRAME_RESCUES if s[1] is not frame_module._label))
    frame = bench_frame("EAN-13", 10, "ean13-1/37.webp")
    found = decode_frame(frame, formats=KIOSK, budget_ms=GENEROUS_MS)
    assert [(b.text, b.source) for b in found] == [("5000213002834", "templates")]


def test_decode_frame_reads_a_light_on_dark_qr_that_halving_loses() -> None:
    # QR frame 17 (qrcode-2/#709): light modules on dark, outside every located region; the inverted pass
    # at half size does not read it, at full size it does.
    frame = bench_frame("QR", 17, "qrcode-2/#709.webp")
    found = decode_frame(frame, formats=KIOSK, budget_ms=GENEROUS_MS)
    assert [b.text for b in found] == [bf.sources("QR")[0][17].expected]


def test_an_inverted_qr_is_not_read_when_only_codes_other_than_qr_are_asked_for() -> None:
    frame = bench_frame("QR", 17, "qrcode-2/#709.webp")
    assert decode_frame(frame, formats=("Code128", "EAN-13"), budget_ms=GENEROUS_MS) == []


@pytest.mark.parametrize("seed", range(4))
def test_the_live_mode_reads_what_the_full_reader_reads(seed: int) -> None:
    rng = np.random.default_rng(500 + seed)
    text = valid_ean(rng)
    image = printed(modules(text), float(rng.uniform(2.5, 4.0)), blur_modules=float(rng.uniform(0.0, 0.6)),
                    seed=seed)
    full, live = ean_blur.read_ean(image), ean_blur.read_ean(image, live=True)
    assert full is not None and live is not None
    assert live[0] == full[0] == text


@pytest.mark.parametrize("blur", [0.0, 0.4, 0.7, 1.0])
def test_random_stripes_like_an_ean_read_nothing_in_the_live_mode_either(blur: float) -> None:
    # As test_barcode_ean_blur's: 30 bars of 1-4 modules with quiet zones, an EAN's look without its code.
    rng = np.random.default_rng(40 + int(blur * 10))
    for i in range(30):
        widths = rng.integers(1, 5, 59)
        bits = "".join(("1" if k % 2 == 0 else "0") * int(w) for k, w in enumerate(widths))
        image = printed(bits, float(rng.uniform(2.0, 4.0)), blur_modules=blur, seed=i)
        assert ean_blur.read_ean(image, live=True) is None, i


def test_the_live_mode_tries_only_extents_that_another_scanline_shares() -> None:
    # Module width ~1 px for a 95 px extent: within 2 modules at both ends counts as the same extent.
    profile = np.zeros(10)
    lines = [(1.0, profile, [(0.0, 95.0)]),
             (2.0, profile, [(1.5, 96.0), (300.0, 395.0)]),   # the second extent: no other line sees it
             (3.0, profile, [(500.0, 595.0)])]                 # a line seeing something else altogether
    kept = ean_blur._consistent(lines)
    assert [(row, extents) for row, _, extents in kept] == [(1.0, [(0.0, 95.0)]), (2.0, [(1.5, 96.0)])]
    assert ean_blur._consistent(lines[:1] + lines[2:]) == []   # fewer than two lines left: nothing to fit


def test_the_2x_read_is_not_priced_by_its_refusals_of_big_regions() -> None:
    # A region too big to enlarge is refused at once; counted as a 2x read, such refusals priced the next
    # real 2x read at a tenth of its cost, which then overran the frame's budget (camera bench: 1.5 ms
    # predicted, 13.5 ms spent).
    from devices.barcode import budget
    from devices.barcode.frame import _too_big_to_enlarge
    from devices.barcode.locate import regions

    rng = np.random.default_rng(7)
    frame = np.full((1080, 1920), 200, np.uint8)
    frame[100:1000, 500:1400] = np.where(rng.random((900, 900)) < 0.5, 30, 220).astype(np.uint8)
    located = regions(frame)
    assert located and _too_big_to_enlarge(located[0])
    budget._step_ms_per_unit.pop("region_enlarged", None)
    assert decode_frame(frame, formats=KIOSK, budget_ms=GENEROUS_MS) == []
    assert budget.predicted_ms("region_enlarged", frame.shape, 1.0) == 0.0   # never run: nothing learned


def _recorded_rescues(monkeypatch: pytest.MonkeyPatch, calls: list[str]) -> None:
    """The harder region reads of ``_FRAME_RESCUES`` run as they are, each call noted as ``name index``."""
    def recording(index, attempt):
        def read(base, region, formats, zbar_types):
            calls.append(f"{attempt.__name__} {index}")
            return attempt(base, region, formats, zbar_types)
        return read

    monkeypatch.setattr(frame_module, "_FRAME_RESCUES",
                        tuple((i, a if a in (frame_module._label, frame_module._strip) else recording(i, a))
                              for i, a in frame_module._FRAME_RESCUES))


def test_code128_2_444_is_read_by_region_1_sharpened_before_region_0s_zbar_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Round 16: tuning code128-2/#444 is read by region 1's sharpened cut only, ~38 ms into the 50 ms budget when
    # region 0's zbar read (~6-7 ms, reading no bench frame) ran before it; it now runs after region 1's reads.
    calls: list[str] = []
    _recorded_rescues(monkeypatch, calls)
    frame = bench_frame("Code 128", 6, "code128-2/#444.webp")
    found = decode_frame(frame, formats=KIOSK, budget_ms=GENEROUS_MS)
    assert [b.text for b in found] == [bf.sources("Code 128")[0][6].expected]
    assert calls[-1] == "_sharpened 1"
    assert "_by_zbar_linear 0" not in calls


def test_region_0s_zbar_read_still_runs_after_region_1s_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    # An empty desk with two code-shaped regions located on it runs every harder read: region 0's zbar read
    # comes right after region 1's two.
    calls: list[str] = []
    _recorded_rescues(monkeypatch, calls)
    located = [Region((600.0, 500.0), (200.0, 120.0), 0.0), Region((1300.0, 400.0), (160.0, 100.0), 0.0)]
    monkeypatch.setattr(frame_module, "regions", lambda image: list(located))
    assert decode_frame(bf.desk(np.random.default_rng(9001)), formats=KIOSK, budget_ms=1e6) == []
    order = [c for c in calls if c.endswith((" 0", " 1")) and not c.startswith("_pdf417_plain")]  # big regions only
    assert order[:5] == ["_across_bars 0", "_sharpened 0", "_across_bars 1", "_sharpened 1", "_by_zbar_linear 0"]


@pytest.mark.parametrize("index", [i for i in range(20) if i != 6])
def test_the_other_code128_frames_read_as_with_the_old_order(monkeypatch: pytest.MonkeyPatch, index: int) -> None:
    # The neighbouring kind: the tuning set's other Code 128 frames read the same texts in either order.
    kept = bf.sources("Code 128")[0]
    image = bf.camera_like(kept[index % len(kept)], 3000 + index)
    new = sorted(b.text for b in decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS))
    old = tuple(s for s in frame_module._FRAME_RESCUES if s != (0, frame_module._by_zbar_linear))
    at = old.index((0, frame_module._pdf417_plain)) + 1
    monkeypatch.setattr(frame_module, "_FRAME_RESCUES", old[:at] + ((0, frame_module._by_zbar_linear),) + old[at:])
    assert sorted(b.text for b in decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS)) == new
