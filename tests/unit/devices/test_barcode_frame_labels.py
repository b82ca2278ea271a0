"""``decode_frame``'s label quad reads (devices.barcode.label_quad_live; issue 22 item 2): photographed labels in
perspective that only ``decode`` read before, and what the new steps cost a frame with no code in it.

The bench frames are ``bench/barcode_frames.py``'s. Which frames a step reads is checked with a generous budget
(the bench measures how fast: ``bench/bench_barcode_frame_cpu.py``); what a frame costs is counted in steps on a
fake clock, so nothing here depends on this machine's speed.
"""
from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.barcode import budget, frame, label_quad_live
from devices.barcode.decode import decode_frame

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_barcode_regions import KIOSK, bench_frame, bf, texts

GENEROUS_MS = 5000.0


def without_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    """decode_frame as it was before: no label quad steps among its harder reads."""
    monkeypatch.setattr(frame, "_FRAME_RESCUES", tuple(s for s in frame._FRAME_RESCUES if s[1] is not frame._label))


# Camera bench frames that only decode's label quads read (whole-frame quad search, 4 Wiener filters, the
# EAN template reader; up to 0.4 s), and decode_frame's cheaper label steps now read: the biggest quad,
# rectified to 512 px, read as it is (QR qrcode-2/#258, EAN-13 ean13-1/15 and 1/29) or deblurred along its rows
# (EAN-13 ean13-2/01, ean13-2/05: blurred photographs of labels in perspective that no region cut reads,
# however sharpened).
NEWLY_READ = [("EAN-13", 14, "ean13-2/01.webp", "deblurred"), ("EAN-13", 17, "ean13-2/05.webp", "deblurred"),
              ("QR", 16, "qrcode-2/#258.webp", "plain"), ("EAN-13", 3, "ean13-1/15.webp", "plain"),
              ("EAN-13", 6, "ean13-1/29.webp", "plain")]


@pytest.mark.parametrize(("symbology", "index", "name", "how"), NEWLY_READ)
def test_decode_frame_reads_a_label_in_perspective_that_only_decode_read(
        monkeypatch: pytest.MonkeyPatch, symbology: str, index: int, name: str, how: str) -> None:
    image, expected = bench_frame(symbology, index)
    if bf.sources(symbology)[0][index % len(bf.sources(symbology)[0])].name != name:
        pytest.skip(f"bench source {name} not found")
    reads: list[str] = []
    real_read, real_deblurred = label_quad_live.LiveLabel.read, label_quad_live.LiveLabel.read_deblurred

    def read(self, formats):
        found = real_read(self, formats)
        reads.extend("plain" for _ in found)
        return found

    def deblurred(self, formats):
        found = real_deblurred(self, formats)
        reads.extend("deblurred" for _ in found)
        return found

    monkeypatch.setattr(label_quad_live.LiveLabel, "read", read)
    monkeypatch.setattr(label_quad_live.LiveLabel, "read_deblurred", deblurred)
    found = decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS)
    assert texts(found) == [expected]
    assert reads == [how]


@pytest.mark.parametrize(("symbology", "index", "name", "how"), NEWLY_READ)
def test_without_the_label_steps_decode_frame_missed_them(
        monkeypatch: pytest.MonkeyPatch, symbology: str, index: int, name: str, how: str) -> None:
    image, _expected = bench_frame(symbology, index)
    without_labels(monkeypatch)
    assert decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS) == []


def test_a_label_is_rectified_with_its_longer_side_across() -> None:
    # A 1-D code lies along its label; zxing-cpp's rows cross its bars only if that side is horizontal.
    base = frame.pp.identity(np.zeros((400, 400), np.uint8))
    tall = np.float32([[100, 50], [160, 50], [160, 350], [100, 350]])  # 60 x 300 px
    label = label_quad_live.LiveLabel(base, tall)
    rect = label._rectified()
    assert rect.shape[1] > rect.shape[0]


def test_the_row_filter_sharpens_blurred_bars_and_keeps_flat_grey() -> None:
    bars = np.kron(np.tile(np.uint8([40, 220]), 20), np.ones((30, 3), np.uint8))  # 3 px bars
    blurred = cv2.GaussianBlur(bars, (0, 0), 1.5)
    restored = label_quad_live.row_wiener(blurred, 1.5)
    middle = slice(12, -12)
    assert np.ptp(restored[15, middle].astype(int)) > np.ptp(blurred[15, middle].astype(int)) + 60
    flat = np.full((20, 40), 128, np.uint8)
    assert np.array_equal(label_quad_live.row_wiener(flat, 2.0), flat)



