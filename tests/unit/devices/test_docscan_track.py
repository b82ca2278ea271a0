"""devices.camera.docscan: tracking a page through preview frames (track_page, PageTracker)."""
from __future__ import annotations

import numpy as np

from devices.camera.docscan import PageTracker, Quad, detect_page, quad_iou, track_page
from devices.camera.sim.scene import render_scene


def _nudged(q: Quad, px: float, seed: int) -> Quad:
    rng = np.random.default_rng(seed)
    return Quad.from_points(q.as_array() + rng.uniform(-px, px, (4, 2)), reorder=False)


def test_tracking_pulls_a_nearby_outline_onto_the_page() -> None:
    ious = []
    for seed in range(4000, 4008):
        s = render_scene(seed)
        start = _nudged(s.quad, 6.0, seed)
        tracked = track_page(s.image, start)
        ious.append(quad_iou(tracked, s.quad, frame=(1280, 720)))
    # Better than where it started from, and as good as detection on these scenes.
    assert np.median(ious) > 0.985, np.round(ious, 3)
    assert sum(i > 0.95 for i in ious) >= 7, np.round(ious, 3)


def test_tracking_lets_go_when_the_page_is_taken_away() -> None:
    for seed in (4100, 4101, 4102):
        with_page = render_scene(seed, category="plain")
        empty = render_scene(seed, category="plain", page=False)
        assert track_page(with_page.image, with_page.quad) is not None
        assert track_page(empty.image, with_page.quad) is None


def test_tracker_tracks_a_steady_page_and_detects_when_it_changes() -> None:
    tracker = PageTracker(redetect_every=5)
    seed = 4200
    frames = [render_scene(seed, category="plain", frame=n) for n in range(8)]
    quads = [tracker.update(f.image) for f in frames]
    assert all(quad_iou(q, frames[0].quad) > 0.97 for q in quads)
    assert tracker.detected == 2 and tracker.tracked == 6      # frames 0 and 6 re-detect (every 5 tracked)
    # The page is taken away: the tracker reports nothing, then finds the next page by detection.
    assert tracker.update(render_scene(seed, category="plain", page=False).image) is None
    other = render_scene(seed + 1, category="plain")
    assert quad_iou(tracker.update(other.image), other.quad) > 0.97
    # A new frame size starts over instead of tracking an outline from another resolution.
    small = render_scene(seed + 1, 640, 360, category="plain")
    assert quad_iou(tracker.update(small.image), small.quad) > 0.95
    assert tracker.quad == detect_page(small.image)
