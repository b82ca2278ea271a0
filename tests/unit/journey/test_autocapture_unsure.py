"""kiosk.capture.auto, issue 22: something lies under the camera but no outline is confident ("unsure").

Protects: the screen says so once it has lasted ``unsure_after_s`` (never at once, never on an empty bed, even
when the room light changes); a confident page ends it and is captured as before; a hand still over the bed
after a page is lifted is not learnt as the empty bed; a thing captured whole by hand is not asked for again
while it lies there; the live preview on real frames (an empty simulated desk, then a sheet larger than the
view) draws no outline and says "unsure"; a still captured by hand while unsure is kept whole, uncropped.
"""
from __future__ import annotations

import numpy as np
import pytest

from devices.camera.sim.scene import render_scene
from kiosk.capture.auto import AutoCapture, AutoCaptureSettings, AutoState
from kiosk.capture.live import LivePreview
from kiosk.capture.pages import CaptureProblem, process_still
from kiosk.platform.catalog_schema import CaptureKind
from tests.helpers.fakes import FakeCamera

LONG = 960
PAGE = np.array([[200.0, 100.0], [700.0, 110.0], [690.0, 650.0], [190.0, 640.0]])
_RNG = np.random.default_rng(7)
BED = (60 + 10 * _RNG.random((48, 64))).astype(np.float32)        # a grey mat, as bed_look gives it
SHEET = BED.copy()
SHEET[10:40, 15:50] = 200.0                                       # a pale sheet lying on it, edges unseen


def noisy(look: np.ndarray, seed: int, gain: float = 1.0) -> np.ndarray:
    return (look * gain + np.random.default_rng(seed).normal(0, 0.3, look.shape)).astype(np.float32)


def feed_looks(auto: AutoCapture, looks: list, t0: float, quad=None, dt: float = 0.1, confidence: float = 0.0):
    return [auto.feed(quad, () if quad is not None else ("no_page",), t0 + i * dt, LONG, look=lk,
                      confidence=confidence) for i, lk in enumerate(looks)]


def learnt(auto: AutoCapture, t0: float = 0.0) -> float:
    """Show the empty bed for a second: its look is learnt. Returns the time after it."""
    out = feed_looks(auto, [noisy(BED, i) for i in range(10)], t0)
    assert auto.bed_known and all(s.problem == "no_page" for s in out)
    return t0 + 1.0


def test_something_without_a_confident_outline_says_unsure_after_the_delay() -> None:
    auto = AutoCapture(AutoCaptureSettings(unsure_after_s=2.0))
    t = learnt(auto)
    out = feed_looks(auto, [noisy(SHEET, 100 + i) for i in range(30)], t)
    problems = [s.problem for s in out]
    assert all(s.state == AutoState.NO_PAGE and not s.fire for s in out)
    assert problems[:20] == ["no_page"] * 20          # not at once: a page being laid down is not "unsure"
    assert problems[20:] == ["unsure"] * 10           # from 2.0 s on
    assert auto.unsure


def test_a_confident_page_ends_unsure_and_is_captured_as_before() -> None:
    auto = AutoCapture(AutoCaptureSettings(unsure_after_s=1.0, hold_s=0.5))
    t = learnt(auto)
    assert feed_looks(auto, [noisy(SHEET, i) for i in range(12)], t)[-1].problem == "unsure"
    out = [auto.feed(PAGE + 0.3 * (i % 2), (), t + 1.2 + i * 0.1, LONG, look=noisy(SHEET, 50 + i)) for i in range(10)]
    assert out[0].state == AutoState.STEADYING and out[0].problem is None and not auto.unsure
    assert [i for i, s in enumerate(out) if s.fire] == [5]


def test_an_empty_bed_stays_no_page_even_when_the_light_changes() -> None:
    auto = AutoCapture()
    t = learnt(auto)
    brighter = [noisy(BED, 200 + i, gain=1.0 + 0.02 * i) for i in range(15)]   # the lamp warms up: +30 %
    out = feed_looks(auto, [noisy(BED, 300 + i) for i in range(40)] + brighter + [noisy(BED, 400, 1.3)] * 30, t)
    assert {s.problem for s in out} == {"no_page"} and not auto.unsure


