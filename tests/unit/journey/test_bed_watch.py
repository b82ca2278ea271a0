"""kiosk.capture.bed_watch: the technician's learned empty bed (学习空台面) checked against what the camera sees.

Protects: a bed that no longer matches (the camera or the table moved: another desk in view) is called stale
after three citizens' visits none of whose frames showed it, never after one (a page left lying there all
through a visit); a visit that shows the bed empty even once, under another lamp too, makes it match again;
short visits are not judged; re-learning or forgetting the bed forgets the verdict; a damaged verdict file is
ignored. The live preview feeds it; the monitor raises the technician's alert (2163) and clears it; the
console's camera card says it. Scenes: tests/helpers/hard_scenes, drawn apart from the detector."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from kiosk.capture import bed as bedmod
from kiosk.capture.auto import AutoCaptureSettings
from kiosk.capture.bed_watch import MIN_FRAMES, BedVerdict, BedWatch, load_check
from kiosk.capture.live import LivePreview
from kiosk.capture.presence import bed_look
from kiosk.errors import KioskErrorCode
from tests.helpers import hard_scenes as hs
from tests.helpers.fakes import FakeCamera

SIZE = (hs.W, hs.H)


def learned(seed: int, light: str = "same", at: float = 0.0) -> bedmod.LearnedBed:
    return bedmod.learn([hs.render("on_table", seed, bed=light).image] * 3, now=at)


def visit(watch: BedWatch, bed, images: list[np.ndarray], n: int = 30):
    for i in range(n):
        watch.frame(bed, bed_look(images[i % len(images)]), SIZE)
    return watch.visit_over(bed)


@pytest.fixture(scope="module")
def scenes():
    return {"bed": learned(0), "empty": hs.render("on_table", 0, bed="other").image,   # as learned, another lamp
            "sheet": hs.render("on_table", 0).image,                                   # a sheet on that bed
            "moved": hs.render("on_table", 5, bed="same").image}                       # another table in view


def test_a_moved_bed_is_stale_after_three_visits_and_matches_again_when_seen_empty(tmp_path, scenes):
    bed, watch = scenes["bed"], BedWatch(tmp_path, clock=lambda: 1000.0)
    assert visit(watch, bed, [scenes["empty"]]).verdict == BedVerdict.MATCHES
    verdicts = [visit(watch, bed, [scenes["moved"]]) for _ in range(3)]
    assert [(c.verdict, c.mismatches) for c in verdicts] == [
        (BedVerdict.MATCHES, 1), (BedVerdict.MATCHES, 2), (BedVerdict.STALE, 3)]
    assert verdicts[-1].residual > bedmod.RESIDUAL_MAX
    on_disk = load_check(tmp_path)
    assert on_disk.verdict == BedVerdict.STALE and on_disk.bed_learned_at == bed.learned_at
    # a citizen who laid a page on the right bed after it showed empty for a moment: it matches again
    back = visit(watch, bed, [scenes["empty"]] * 3 + [scenes["sheet"]] * 27)
    assert (back.verdict, back.mismatches) == (BedVerdict.MATCHES, 0)
    assert load_check(tmp_path).verdict == BedVerdict.MATCHES


def test_a_page_left_lying_through_one_visit_is_no_proof(tmp_path, scenes):
    bed, watch = scenes["bed"], BedWatch(tmp_path)
    first = visit(watch, bed, [scenes["sheet"]])
    assert (first.verdict, first.mismatches) == (BedVerdict.UNKNOWN, 1)
    assert visit(watch, bed, [scenes["empty"]]).verdict == BedVerdict.MATCHES
    assert visit(watch, bed, [scenes["sheet"]]).verdict == BedVerdict.MATCHES   # one unlike visit again


def test_a_short_visit_or_no_learned_bed_is_not_judged(tmp_path, scenes):
    watch = BedWatch(tmp_path)
    assert visit(watch, scenes["bed"], [scenes["moved"]], n=MIN_FRAMES - 1) is None
    assert visit(watch, None, [scenes["moved"]]) is None
    assert load_check(tmp_path) is None


def test_learning_the_bed_again_or_forgetting_it_forgets_the_verdict(tmp_path, scenes):
    bed = scenes["bed"]
    store = bedmod.BedStore(tmp_path)
    store.save(bed)
    watch = BedWatch(tmp_path)
    for _ in range(3):
        visit(watch, bed, [scenes["moved"]])
    assert load_check(tmp_path).verdict == BedVerdict.STALE
    store.save(learned(5, at=50.0))          # the technician learns the bed as it is now
    assert load_check(tmp_path) is None
    newer = store.load()
    assert visit(watch, newer, [scenes["moved"]]).verdict == BedVerdict.MATCHES   # the new bed is what it sees
    visit(watch, newer, [scenes["empty"]])
    assert load_check(tmp_path).mismatches == 1
    assert store.clear() and load_check(tmp_path) is None


def test_a_damaged_verdict_file_is_ignored(tmp_path, scenes):
    path = bedmod.check_path(tmp_path)
    path.parent.mkdir(parents=True)
    for junk in ("", "{", '{"verdict": "odd", "mismatches": 1}', "[]", '{"verdict": "stale"}'):
        path.write_text(junk)
        assert load_check(tmp_path) is None, junk
    watch = BedWatch(tmp_path)
    assert visit(watch, scenes["bed"], [scenes["moved"]]).mismatches == 1


class _Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_the_live_preview_judges_each_visit_and_compares_no_more_once_matched(tmp_path, scenes, monkeypatch):
    cam, clock = FakeCamera(), _Clock()
    live = LivePreview(lambda: cam, clock=clock, settings=AutoCaptureSettings(hold_s=0.3))
    live.bed, live.bed_watch = scenes["bed"], BedWatch(tmp_path)
    calls = []
    real = bedmod.LearnedBed.residual
    def counted(self, look, quad, size):   # the watch's comparisons (not the preview's own bed checks)
        if sys._getframe(1).f_code.co_filename.endswith("bed_watch.py"):
            calls.append(quad)
        return real(self, look, quad, size)
    monkeypatch.setattr(bedmod.LearnedBed, "residual", counted)

    def run(image, n=MIN_FRAMES + 4):
        for _ in range(n):
            cam.show(image)
            clock.t += 0.1
            live.step()

    for _ in range(3):                      # three citizens with the camera moved
        live.expect_empty_bed()
        run(scenes["moved"])
    live.expect_empty_bed()
    assert load_check(tmp_path).verdict == BedVerdict.STALE
    whole = [q for q in calls if q is None]
    assert len(whole) >= 3 * (MIN_FRAMES // 3)    # every third frame of each visit was compared
    calls.clear()
    run(scenes["empty"])                    # the camera put back: the first compared frame matches
    assert [q for q in calls if q is None] == [None]
    live.expect_empty_bed()
    assert load_check(tmp_path).verdict == BedVerdict.MATCHES


def test_the_monitor_raises_the_technicians_alert_and_clears_it(tmp_path, scenes):
    from devices.manager import DeviceManager
    from kiosk.ops.monitor import Monitor
    from kiosk.outbox import Outbox
    from kiosk.settings import default_files, load_settings
    from tests.helpers.fakes import OUTBOX_KEY

    settings = load_settings(default_files(True), data_dir=tmp_path)
    outbox = Outbox(tmp_path / "outbox", settings.kiosk_id, key=OUTBOX_KEY)
    events = []
    monitor = Monitor(settings, DeviceManager([]), outbox, audit=lambda e, d: events.append((e, d)))
    try:
        store = bedmod.BedStore(tmp_path)
        store.save(scenes["bed"])
        watch = BedWatch(tmp_path)
        monitor.check()
        assert "camera.bed" not in {a.key for a in monitor.alerts.active()}
        for _ in range(3):
            visit(watch, scenes["bed"], [scenes["moved"]])
        monitor.check()
        alert = {a.key: a for a in monitor.alerts.active()}["camera.bed"]
        assert alert.code == int(KioskErrorCode.BED_STALE) == 2163 and alert.device == "camera"
        assert "重新学习空台面" in alert.zh and "learn it again" in alert.en
        visit(watch, scenes["bed"], [scenes["moved"]])      # a fourth: the same alert, not audited again
        monitor.check()
        assert sum(1 for e, d in events if e == "alert" and d["key"] == "camera.bed") == 1
        store.save(learned(5, at=60.0))    # learned again
        monitor.check()
        assert "camera.bed" not in {a.key for a in monitor.alerts.active()}
        assert any(e == "alert_cleared" and d["key"] == "camera.bed" for e, d in events)
    finally:
        monitor.stop()
        outbox.close()


def test_the_console_says_the_bed_no_longer_matches(tmp_path, scenes):
    from kiosk.maintenance import bed_console

    bedmod.BedStore(tmp_path).save(scenes["bed"])
    assert bed_console.status(tmp_path)["stale"] is False
    watch = BedWatch(tmp_path)
    for _ in range(3):
        visit(watch, scenes["bed"], [scenes["moved"]])
    said = bed_console.status(tmp_path)
    assert said["learned"] and said["stale"] and said["mismatches"] == 3
