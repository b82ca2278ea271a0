"""kiosk.capture.auto: when to take the still automatically, what to tell the citizen meanwhile."""
from __future__ import annotations

import numpy as np
import pytest

from kiosk.capture.auto import AutoCapture, AutoCaptureSettings, AutoState
from kiosk.capture.live import LivePreview
from tests.helpers.fakes import FakeCamera

PAGE = np.array([[200.0, 100.0], [700.0, 110.0], [690.0, 650.0], [190.0, 640.0]])
LONG = 960   # preview frame long side: steady means < 0.006 * 960 = 5.8 px of motion per frame


def run(auto: AutoCapture, frames: list, t0: float = 0.0, dt: float = 0.1) -> list:
    """Feed (quad, problems) pairs 100 ms apart; return the statuses."""
    return [auto.feed(q, p, t0 + i * dt, LONG) for i, (q, p) in enumerate(frames)]


def steady(n: int, quad: np.ndarray = PAGE, jitter: float = 1.0, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    return [(quad + rng.uniform(-jitter, jitter, (4, 2)), ()) for _ in range(n)]


def test_a_steady_good_page_fires_once_after_the_hold_time() -> None:
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.8))
    out = run(auto, steady(20))
    fired = [i for i, s in enumerate(out) if s.fire]
    assert fired == [8]                               # 0.8 s after the first frame, then never again
    assert [s.state for s in out[:8]] == [AutoState.STEADYING] * 8
    progress = [s.progress for s in out[:8]]
    assert progress == sorted(progress) and progress[0] == 0.0 and progress[-1] > 0.8
    assert all(s.state == AutoState.CAPTURING for s in out[9:])   # until told how the capture went


def test_motion_restarts_the_count_and_says_hold_still() -> None:
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.5))
    frames = steady(4) + [(PAGE + 25.0, ())] + steady(8, PAGE + 25.0)
    out = run(auto, frames)
    assert out[4].state == AutoState.PROBLEM and out[4].problem == "moving" and out[4].progress == 0.0
    assert [i for i, s in enumerate(out) if s.fire] == [9]        # 0.5 s after the move (frame 4 at 0.4 s)


def test_problems_block_the_capture_and_the_most_urgent_one_is_shown() -> None:
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.3))
    out = run(auto, [(PAGE, ("glare", "blur"))] * 6 + [(PAGE, ("cut_off", "glare"))] + [(None, ("no_page",))])
    assert not any(s.fire for s in out)
    assert out[0].state == AutoState.PROBLEM and out[0].problem == "blur"
    assert out[6].problem == "cut_off"
    assert out[7].state == AutoState.NO_PAGE and out[7].problem == "no_page"
    # Once the problem is gone the page is captured after the hold time.
    later = run(auto, steady(6), t0=1.0)
    assert [i for i, s in enumerate(later) if s.fire] == [3]


def test_a_captured_page_is_not_captured_again_until_it_is_replaced() -> None:
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.3))
    out = run(auto, steady(5))
    assert sum(s.fire for s in out) == 1
    auto.captured(True, 0.5)
    rest = run(auto, steady(20, seed=1), t0=0.6)
    assert not any(s.fire for s in rest) and rest[-1].state == AutoState.DONE
    # Taken away (two frames without a page), then the next page: captured again.
    gone = run(auto, [(None, ("no_page",))] * 2, t0=3.0)
    assert gone[-1].state == AutoState.NO_PAGE
    nxt = run(auto, steady(6, PAGE + 3.0), t0=3.2)
    assert sum(s.fire for s in nxt) == 1


def test_a_page_swapped_in_place_is_noticed_by_its_picture() -> None:
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.2))
    rng = np.random.default_rng(5)
    first, second = rng.integers(0, 255, (24, 24)), rng.integers(0, 255, (24, 24))
    fired = [auto.feed(PAGE, (), i * 0.1, LONG, first).fire for i in range(4)]
    assert fired.count(True) == 1
    auto.captured(True, 0.4)
    assert not any(auto.feed(PAGE, (), 0.5 + i * 0.1, LONG, first).fire for i in range(10))
    # Same place, same outline, another page: re-armed, captured after the hold time.
    again = [auto.feed(PAGE, (), 2.0 + i * 0.1, LONG, second).fire for i in range(5)]
    assert again.count(True) == 1


