"""The face camera device and its simulator (sim://face): frames only while the face step is on, the
simulated person follows the screen's challenge, a head turn is not planar while a photo's is, and the
face camera's faults carry its own codes (1270-1272)."""
from __future__ import annotations

import numpy as np
import pytest

from devices import sim
from devices.base import DeviceState
from devices.camera import FaceCamera
from devices.camera.face import face_camera_url
from devices.camera.sim import face_model as fm
from devices.errors import DeviceError, DeviceErrorCode, error_info
from devices.manager import DeviceManager, DeviceSpec
from kiosk.face.passive import depth
from kiosk.settings import default_files, load_settings


def _wait(predicate, timeout_s: float = 5.0) -> bool:
    import threading

    done = threading.Event()
    for _ in range(int(timeout_s / 0.02)):
        if predicate():
            return True
        done.wait(0.02)  # a device worker thread, not the UI: polling its state is the only way
    return predicate()


def test_the_face_camera_takes_frames_only_while_the_face_step_has_it_on_and_passes_the_challenge_on():
    cam = DeviceManager([DeviceSpec("face_camera", "face_camera", "sim://face")]).get("face_camera")
    assert isinstance(cam, FaceCamera)
    hw = sim.get_hardware("sim://face")
    cam.start()
    try:
        assert _wait(lambda: cam.state == DeviceState.IDLE or cam._source is not None)
        assert cam.latest() is None and hw.frames == 0  # nobody's picture between sessions
        cam.set_active(True)
        assert _wait(lambda: cam.latest() is not None)
        assert cam.latest().image.shape == (480, 640, 3)
        cam.prompt("turn_left")
        assert hw._actions and hw._actions[-1][1] == "turn_left"
    finally:
        cam.stop()


def test_an_unplugged_face_camera_and_one_without_frames_report_the_face_camera_codes():
    hw = sim.get_hardware("sim://face")
    hw.unplug()
    cam = FaceCamera("face_camera", "sim://face")
    with pytest.raises(DeviceError) as err:
        cam._open()
    assert err.value.code == DeviceErrorCode.FACE_CAMERA_NOT_FOUND
    hw.unplugged = False
    cam._open()
    cam.set_active(True)
    hw.frozen = True
    with pytest.raises(DeviceError) as err:
        for _ in range(10):
            cam._poll()
    assert err.value.code == DeviceErrorCode.FACE_CAMERA_NO_FRAMES
    for code in (1270, 1271, 1272):
        assert "face camera" in error_info(code).en and error_info(code).zh.startswith("人脸摄像头")


def test_a_real_face_camera_url_gets_the_face_size_not_the_document_cameras():
    assert face_camera_url("camera://1") == "camera://1?width=640&height=480&fourcc="
    assert face_camera_url("camera://2?width=1280&height=720") == "camera://2?width=1280&height=720"
    assert face_camera_url("sim://face") == "sim://face"


def test_demo_settings_name_the_simulated_face_camera_and_production_has_none_until_configured():
    assert load_settings(default_files(True)).devices.face_camera.url.startswith("sim://face")
    prod = load_settings(default_files(False)).devices.face_camera
    assert not prod.enabled and prod.url.startswith("camera://")


def test_the_simulated_person_blinks_when_asked_shut_for_about_200_ms_and_past_half_shut_for_about_300():
    hw = sim.get_hardware("sim://face?seed=3")
    hw.prompt("blink", at_s=20.0)  # between two of this person's spontaneous blinks (19.1 s and 23.4 s)
    openness = {round(t, 3): hw.render_at(t)[1].eye_openness for t in np.arange(20.0, 21.0, 0.025)}
    shut = [t for t, v in openness.items() if v < 0.05]
    assert shut and 0.15 <= max(shut) - min(shut) + 0.025 <= 0.25
    half_shut = [t for t, v in openness.items() if v < openness[20.0] / 2]  # ~4-5 frames at 15 fps
    assert 0.25 <= max(half_shut) - min(half_shut) + 0.025 <= 0.35
    assert min(shut) >= 20.0 + 0.3  # after a reaction time
    assert openness[20.0] > 0.3 and openness[21.0 - 0.025] > 0.3


