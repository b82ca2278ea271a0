"""After the challenges, the frame compared with the card photo is a frontal one, not the first frame of the
head turning back that is just good enough (the demo elder's 36-degree turn scored 0.947-0.950 against her
own card, frontal 0.995, with the threshold at 0.945)."""
from __future__ import annotations

from dataclasses import replace

from kiosk.face.api import Challenge, FaceDecision
from kiosk.face.attempt import FaceKit, FaceTry
from tests.helpers.face_fakes import DOING, GOOD, FakeFaceAnalyzer, FakeFaceMatcher, FakeLiveness, frame

TURNING_BACK = 20  # a face still half turned: above the minimum quality, well below the frontal face's


class TurningAnalyzer(FakeFaceAnalyzer):
    def observe(self, frame_bgr, t_ms=0):
        obs = super().observe(frame_bgr, t_ms)
        if int(frame_bgr[0, 0, 0]) == TURNING_BACK:
            return replace(obs, quality=0.55, yaw_deg=-18.0)
        return obs


def test_the_compared_final_frame_waits_for_the_head_to_face_the_camera_again():
    matcher = FakeFaceMatcher()
    kit = FaceKit(TurningAnalyzer(), matcher, lambda: FakeLiveness((Challenge.TURN_RIGHT,)))
    attempt = FaceTry(kit, frame(GOOD), min_quality=0.5, timeout_ms=20000)
    assert attempt.feed(frame(GOOD), 0).challenge == Challenge.TURN_RIGHT
    assert attempt.feed(frame(DOING[Challenge.TURN_RIGHT]), 100).checking
    turning = attempt.feed(frame(TURNING_BACK), 200)
    assert turning.result is None and turning.checking  # good enough for the minimum, not for the comparison
    done = attempt.feed(frame(GOOD), 300)
    assert done.result is not None and done.result.decision == FaceDecision.PASS
    assert len(matcher.compared) == 2  # the best frame and the frontal final one, not the turning one