def test_a_refused_capture_is_retried_after_a_pause() -> None:
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.2, rearm_after_failure_s=2.0))
    assert sum(s.fire for s in run(auto, steady(4))) == 1
    auto.captured(False, 0.4)
    waiting = run(auto, steady(10, seed=2), t0=0.5)              # 0.5 .. 1.4 s: still waiting
    assert not any(s.fire for s in waiting) and waiting[0].problem == "retry"
    retried = run(auto, steady(6, seed=3), t0=2.5)
    assert sum(s.fire for s in retried) == 1


def test_disabled_auto_capture_never_fires_but_still_reports_problems() -> None:
    auto = AutoCapture(AutoCaptureSettings.from_options({"auto_capture": False}))
    out = run(auto, steady(20) + [(PAGE, ("blur",))])
    assert not any(s.fire for s in out) and out[0].state == AutoState.OFF and out[-1].problem == "blur"
    s = AutoCaptureSettings.from_options({"auto_hold_s": "1.5", "auto_steady_fraction": 0.01})
    assert s.hold_s == 1.5 and s.steady_fraction == 0.01 and s.enabled


# ------------------------------------------------------------------------------------------- live preview
@pytest.mark.slow
def test_live_preview_tracks_the_page_and_fires_once_per_page() -> None:
    from devices.camera.sim.scene import render_scene

    cam = FakeCamera()
    now = [0.0]
    fired: list[int] = []
    frames = []
    live = LivePreview(lambda: cam, on_fire=lambda: fired.append(cam.seq), on_frame=frames.append,
                       settings=AutoCaptureSettings(hold_s=0.3), clock=lambda: now[0])
    assert live.step() is None                                   # no frame yet
    for n in range(6):
        cam.show(render_scene(7, 960, 720, category="plain", kind="form", glare=0, frame=n).image)
        now[0] = n * 0.1
        f = live.step()
        assert f is not None and f.quad is not None
    assert live.step() is None                                   # the same frame is not analysed twice
    assert fired == [4] and frames[3].status.fire               # 0.3 s and 3 steady frames after the first
    assert frames[2].status.state == AutoState.STEADYING and 0 < frames[2].status.progress < 1
    assert live.tracker.tracked >= 4                             # the preview tracks rather than detects
    live.captured(True)
    empty = render_scene(7, 960, 720, category="plain", page=False).image
    cam.show(empty)
    now[0] = 1.0
    f = live.step()
    assert f is not None and f.quad is None and f.status.state == AutoState.DONE   # a hand passing over it?
    cam.show(empty.copy())
    f = live.step()
    assert f is not None and f.quad is None and f.status.state == AutoState.NO_PAGE and f.status.problem == "no_page"
    assert live.latest() is f


def test_a_page_captured_by_hand_is_not_captured_again_automatically() -> None:
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.3))
    # Tapped 拍摄 at once after laying the page: the preview has not seen it yet.
    auto.manual(0.0)
    out = run(auto, steady(3), t0=0.1)
    assert not any(s.fire for s in out) and out[-1].state == AutoState.CAPTURING
    auto.captured(True, 0.4)
    rest = run(auto, steady(15, seed=4), t0=0.5)
    assert not any(s.fire for s in rest) and rest[-1].state == AutoState.DONE
    # Another page laid in another place: captured automatically.
    moved = PAGE * 0.6 + 40.0
    nxt = run(auto, steady(6, moved), t0=2.0)
    assert sum(s.fire for s in nxt) == 1


def test_a_page_left_from_before_is_not_captured_until_the_bed_is_seen_empty() -> None:
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.3))
    auto.expect_empty_bed()  # a new citizen: the page lying there is the last citizen's
    out = run(auto, steady(20))
    assert not any(s.fire for s in out)
    assert {(s.state, s.problem) for s in out} == {(AutoState.PROBLEM, "leftover")} and auto.leftover
    run(auto, [(None, ("no_page",))] * 2, t0=2.0)  # taken away
    assert not auto.leftover
    nxt = run(auto, steady(6, PAGE + 3.0), t0=2.2)  # the citizen's own page
    assert sum(s.fire for s in nxt) == 1