def test_a_page_like_thing_below_confident_is_unsure_even_before_the_bed_is_known() -> None:
    auto = AutoCapture(AutoCaptureSettings(unsure_after_s=0.5))
    out = feed_looks(auto, [noisy(SHEET, i) for i in range(8)], 0.0, confidence=0.4)
    assert out[-1].problem == "unsure" and not auto.bed_known   # a page-like thing is never learnt as the bed


def test_a_hand_over_the_bed_after_a_page_is_lifted_is_not_learnt_as_the_bed() -> None:
    auto = AutoCapture(AutoCaptureSettings(hold_s=0.3, unsure_after_s=1.0))
    t = learnt(auto)
    out = [auto.feed(PAGE, (), t + i * 0.1, LONG, look=noisy(SHEET, i)) for i in range(5)]
    assert sum(s.fire for s in out) == 1
    auto.captured(True, t + 0.5)
    t += 0.6
    hand = [noisy(BED, 500 + i) + (np.roll(SHEET, 3 * i, axis=1) - BED) * 0.5 for i in range(8)]   # moving
    feed_looks(auto, hand, t)
    assert not auto.bed_known                            # lifted: learning again, the moving hand is not the bed
    out = feed_looks(auto, [noisy(BED, 600 + i) for i in range(30)], t + 0.8)
    assert auto.bed_known and {s.problem for s in out} == {"no_page"}


def test_a_thing_captured_whole_by_hand_is_not_asked_for_again_while_it_lies_there() -> None:
    auto = AutoCapture(AutoCaptureSettings(unsure_after_s=1.0))
    t = learnt(auto)
    assert feed_looks(auto, [noisy(SHEET, i) for i in range(12)], t)[-1].problem == "unsure"
    auto.manual(t + 1.2)
    auto.captured(True, t + 1.5)
    out = feed_looks(auto, [noisy(SHEET, 700 + i) for i in range(50)], t + 1.3)
    assert {s.state for s in out[3:]} == {AutoState.DONE}     # five seconds later: still done, not "unsure"
    # Taken away: the empty bed again, and the next thing laid is told about once more.
    out = feed_looks(auto, [noisy(BED, 800 + i) for i in range(5)], t + 6.5)
    assert out[-1].state == AutoState.NO_PAGE and out[-1].problem == "no_page"


def test_the_setting_comes_from_the_camera_options() -> None:
    s = AutoCaptureSettings.from_options({"auto_unsure_after_s": "3.5", "auto_bed_change": 0.01})
    assert s.unsure_after_s == 3.5 and s.bed_change == 0.01
    assert AutoCaptureSettings().unsure_after_s == 2.0


# ------------------------------------------------------------------------------ real frames, real detector
class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _frames(seed: int, page: bool, n: int, start: int):
    for i in range(n):
        yield render_scene(seed, 960, 720, kind="text", category="oversize", page=page, frame=start + i).image


def test_the_live_preview_says_unsure_on_a_sheet_larger_than_the_view_and_draws_no_outline() -> None:
    cam, clock = FakeCamera(), Clock()
    live = LivePreview(lambda: cam, clock=clock)
    frames = []
    for page, n, start in ((False, 10, 1), (True, 25, 100)):
        for img in _frames(1, page, n, start):
            cam.show(img)
            clock.t += 0.1
            frames.append(live.step())
    empty, sheet = frames[:10], frames[10:]
    assert live.auto.bed_known and {f.status.problem for f in empty} == {"no_page"}
    assert all(f.quad is None for f in frames)                 # nothing is ever outlined below CONFIDENT
    assert [f.status.problem for f in sheet[:19]] == ["no_page"] * 19 and sheet[-1].status.problem == "unsure"
    assert live.auto.unsure
    assert max(f.analysed_ms for f in frames) < 500


@pytest.fixture(scope="module")
def oversize_still():
    return render_scene(1, 2048, 1536, kind="text", category="oversize").image