def round9_row_filter(gray: np.ndarray, sigma: float, nsr: float = 0.01) -> np.ndarray:
    """Round 9's row filter: the rows deconvolved at noise ratio 0.01, the columns left as they are."""
    k = label_quad_live._kernel(round(sigma, 2), nsr)
    out = cv2.sepFilter2D(gray.astype(np.float32), -1, k, np.ones(1, np.float32), borderType=cv2.BORDER_REFLECT)
    return np.clip(out, 0, 255).astype(np.uint8)


# Round 11: a blurred Code 128 label in perspective (code128-2/06, in the tuning set and the held-apart one)
# that decode read by its 2-D Wiener filter; the row filter reads it once it also smooths down the columns.
SMOOTHED_DOWN = [(9, 0), (9, bf.SEED_OFFSET_HELD_APART)]


@pytest.mark.parametrize(("index", "seed_offset"), SMOOTHED_DOWN)
def test_the_deblurred_label_read_reads_a_code_the_row_filter_alone_did_not(
        monkeypatch: pytest.MonkeyPatch, index: int, seed_offset: int) -> None:
    image, expected = bench_frame("Code 128", index, seed_offset=seed_offset)
    if bf.sources("Code 128")[0][index % len(bf.sources("Code 128")[0])].name != "code128-2/06.webp":
        pytest.skip("bench source code128-2/06 not found")
    reads: list[str] = []
    real_deblurred = label_quad_live.LiveLabel.read_deblurred

    def deblurred(self, formats):
        found = real_deblurred(self, formats)
        reads.extend("deblurred" for _ in found)
        return found

    monkeypatch.setattr(label_quad_live.LiveLabel, "read_deblurred", deblurred)
    assert texts(decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS)) == [expected]
    assert reads == ["deblurred"]
    monkeypatch.setattr(label_quad_live, "row_wiener", round9_row_filter)
    reads.clear()
    found = texts(decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS))
    assert "deblurred" not in reads
    assert found in ([], [expected])  # read (if at all) by a later, dearer read, not by the label


def test_the_row_filter_smooths_noise_down_the_columns() -> None:
    # Flat grey with noise: the rows' deconvolution alone amplifies it; the smoothing down the columns damps it.
    noise = np.clip(128 + np.random.default_rng(3).normal(0, 6, (60, 80)), 0, 255).astype(np.uint8)
    assert np.std(label_quad_live.row_wiener(noise, 2.0)) < 0.8 * np.std(round9_row_filter(noise, 2.0, 0.015))

# --- what a frame with no code costs ------------------------------------------------------------------------
# A frame with no code runs steps until the budget is spent. The label steps (quad search ~5 ms, each read
# ~2-4 ms) come out of that budget: they take the place of later steps. On an empty desk only the search runs
# (one step more than before, counted on a fake clock; its outlines are refused, ``live_labels``).
STEP_MS = {"label-quads": 5.0, "label": 2.5, "label-deblurred": 3.0, "region": 1.0, "half": 10.0,
           "full-qr": 10.0, "full-qr-inverted": 4.0, "inverted": 2.5, "turned": 8.0}  # else 3 ms (harder reads)


