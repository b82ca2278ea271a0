"""The simulated document camera's frames: a still scene under fresh sensor noise each frame, the still (frame 0)
without noise. Auto-capture's steadiness test and the idle reader's still-scene test see these frames."""
from __future__ import annotations

import numpy as np

from devices.camera.sim.camera import CameraSimulator
from devices.urls import parse_url


def _camera() -> CameraSimulator:
    cam = CameraSimulator(parse_url("sim://camera?width=1280&height=960"))
    cam.put_page("form", seed=3)
    return cam


def test_each_frame_is_the_still_scene_under_noise_of_at_most_three_levels_fresh_per_frame():
    cam = _camera()
    size = cam.preview_size
    clean = cam.render(size, 0).astype(np.int16)
    frames = [cam.render(size, n).astype(np.int16) for n in range(1, 6)]
    for frame in frames:
        diff = frame - clean
        assert frame.shape == clean.shape and np.abs(diff).max() <= 3
        assert 1.2 < np.abs(diff[(clean > 3) & (clean < 252)]).mean() < 2.2  # uniform -3..3: 12/7 = 1.71
    for a, b in zip(frames, frames[1:]):
        assert np.count_nonzero(a != b) > 0.5 * a.size  # the noise is drawn afresh, not the same pattern
    assert np.array_equal(cam.render(size, 4), frames[3].astype(np.uint8))  # one frame number, one frame


def test_the_still_has_no_noise_and_a_new_page_changes_the_scene():
    cam = _camera()
    size = cam.preview_size
    still = cam.render(size, 0)
    assert np.array_equal(still, cam.render(size, 0))
    cam.put_page("text", seed=9)
    assert np.abs(cam.render(size, 0).astype(np.int16) - still).mean() > 5
