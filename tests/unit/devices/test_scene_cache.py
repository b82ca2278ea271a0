"""The simulator's scene cache (devices/camera/sim/scene_cache.py): off unless the test run names a directory; on,
a scene drawn once is served to the next caller byte for byte, and a reader never sees a half-written file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from devices.camera.sim import scene_cache
from devices.camera.sim.camera import CameraSimulator
from devices.urls import parse_url

ROOT = Path(__file__).resolve().parents[3]


def _counting(image: np.ndarray):
    calls = []

    def render() -> np.ndarray:
        calls.append(1)
        return image.copy()
    return render, calls


def test_without_the_directory_every_scene_is_drawn(monkeypatch):
    monkeypatch.delenv(scene_cache.ENV, raising=False)
    render, calls = _counting(np.full((4, 5, 3), 7, np.uint8))
    for _ in range(2):
        assert scene_cache.cached_image(("k", 1), render).sum() == 7 * 60
    assert len(calls) == 2


def test_with_the_directory_a_scene_is_drawn_once_and_served_the_same(monkeypatch, tmp_path):
    monkeypatch.setenv(scene_cache.ENV, str(tmp_path))
    image = np.random.default_rng(1).integers(0, 256, (30, 40, 3), dtype=np.uint8)
    render, calls = _counting(image)
    first = scene_cache.cached_image(("k", 1), render)
    again = scene_cache.cached_image(("k", 1), render)
    other = scene_cache.cached_image(("k", 2), render)
    assert len(calls) == 2 and np.array_equal(first, image) and np.array_equal(again, image)
    assert np.array_equal(other, image)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".npz", ".npz"]  # no part file left


def test_a_torn_file_is_drawn_again(monkeypatch, tmp_path):
    monkeypatch.setenv(scene_cache.ENV, str(tmp_path))
    render, calls = _counting(np.ones((3, 3), np.uint8))
    scene_cache.cached_image(("k",), render)
    (victim,) = tmp_path.iterdir()
    victim.write_bytes(victim.read_bytes()[:20])
    assert np.array_equal(scene_cache.cached_image(("k",), render), np.ones((3, 3), np.uint8))
    assert len(calls) == 2


def test_another_process_gets_the_simulated_camera_s_scene_byte_for_byte(monkeypatch, tmp_path):
    """The kiosk a test starts reads what this process drew: the preview frame the same, and in a fraction of
    the drawing time (the cache holds the drawn scene only; the noise is added per frame)."""
    monkeypatch.setenv(scene_cache.ENV, str(tmp_path))
    cam = CameraSimulator(parse_url("sim://camera?width=1280&height=960"))
    cam.put_page("form", seed=4)
    here = cam.render(cam.preview_size, 0)
    script = ("import sys, numpy as np\nfrom devices.camera.sim.camera import CameraSimulator\n"
              "from devices.urls import parse_url\nimport devices.camera.sim.scene as s\n"
              "s.render_scene = None  # a draw would fail: the scene must come from the directory\n"
              "cam = CameraSimulator(parse_url('sim://camera?width=1280&height=960'))\n"
              "cam.put_page('form', seed=4)\nnp.save(sys.argv[1], cam.render(cam.preview_size, 0))\n")
    out = tmp_path / "there.npy"
    proc = subprocess.run([sys.executable, "-c", script, str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, scene_cache.ENV: str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert np.array_equal(np.load(out), here)


def test_a_hard_scene_read_back_is_the_scene_drawn_with_its_corners_and_its_empty_bed(monkeypatch, tmp_path):
    from tests.helpers import hard_scenes as hs

    monkeypatch.delenv(scene_cache.ENV, raising=False)
    drawn = [hs.render("on_table", 2), hs.render("on_table", 2, bed="same"), hs.render("empty_wood", 1)]
    monkeypatch.setenv(scene_cache.ENV, str(tmp_path))
    for _ in range(2):   # the first call draws and keeps, the second reads back
        got = [hs.render("on_table", 2), hs.render("on_table", 2, bed="same"), hs.render("empty_wood", 1)]
        for a, b in zip(drawn, got, strict=True):
            assert np.array_equal(a.image, b.image) and (a.kind, a.seed) == (b.kind, b.seed)
            assert (a.quad is None and b.quad is None) or np.array_equal(a.quad, b.quad)
    assert drawn[0].quad is not None and drawn[1].quad is None and drawn[2].quad is None
    assert len(list(tmp_path.iterdir())) == 3
