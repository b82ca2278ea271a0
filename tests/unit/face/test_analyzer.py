"""The analyzer measures the largest face in a frame: box, landmarks, eye openness, yaw, quality."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.face.analyzer import (FACE_SIDE_LEFT, FACE_SIDE_RIGHT, LEFT_EYE, NOSE_TIP, RIGHT_EYE,
                                 MediapipeFaceAnalyzer, eye_aspect_ratio, yaw_degrees)

from .conftest import card, live_frame, people


def test_no_face_in_the_frame_gives_none(still_analyzer):
    assert still_analyzer.observe(np.full((480, 640, 3), 128, np.uint8)) is None
    noise = np.random.default_rng(7).integers(0, 255, (480, 640, 3), dtype=np.uint8)
    assert still_analyzer.observe(noise) is None


def test_a_face_is_measured_in_a_640x480_frame(still_analyzer):
    frame = live_frame(people()["identities"]["elder"], angle=0.0, mirror=False)
    obs = still_analyzer.observe(frame, t_ms=1234)
    assert obs is not None
    x, y, w, h = obs.box
    assert 120 < w < 400 and 0 <= x and x + w <= 640 and 0 <= y and y + h <= 480
    assert obs.landmarks.shape == (468, 2) and obs.landmarks.dtype == np.float32
    assert 0.15 < obs.eye_openness < 0.5  # open eyes in an official portrait
    assert abs(obs.yaw_deg) < 15  # a frontal portrait
    assert 0.3 < obs.quality <= 1.0
    assert obs.t_ms == 1234


def test_the_card_size_photo_is_found(still_analyzer):
    for person in people()["identities"].values():
        assert still_analyzer.observe(card(person)) is not None, person


def test_the_largest_of_two_faces_is_the_one_measured(still_analyzer):
    elder, impostor = people()["identities"]["elder"], people()["impostor"]
    big = cv2.resize(cv2.imread(str(_face(elder))), None, fx=1.2, fy=1.2)
    small = cv2.resize(cv2.imread(str(_face(impostor))), None, fx=0.6, fy=0.6)
    frame = np.full((480, 640, 3), 110, np.uint8)
    frame[80:80 + big.shape[0], 40:40 + big.shape[1]] = big
    frame[150:150 + small.shape[0], 420:420 + small.shape[1]] = small
    obs = still_analyzer.observe(frame)
    assert obs is not None and obs.box[0] < 320  # the big face on the left, not the small one


def _face(person):
    from .conftest import FACES
    return FACES / person / "live.png"


def test_quality_is_lower_for_a_small_blurred_face(still_analyzer):
    person = people()["identities"]["standard"]
    sharp = still_analyzer.observe(live_frame(person, angle=0.0, scale=1.6))
    small = cv2.GaussianBlur(live_frame(person, angle=0.0, scale=0.8), (9, 9), 0)
    blurred = still_analyzer.observe(small)
    assert sharp is not None and blurred is not None
    assert blurred.quality < sharp.quality / 2


def _frontal_landmarks(still_analyzer):
    obs = still_analyzer.observe(live_frame(people()["identities"]["graduate"], angle=0.0, mirror=False))
    assert obs is not None
    return obs.landmarks.copy()


def test_eye_openness_falls_when_the_lids_close(still_analyzer):
    pts = _frontal_landmarks(still_analyzer)
    open_ear = eye_aspect_ratio(pts, LEFT_EYE)
    closed = pts.copy()
    for eye in (LEFT_EYE, RIGHT_EYE):  # move both lids onto the line between the corners, as in a blink
        (x1, y1), (x4, y4) = pts[eye[0]], pts[eye[3]]
        for i in eye[1:3] + eye[4:6]:
            closed[i][1] = y1 + (y4 - y1) * (closed[i][0] - x1) / (x4 - x1)
    assert open_ear > 0.15
    assert eye_aspect_ratio(closed, LEFT_EYE) < 0.02 and eye_aspect_ratio(closed, RIGHT_EYE) < 0.02


def test_yaw_is_positive_when_the_citizen_turns_to_their_left(still_analyzer):
    pts = _frontal_landmarks(still_analyzer)
    half = (pts[FACE_SIDE_LEFT][0] - pts[FACE_SIDE_RIGHT][0]) / 2
    turned_left = pts.copy()
    turned_left[NOSE_TIP][0] += 0.5 * half  # the nose moves towards the frame's right (the citizen's left)
    turned_right = pts.copy()
    turned_right[NOSE_TIP][0] -= 0.5 * half
    base = yaw_degrees(pts)
    assert yaw_degrees(turned_left) > base + 20
    assert yaw_degrees(turned_right) < base - 20


def test_a_mirrored_frame_reads_the_opposite_yaw(still_analyzer):
    frame = live_frame(people()["identities"]["gat"], angle=0.0, mirror=False)
    # squeeze the frame's right half: the face's frame-right side looks turned away, as if the head turned
    h, w = frame.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[0, 0], [w, 40], [w, h - 40], [0, h]])
    warped = cv2.warpPerspective(frame, cv2.getPerspectiveTransform(src, dst), (w, h),
                                 borderMode=cv2.BORDER_REPLICATE)
    a = still_analyzer.observe(warped)
    b = still_analyzer.observe(cv2.flip(warped, 1))
    assert a is not None and b is not None
    assert a.yaw_deg * b.yaw_deg < 0 and abs(a.yaw_deg + b.yaw_deg) < 6


def test_video_mode_tracks_a_stream():
    analyzer = MediapipeFaceAnalyzer(video=True)
    try:
        person = people()["identities"]["hui"]
        seen = [analyzer.observe(live_frame(person, angle=a), t_ms=33 * k) for k, a in enumerate((0, 1, 2, 3, 2))]
        assert all(o is not None for o in seen)
        assert [o.t_ms for o in seen] == [0, 33, 66, 99, 132]
        gone = analyzer.observe(np.full((480, 640, 3), 90, np.uint8))
        assert gone is None
    finally:
        analyzer.close()


@pytest.mark.parametrize("bad", [np.zeros((0, 0, 3), np.uint8), np.zeros((10, 10), np.uint8)])
def test_an_unusable_frame_gives_none(still_analyzer, bad):
    assert still_analyzer.observe(bad) is None