def page_of_print(seed: int) -> np.ndarray:
    """A printed page on the desk: a sheet of lines of text filling most of the frame (gray, 1920x1080)."""
    gray = bf.desk(np.random.default_rng(seed))
    cv2.rectangle(gray, (300, 60), (1500, 1060), 235, -1)
    for y in range(120, 1040, 34):
        cv2.putText(gray, "Lorem ipsum 12345 dolor sit amet ABC", (340, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 40, 2)
    return cv2.GaussianBlur(gray, (0, 0), 0.7)


def steps_run(monkeypatch: pytest.MonkeyPatch, gray: np.ndarray) -> tuple[list[str], float]:
    """The steps decode_frame runs on ``gray`` at its 30 ms budget when each costs ``STEP_MS`` on a fake clock,
    and the ms they cost (costs learned on a first pass, as the camera loop learns them)."""
    now = [100.0]
    monkeypatch.setattr(budget.time, "perf_counter", lambda: now[0])
    monkeypatch.setattr(budget, "_step_ms", {})
    monkeypatch.setattr(budget, "_step_ms_per_unit", {})
    ran: list[str] = []
    real_run = budget.StepBudget.run

    def run(self, name, step, budget_ms=None, work=None):
        def priced():
            ran.append(name)
            result = step()
            now[0] += STEP_MS.get(name, 3.0) / 1000.0
            return result
        return real_run(self, name, priced, budget_ms)  # priced per step, not per pixel: the table is per step

    monkeypatch.setattr(budget.StepBudget, "run", run)
    decode_frame(gray, formats=KIOSK)
    ran.clear()
    start = now[0]
    assert decode_frame(gray, formats=KIOSK) == []
    return list(ran), (now[0] - start) * 1000.0


@pytest.mark.parametrize("seed", [9001, 9005, 9008])
def test_an_empty_desk_gets_the_label_search_and_no_label_read(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    # The desk's papers and stripes make four-cornered outlines (bench desks 9001, 9005, 9008: one or two
    # each), but none holds bars standing across it or a located region likely to be a code. Round 12: an
    # outline whose centre lies on such a region is read once as it is (9001's second; 3 of 40 bench desks),
    # never deblurred (no bars across it), in the place of a later step.
    gray = bf.desk(np.random.default_rng(seed))
    assert label_quad_live.label_quads(gray), "the desk has outlines to refuse"
    after, _ms = steps_run(monkeypatch, gray)
    without_labels(monkeypatch)
    before, _ms = steps_run(monkeypatch, gray)
    labels = [s for s in after if s.startswith("label")]
    spare = len(label_quad_live.label_quads(gray)) > label_quad_live._LIVE_QUADS
    # Round 13: a third outline is looked at (rectified, no bars across it) and not read.
    assert labels == ["label-quads"] + ["label"] * (seed == 9001) + ["label-spare"] * spare
    assert len(after) <= len(before) + len(labels)  # no step more than the label steps themselves


def test_a_page_of_print_gets_one_plain_label_read_and_no_more_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    # The sheet is an outline holding the locator's first region (a line of print): it is read once as it is
    # (no bars across it: not deblurred), in the place of later harder reads.
    gray = page_of_print(7)
    after, after_ms = steps_run(monkeypatch, gray)
    without_labels(monkeypatch)
    before, before_ms = steps_run(monkeypatch, gray)
    assert [s for s in after if s.startswith("label")] == ["label-quads", "label"]
    assert len(after) <= len(before)
    assert after_ms <= before_ms + max(STEP_MS.values())  # both stop at the budget (the last step may overrun)


class _QuietLabel:
    """A kept label that reads nothing, recording its reads in ``calls``."""

    def __init__(self, index: int, calls: list[str]) -> None:
        self.index, self.calls = index, calls

    def work(self) -> float:
        return 1.0

    def bars_across(self) -> bool:
        return True

    def read(self, formats) -> list:
        self.calls.append(f"label {self.index}")
        return []

    def read_deblurred(self, formats) -> list:
        self.calls.append(f"label {self.index} deblurred")
        return []


def test_both_labels_are_read_before_the_first_regions_harder_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    # Round 11: the second label's reads (cheap since its row filter smooths down the columns) come right
    # after the first's, before region 0's harder reads; held-apart ean13-2/09 and 2/12 are read by it.
    calls: list[str] = []
    monkeypatch.setattr(frame, "live_labels",
                        lambda base, likely, *spare: [_QuietLabel(0, calls), _QuietLabel(1, calls)])

    def recording(attempt):
        def read(base, region, formats, zbar_types):
            calls.append(attempt.__name__)
            return []
        return read

    monkeypatch.setattr(frame, "_FRAME_RESCUES", tuple((i, a if a in (frame._label, frame._strip) else recording(a))
                                                      for i, a in frame._FRAME_RESCUES))
    assert decode_frame(bf.desk(np.random.default_rng(9001)), budget_ms=1e6) == []
    assert calls[:4] == ["label 0", "label 0 deblurred", "label 1", "label 1 deblurred"]
    assert calls[4] == "_across_bars"


# Round 12: a QR's own outline smaller than its located region (which spills onto the print beside it) holds
# no region's centre, but lies on region 0: held-apart qrcode-2/#1086, read plainly from that label.
def test_a_label_lying_on_a_likely_region_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    image, expected = bench_frame("QR", 8, seed_offset=bf.SEED_OFFSET_HELD_APART)
    if bf.sources("QR")[0][8 % len(bf.sources("QR")[0])].name != "qrcode-2/#1086.png":
        pytest.skip("bench source qrcode-2/#1086 not found")
    reads: list[str] = []
    real_read = label_quad_live.LiveLabel.read

    def read(self, formats):
        found = real_read(self, formats)
        reads.extend(b.text for b in found)
        return found

    monkeypatch.setattr(label_quad_live.LiveLabel, "read", read)
    assert texts(decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS)) == [expected]
    assert reads == [expected]
    monkeypatch.setattr(label_quad_live.LiveLabel, "lies_in", lambda self, regions: False)  # round 11's rule
    # (round 15: its QR has bars across a band of its rows too, which admits the label as well)
    monkeypatch.setattr(label_quad_live.LiveLabel, "bars_in_a_band", lambda self: False)
    reads.clear()
    assert decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS) == []
    assert reads == []


