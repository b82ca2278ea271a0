"""A "page left there" that lies untouched stops blocking the citizen, and the technician is told.

Protects: an outline taken for the previous citizen's page (issue 15) that nobody takes away was "take it away"
to every citizen for ever, and 拍摄 was refused: an empty pale table whose edges detection outlines (33 of 50
such frames with no bed learned, docs/docscan.md) blocked the materials step with nobody telling the technician.
Now, after ``leftover_doubt_s`` untouched, the screen says what to do in either case, nothing fires on that
outline, a page laid is captured, and each such visit is counted for the monitor's alert (code 2164) until
the bed is learned again."""
from __future__ import annotations

import numpy as np
import pytest

from kiosk.capture import bed as bedmod
from kiosk.capture.auto import AutoCapture, AutoCaptureSettings, AutoState
from kiosk.capture.leftover_doubt import load_doubts, pending, record_doubt
from kiosk.errors import KioskErrorCode

PAGE = np.array([[200.0, 100.0], [700.0, 110.0], [690.0, 650.0], [190.0, 640.0]])
LONG = 960


def feed(auto: AutoCapture, quads: list, t0: float, dt: float = 0.5) -> list:
    return [auto.feed(q, () if q is not None else ("no_page",), t0 + i * dt, LONG) for i, q in enumerate(quads)]


def still(n: int, quad: np.ndarray = PAGE, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    return [quad + rng.uniform(-1.0, 1.0, (4, 2)) for _ in range(n)]


def test_an_untouched_page_left_there_stops_blocking_after_the_doubt_time_and_is_never_captured():
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.3, leftover_doubt_s=15.0))
    auto.expect_empty_bed()
    before = feed(auto, still(30), 0.0)                        # 0 .. 14.5 s
    assert {s.problem for s in before} == {"leftover"} and auto.leftover and auto.doubted == 0
    after = feed(auto, still(20, seed=1), 15.0)                # 15 s on: it no longer blocks
    assert {(s.state, s.problem) for s in after} == {(AutoState.PROBLEM, "leftover_doubt")}
    assert not auto.leftover and auto.doubted == 1 and not any(s.fire for s in before + after)
    assert auto.doubting                                       # 拍摄 refuses it too (the step asks this)
    # The citizen lays a page (another outline): captured once.
    own = PAGE * 0.6 + 60.0
    laid = feed(auto, still(8, own, seed=2), 30.0, dt=0.1)
    assert sum(s.fire for s in laid) == 1 and not auto.doubting


def test_a_page_left_there_that_is_being_handled_is_still_waited_for():
    auto = AutoCapture(AutoCaptureSettings(leftover_doubt_s=15.0))
    auto.expect_empty_bed()
    feed(auto, still(20), 0.0)                                 # 0 .. 9.5 s untouched
    feed(auto, [PAGE + 30.0], 10.0)                            # picked up, moved: the clock starts again
    out = feed(auto, still(20, PAGE + 30.0, seed=3), 10.5)     # 10.5 .. 20 s: under 15 s since it moved
    assert {s.problem for s in out} == {"leftover"} and auto.leftover and auto.doubted == 0


def test_what_stopped_blocking_and_is_then_taken_away_leaves_the_bed_expected_empty():
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.3, leftover_doubt_s=2.0))
    auto.expect_empty_bed()
    feed(auto, still(6), 0.0)
    assert auto.doubted == 1
    gone = feed(auto, [None, None, None], 3.0)
    assert gone[-1].state == AutoState.NO_PAGE and gone[-1].problem == "no_page"
    again = feed(auto, still(8, seed=4), 5.0, dt=0.1)          # a page laid where the other lay: captured
    assert sum(s.fire for s in again) == 1


def test_the_doubt_time_is_a_camera_option():
    assert AutoCaptureSettings.from_options({"auto_leftover_doubt_s": 4}).leftover_doubt_s == 4.0
    assert AutoCaptureSettings().leftover_doubt_s == 15.0


def test_visits_are_counted_until_the_bed_is_learned_again(tmp_path):
    clock = iter([100.0, 200.0, 400.0]).__next__
    assert load_doubts(tmp_path) is None and not pending(None, None)
    first = record_doubt(tmp_path, None, clock=clock)
    second = record_doubt(tmp_path, None, clock=clock)
    assert (first.count, second.count, second.since, second.at) == (1, 2, 100.0, 200.0)
    assert pending(load_doubts(tmp_path), None) and pending(second, 150.0)
    assert not pending(second, 300.0)                          # learned after the last visit
    third = record_doubt(tmp_path, 300.0, clock=clock)         # a visit after that: counted afresh
    assert (third.count, third.since) == (1, 400.0) and pending(third, 300.0)
    (tmp_path / "camera" / "leftover_doubt.json").write_bytes(b"\x00{not json")
    assert load_doubts(tmp_path) is None                       # damaged: ignored, not a crash