def test_a_turning_head_moves_its_nose_more_than_its_outline_and_is_not_one_plane_but_a_photo_is():
    live = sim.get_hardware("sim://face?seed=3")
    live.prompt("turn_left", at_s=0.0)
    _, front = live.render_at(0.0)
    _, turned = live.render_at(0.9)
    assert turned.yaw_deg > 20  # positive: the citizen's left
    shift = turned.landmarks - front.landmarks
    nose = shift[fm.NOSE_TIP, 0]
    sides = shift[[fm.GROUPS["outline"][0], fm.GROUPS["outline"][8]], 0]
    assert nose > 0 and nose > 2 * np.abs(sides).max()
    assert depth(front.landmarks, turned.landmarks, front.box[2]) > 2.0
    photo = sim.get_hardware("sim://face?spoof=photo&seed=3&name=photo")
    photo.prompt("turn_left", at_s=0.0)
    _, p0 = photo.render_at(0.0)
    _, p1 = photo.render_at(0.9)
    assert p1.yaw_deg > 20 and depth(p0.landmarks, p1.landmarks, p0.box[2]) < 0.05


def test_the_holder_and_an_impostor_look_different_and_a_replay_ignores_the_screen():
    hw = sim.get_hardware("sim://face")
    a, _ = hw.render_at(1.0)
    hw.stand("impostor")
    b, truth = hw.render_at(1.0)
    x, y, w, h = (int(round(v)) for v in truth.box)
    face_diff = np.abs(a[y:y + h, x:x + w].astype(int) - b[y:y + h, x:x + w].astype(int)).mean()
    # compared inside the face's box: two real portraits share a background and differ in the face
    assert truth.person == "impostor" and face_diff > 3  # the same person at the same moment: 0
    hw.spoof("replay")
    hw.prompt("turn_right", at_s=0.0)
    assert hw._actions == []
    with pytest.raises(ValueError):
        hw.spoof("mask")
    hw.stand(None)
    assert hw.render_at(2.0)[1] is None


def test_a_drawn_placeholder_is_the_same_face_in_every_process():
    """The holder and the impostor (no portrait under faces/) are drawn from their names; the seed came from
    hash(name), which changes with every process (PYTHONHASHSEED), so each run drew other faces."""
    import hashlib
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import hashlib; from devices.camera.sim import face_model as fm; "
            "print(hashlib.sha256(fm.draw_placeholder('impostor').image.tobytes()).hexdigest())")
    root = Path(__file__).resolve().parents[3]
    seen = {subprocess.run([sys.executable, "-c", code], cwd=root, env=dict(os.environ, PYTHONHASHSEED=str(n)),
                           capture_output=True, text=True, check=True).stdout.strip() for n in (1, 2)}
    assert seen == {hashlib.sha256(fm.draw_placeholder("impostor").image.tobytes()).hexdigest()}


def test_a_switched_off_face_camera_sleeps_and_switching_it_on_wakes_it_at_once():
    """Issue 22 (the idle kiosk's CPU): between sessions the face camera's worker waits ``idle_poll_s`` (it woke
    15 times a second for nothing); switched on, it grabs its first frame without waiting out that sleep."""
    cam = DeviceManager([DeviceSpec("face_camera", "face_camera", "sim://face")]).get("face_camera")
    cam.idle_poll_s = 3600.0  # a sleep no test would wait out: only the wake-up can bring the frame
    assert cam.poll_interval_s == 3600.0
    cam.start()
    try:
        assert _wait(lambda: cam._source is not None)
        cam.set_active(True)
        assert cam.poll_interval_s == FaceCamera.active_poll_s
        assert _wait(lambda: cam.latest() is not None)
        cam.set_active(False)
        assert cam.poll_interval_s == 3600.0
    finally:
        cam.stop()