# Round 13: tuning ean13-2/09 is read by no step of decode_frame but the third quad's, rectified at 640 px and
# deblurred along its rows (its plain read and the first two quads' reads get nothing).
def test_a_third_label_with_bars_across_is_read_deblurred(monkeypatch: pytest.MonkeyPatch) -> None:
    image, expected = bench_frame("EAN-13", 18)
    if bf.sources("EAN-13")[0][18 % len(bf.sources("EAN-13")[0])].name != "ean13-2/09.webp":
        pytest.skip("bench source ean13-2/09 not found")
    reads: list[tuple[int, str]] = []
    real_deblurred = label_quad_live.LiveLabel.read_deblurred

    def deblurred(self, formats):
        found = real_deblurred(self, formats)
        reads.extend((self.side, b.text) for b in found)
        return found

    monkeypatch.setattr(label_quad_live.LiveLabel, "read_deblurred", deblurred)
    assert texts(decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS)) == [expected]
    assert reads == [(label_quad_live._SPARE_SIDE_PX, expected)]
    monkeypatch.setattr(frame, "_FRAME_RESCUES", tuple(s for s in frame._FRAME_RESCUES if s != (2, frame._label)))
    reads.clear()
    assert decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS) == []  # round 12's steps
    assert reads == []


def test_a_third_label_without_bars_across_is_not_read() -> None:
    calls: list[str] = []
    flat = _QuietLabel(2, calls)
    flat.bars_across = lambda: False
    assert label_quad_live.spare_label([flat], None) == []
    assert label_quad_live.spare_label([], None) == []
    assert calls == []
    assert label_quad_live.spare_label([_QuietLabel(2, calls)], None) == []
    assert calls == ["label 2 deblurred"]  # only deblurred: its plain read at 640 px read nothing on ean13-2/09


# Round 15: tuning rssexpanded-1/#384, a DataBar Expanded whose short bars fill a tenth of its strip of label:
# over the whole label the bars-across ratio is 0.09 (the bars' ends and the blank paper), no located region
# lies on it, and the label was refused. Bars across in a band of a tenth of its rows admit it (0.95 there);
# its plain read reads it.
def test_a_label_with_bars_across_a_band_of_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    image, expected = bench_frame("GS1", 6)
    if bf.sources("GS1")[0][6 % len(bf.sources("GS1")[0])].name != "rssexpanded-1/#384.png":
        pytest.skip("bench source rssexpanded-1/#384 not found")
    reads: list[str] = []
    real_read = label_quad_live.LiveLabel.read

    def read(self, formats):
        found = real_read(self, formats)
        reads.extend(b.text for b in found)
        return found

    monkeypatch.setattr(label_quad_live.LiveLabel, "read", read)
    assert texts(decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS)) == [expected]
    assert reads == [expected]
    monkeypatch.setattr(label_quad_live.LiveLabel, "bars_in_a_band", lambda self: False)  # round 14's rule
    reads.clear()
    assert decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS) == []
    assert reads == []


def test_the_other_gs1_frames_read_as_without_the_band(monkeypatch: pytest.MonkeyPatch) -> None:
    # The neighbouring kind: every other GS1 frame of the tuning set (GS1-128, GS1 DataMatrix and QR, the other
    # DataBar Expanded strips) reads the same texts with the band admitting labels and without it.
    images = [bench_frame("GS1", i) for i in range(20) if i != 6]
    with_band = [texts(decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS)) for image, _ in images]
    monkeypatch.setattr(label_quad_live.LiveLabel, "bars_in_a_band", lambda self: False)
    assert [texts(decode_frame(image, formats=KIOSK, budget_ms=GENEROUS_MS)) for image, _ in images] == with_band
    assert sum(expected in found for (_, expected), found in zip(images, with_band)) >= 17


@pytest.mark.parametrize("seed", [9000, 9003, 9009, 9020])
def test_a_desk_outline_with_bars_in_a_band_gets_one_plain_read(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    # 4 of 40 bench desks have an outline that only the band admits (a stripe or a line of print across a
    # paper): read once as it is, never deblurred (no bars across the whole of it), nothing read.
    gray = bf.desk(np.random.default_rng(seed))
    labels = [label_quad_live.LiveLabel(frame.pp.identity(gray), q)
              for q in label_quad_live.label_quads(gray)[:label_quad_live._LIVE_QUADS]]
    assert any(label.bars_in_a_band() and not label.bars_across() for label in labels)
    after, _ms = steps_run(monkeypatch, gray)
    assert "label" in after and "label-deblurred" not in after