def test_a_still_taken_by_hand_while_unsure_is_kept_whole(oversize_still) -> None:
    with pytest.raises(CaptureProblem) as refused:
        process_still(oversize_still, CaptureKind.A4)       # not told: no page, as before
    assert refused.value.problems == ("no_page",)
    page = process_still(oversize_still, CaptureKind.A4, whole=True)
    assert page.whole and (page.width, page.height) == (2048, 1536)   # the whole frame, uncropped
    import cv2

    kept = cv2.imdecode(np.frombuffer(bytes(page.data), np.uint8), cv2.IMREAD_GRAYSCALE)
    small = lambda g: cv2.resize(g, (64, 48), interpolation=cv2.INTER_AREA).astype(float).ravel()  # noqa: E731
    a, b = small(kept), small(cv2.cvtColor(oversize_still, cv2.COLOR_BGR2GRAY))
    assert np.corrcoef(a, b)[0, 1] > 0.8                      # the same picture, not a part of it


def test_a_confident_page_is_still_cropped_when_whole_is_allowed() -> None:
    still = render_scene(5, 2048, 1536, kind="form", category="plain").image
    page = process_still(still, CaptureKind.A4, whole=True)
    assert not page.whole and page.height > page.width        # rectified to the A4 page, not the frame


def test_an_empty_desk_is_detected_once_a_second_and_that_detections_confidence_says_something_is_there(
        monkeypatch) -> None:
    """On the materials screen nothing may lie under the camera for minutes: a frame that looks as the last one
    on which detection found nothing is not detected again for ``quiet_redetect_s`` (it was 10 detections a
    second plus a confidence probe, a whole core); the confidence is the tracker's own detection's, with no
    second detection to ask it; a change of look is detected on its first frame."""
    from devices.camera.docscan import PageFinding, track

    asked = []
    monkeypatch.setattr(track, "find_page", lambda img: asked.append(1) or PageFinding(None, found_conf[0]))
    found_conf = [0.0]
    cam, clock = FakeCamera(), Clock()
    live = LivePreview(lambda: cam, clock=clock, settings=AutoCaptureSettings(unsure_after_s=1.0))
    for img in _frames(1, False, 20, 1):                # 2 s of the empty bed at 10 fps
        cam.show(img)
        clock.t += 0.1
        live.step()
    assert len(asked) == 2 and live.counters.quiet == 18 and live.auto.bed_known   # at 0.1 s and 1.2 s
    found_conf[0] = 0.4                                 # something page-like, below CONFIDENT, on the same look
    for img in list(_frames(1, False, 25, 40)):         # seen at the next detection, within a second
        cam.show(img)
        clock.t += 0.1
        frame = live.step()
    assert frame.status.problem == "unsure" and frame.quad is None
    asked.clear()
    sheet = list(_frames(1, True, 3, 200))
    cam.show(sheet[0])                                  # a sheet laid down: the look changes, detected at once
    clock.t += 0.1
    live.step()
    assert asked == [1]


def test_a_page_laid_on_a_quiet_empty_desk_is_outlined_on_its_first_frame() -> None:
    """Not detecting a still empty desk again must not delay a page: the first frame with it is detected."""
    cam, clock = FakeCamera(), Clock()
    live = LivePreview(lambda: cam, clock=clock)
    for i in range(8):
        cam.show(render_scene(7, 960, 720, page=False, frame=i).image)
        clock.t += 0.1
        live.step()
    assert live.counters.quiet >= 6 and live.tracker.detected <= 2
    cam.show(render_scene(7, 960, 720, frame=20).image)
    clock.t += 0.1
    frame = live.step()
    assert frame.quad is not None and live.counters.quiet >= 6


def test_a_technician_sets_how_often_a_still_empty_desk_is_detected_in_the_cameras_options() -> None:
    assert AutoCaptureSettings.from_options({"auto_quiet_redetect_s": "2.5"}).quiet_redetect_s == 2.5
    assert AutoCaptureSettings.from_options({}).quiet_redetect_s == 1.0