@pytest.fixture
def monitor(tmp_path):
    from devices.manager import DeviceManager
    from kiosk.ops.monitor import Monitor
    from kiosk.outbox import Outbox
    from kiosk.settings import default_files, load_settings
    from tests.helpers.fakes import OUTBOX_KEY

    settings = load_settings(default_files(True), data_dir=tmp_path)
    outbox = Outbox(tmp_path / "outbox", settings.kiosk_id, key=OUTBOX_KEY)
    events: list = []
    m = Monitor(settings, DeviceManager([]), outbox, audit=lambda e, d: events.append((e, d)))
    yield m, events
    m.stop()
    outbox.close()


def test_the_monitor_tells_the_technician_until_the_bed_is_learned(tmp_path, monitor):
    from tests.helpers import hard_scenes as hs

    m, events = monitor
    m.check()
    assert "camera.leftover" not in {a.key for a in m.alerts.active()}
    record_doubt(tmp_path, None, clock=lambda: 1000.0)
    record_doubt(tmp_path, None, clock=lambda: 1100.0)
    m.check()
    alert = {a.key: a for a in m.alerts.active()}["camera.leftover"]
    assert alert.code == int(KioskErrorCode.LEFTOVER_DOUBTED) == 2164 and alert.device == "camera"
    assert "学习空台面" in alert.zh and "learn it" in alert.en
    m.check()
    assert sum(1 for e, d in events if e == "alert" and d["key"] == "camera.leftover") == 1   # told once
    bedmod.BedStore(tmp_path).save(bedmod.learn([hs.render("on_table", 0).image] * 3, now=2000.0))
    m.check()
    assert "camera.leftover" not in {a.key for a in m.alerts.active()}
    assert any(e == "alert_cleared" and d["key"] == "camera.leftover" for e, d in events)


def test_the_next_citizen_finding_the_very_same_scene_is_not_made_to_wait_again():
    auto = AutoCapture(AutoCaptureSettings(leftover_doubt_s=15.0))
    scene = np.full((36, 64), 120.0)
    scene[8:28, 20:44] = 200.0                                  # what lies there, as the whole frame looks
    other = scene.copy()
    other[30:36, 0:20] = 30.0                                   # another scene: something else lies there too

    def visit(look: np.ndarray, t0: float, n: int) -> list:
        auto.expect_empty_bed()
        return [auto.feed(q, (), t0 + i * 0.5, LONG, look=look) for i, q in enumerate(still(n))]

    first = visit(scene, 0.0, 32)                               # waited 15 s
    assert [s.problem for s in first].index("leftover_doubt") == 30
    second = visit(scene + 0.5, 100.0, 3)                       # nobody took it away through a whole visit
    assert second[0].problem == "leftover_doubt" and auto.doubted == 2
    third = visit(other, 200.0, 3)                              # not the same scene: waited for again
    assert {s.problem for s in third} == {"leftover"} and auto.leftover


def test_an_empty_pale_table_taken_for_a_page_left_there_lets_the_citizens_sheet_be_captured():
    """The scene that asked for this: an empty table top (on_table seed 0, no bed learned) that detection
    outlines. Before, "take it away" for ever; now the wait ends, the table itself is never captured, and the
    citizen's sheet laid on it is captured by itself, outlined as the sheet."""
    from devices.camera.docscan import detect_page, polygon_iou
    from kiosk.capture.live import LivePreview
    from tests.helpers import hard_scenes as hs
    from tests.helpers.fakes import FakeCamera

    empty = hs.render("on_table", 0, bed="other").image
    sheet = hs.render("on_table", 0)
    assert detect_page(empty) is not None                      # the table is outlined: "a page left there"
    cam, t = FakeCamera(), [0.0]
    live = LivePreview(lambda: cam, clock=lambda: t[0], settings=AutoCaptureSettings(hold_s=0.3,
                                                                                    leftover_doubt_s=1.0))
    live.expect_empty_bed()

    def frames(image: np.ndarray, n: int) -> list:
        out = []
        for _ in range(n):
            cam.show(image)
            t[0] += 0.1
            out.append(live.step())
        return out

    waited = frames(empty, 25)
    problems = [f.status.problem for f in waited]
    assert problems[0] == "leftover" and problems[-1] == "leftover_doubt" and live.auto.doubting
    assert not any(f.status.fire for f in waited)
    laid = frames(sheet.image, 15)
    fired = [f for f in laid if f.status.fire]
    assert len(fired) == 1 and polygon_iou(fired[0].quad, sheet.quad) > 0.95
