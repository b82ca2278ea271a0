"""Where decode_frame spends its budget (devices.barcode.frame, devices.barcode.budget; issue 22 item 2).

Nothing here depends on how fast this machine is: the budget's arithmetic runs on a fake clock, and the order
in which regions are read is observed with a generous budget.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from devices.barcode import budget, frame
from devices.barcode.decode import decode_frame
from devices.barcode.locate import Region

BENCH = Path(__file__).resolve().parents[3] / "bench"
sys.path.insert(0, str(BENCH))
import barcode_frames as bf

KIOSK = ("QRCode", "DataMatrix", "PDF417", "Code128", "EAN-13", "DataBarExpanded")
SIZE = (1080, 1920)


class FakeClock:
    """``time.perf_counter`` for the budget: advances only when a step says what it cost."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def spend(self, ms: float) -> list[str]:
        self.now += ms / 1000.0
        return ["ran"]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(budget.time, "perf_counter", fake)
    monkeypatch.setattr(budget, "_step_ms", {})
    monkeypatch.setattr(budget, "_step_ms_per_unit", {})
    return fake


def test_a_small_region_after_a_dear_one_is_priced_by_its_size(clock: FakeClock) -> None:
    # Frame 1: a 1000x1000 px region took 50 ms. Before, "region" then cost 50 ms whatever its size, so in
    # the next frame a 40x250 px line of print or small label after 10 ms was skipped with 20 ms left.
    budget.StepBudget(30.0, SIZE).run("region", lambda: clock.spend(50.0), work=1_000_000)
    run = budget.StepBudget(30.0, SIZE).run
    assert run("locate", lambda: clock.spend(10.0)) == ["ran"]  # the first step always runs
    assert budget.predicted_ms("region", SIZE, 10_000) == pytest.approx(0.6, abs=0.01)
    assert run("region", lambda: clock.spend(0.5), work=10_000) == ["ran"]
    assert run("region", lambda: clock.spend(50.0), work=1_000_000) is None  # 50 ms does not fit in 19.5


def test_steps_without_work_keep_one_price_per_frame_size(clock: FakeClock) -> None:
    budget.StepBudget(30.0, SIZE).run("half", lambda: clock.spend(12.0))
    assert budget.learned_ms("half", SIZE) == pytest.approx(12.0)
    run = budget.StepBudget(30.0, SIZE).run
    run("locate", lambda: clock.spend(20.0))
    assert run("half", lambda: clock.spend(12.0)) is None  # 20 + 12 > 30


def test_one_pathological_region_read_does_not_price_out_the_next_frames(clock: FakeClock) -> None:
    # zxing-cpp's PDF417 decoder spent 440 ms on one blurred 210x444 px region (camera bench pdf417-3/04) that
    # is usually read in a few ms: the sample counts as at most 3x the prediction.
    budget.StepBudget(30.0, SIZE).run("region", lambda: clock.spend(2.0), work=100_000)
    budget.StepBudget(30.0, SIZE).run("region", lambda: clock.spend(440.0), work=100_000)
    assert budget.predicted_ms("region", SIZE, 100_000) < 2.0 * 1.5


@pytest.mark.parametrize(("size", "shaped"), [
    ((400, 400), True),     # QR, Data Matrix
    ((300, 100), True),     # a Code 128 or EAN-13 label, a rectangular Data Matrix (3:1)
    ((100, 350), True),     # turned: OpenCV's width and height swap with the angle
    ((72, 424), False),     # two lines of print
    ((629, 73), False),     # a stripe, a flat EAN-13 label
])
def test_code_shaped_tells_a_line_of_print_from_a_code_by_its_sides(size: tuple[float, float],
                                                                  shaped: bool) -> None:
    assert frame.code_shaped(Region((500.0, 500.0), size, 10.0)) is shaped


def test_code_shaped_regions_are_read_first_each_group_in_the_locators_order() -> None:
    line1, square, line2, label = (Region((float(i), 0.0), s, 0.0) for i, s in
                                   enumerate([(80, 450), (300, 300), (500, 60), (400, 150)]))
    assert frame.code_shaped_first([line1, square, line2, label]) == [square, label, line1, line2]


def bench_frame(symbology: str, index: int) -> tuple[np.ndarray, str]:
    kept = bf.sources(symbology)[0]
    if not kept:
        pytest.skip(f"no source images for {symbology} here (shared zxing-samples corpus missing?)")
    seed = 1000 * list(bf.SOURCES).index(symbology) + index
    return bf.camera_like(kept[index % len(kept)], seed), kept[index % len(kept)].expected


def read_regions(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Region, bool]]:
    """Every plain region read decode_frame makes, and whether it read something."""
    reads: list[tuple[Region, bool]] = []
    real = frame._read_region

    def recording(base, region, formats, **kw):
        found = real(base, region, formats, **kw)
        reads.append((region, bool(found)))
        return found

    monkeypatch.setattr(frame, "_read_region", recording)
    return reads


# Camera bench frames whose code the locator ranked after lines of print (QR qrcode-1/8 fifth, Data Matrix
# abcd-18x8 sixth, HelloWorld_Text_L_Kaywa third): the code is now the first region read. (Over the 87 bench
# frames a plain read gets, the reading region moved up in 12 and down in 12: elongated codes, read after.)
@pytest.mark.parametrize(("symbology", "index"), [("QR", 7), ("Data Matrix", 12), ("Data Matrix", 6)])
def test_the_code_is_read_before_the_lines_of_print_the_locator_ranked_higher(
        monkeypatch: pytest.MonkeyPatch, symbology: str, index: int) -> None:
    image, expected = bench_frame(symbology, index)
    reads = read_regions(monkeypatch)
    assert [b.text for b in decode_frame(image, formats=KIOSK, budget_ms=1000.0)] == [expected]
    assert reads[0][1], "the first region read is the code"


def test_after_a_read_no_line_of_print_is_read_looking_for_a_second_code(monkeypatch: pytest.MonkeyPatch) -> None:
    # QR qrcode-2/#128 (frame QR #10): read in region 0; the other regions are lines of print and stripes
    # (0.5-13 ms each) and a second QR. Before, all of them were read after the first code.
    image, expected = bench_frame("QR", 10)
    reads = read_regions(monkeypatch)
    assert expected in [b.text for b in decode_frame(image, formats=KIOSK, budget_ms=1000.0)]
    assert reads and all(frame.code_shaped(region) for region, _ in reads)
    assert len(reads) < len(frame.regions(frame.pp.to_gray(image)))


def test_the_harder_reads_go_to_the_first_region_and_code_shaped_ones_not_to_lines_of_print(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # An empty desk of print and stripes (bench/barcode_frames.py's): with time to spare every harder read
    # runs; after the most bar-like region they go only to code-shaped ones (before: regions 1-3 whatever
    # they were, here lines of print, up to 10 ms each).
    gray = bf.desk(np.random.default_rng(9001))
    located = frame.regions(gray)
    assert any(not frame.code_shaped(r) for r in located[1:4]), "the desk has lines of print among 1-3"
    given: list[Region] = []

    def recording(attempt):
        def read(base, region, formats, zbar_types):
            given.append(region)
            return attempt(base, region, formats, zbar_types)
        return read

    monkeypatch.setattr(frame, "_FRAME_RESCUES", tuple((i, a if a in (frame._label, frame._strip) else recording(a))
                                                      for i, a in frame._FRAME_RESCUES))
    assert decode_frame(gray, budget_ms=1e6) == []
    assert given[0] == located[0]
    assert all(frame.code_shaped(r) for r in given if r != located[0])
