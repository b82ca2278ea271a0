"""devices.camera.sim.scene: the synthetic document-camera scenes that drive the scanner tests and the simulator."""
from __future__ import annotations


import numpy as np
import pytest

from devices.camera.docscan.geom import PAPER_MM
from devices.camera.sim.scene import CATEGORIES, PAGE_KINDS, Scene, render_page, render_scene


def test_same_seed_same_scene_and_different_seeds_differ() -> None:
    a, b, c = render_scene(3), render_scene(3), render_scene(4)
    assert a.image.shape == (720, 1280, 3) and a.image.dtype == np.uint8
    assert np.array_equal(a.image, b.image)
    assert a.quad == b.quad
    assert not np.array_equal(a.image, c.image)


def test_frames_keep_the_page_still_but_sensor_noise_changes() -> None:
    f0, f1 = render_scene(11, frame=0), render_scene(11, frame=1)
    assert f0.quad == f1.quad
    diff = np.abs(f0.image.astype(int) - f1.image.astype(int))
    assert 0 < diff.mean() < 6  # noise and flicker only, no motion


def test_empty_desk_is_the_same_desk_without_paper() -> None:
    with_page, empty = render_scene(21, category="plain"), render_scene(21, category="plain", page=False)
    assert empty.quad is None and empty.kind is None and empty.paper is None
    # Away from the page (and its shadow) the desk is identical up to sensor noise.
    mask = np.ones(with_page.image.shape[:2], bool)
    pts = with_page.quad.as_array()
    x0, y0 = np.maximum(pts.min(axis=0) - 60, 0).astype(int)
    x1, y1 = (pts.max(axis=0) + 60).astype(int)
    mask[y0:y1, x0:x1] = False
    diff = np.abs(with_page.image.astype(int) - empty.image.astype(int))[mask]
    assert diff.mean() < 6


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_each_category_renders_with_a_convex_ordered_quad(category: str) -> None:
    s = render_scene(100, category=category)
    assert isinstance(s, Scene) and s.category == category
    q = s.quad
    assert q is not None and q.is_convex()
    tl, tr, br, bl = q.as_array()
    assert tl[0] < tr[0] and bl[0] < br[0] and tl[1] < bl[1] and tr[1] < br[1]
    inside = bool((q.as_array() >= -0.5).all() and (q.as_array()[:, 0] <= 1279.5).all()
                  and (q.as_array()[:, 1] <= 719.5).all())
    assert s.cut_off == (not inside)
    if category == "cut_off":
        assert s.cut_off


def test_page_kinds_have_their_paper_aspect() -> None:
    for kind, (paper, landscape) in PAGE_KINDS.items():
        page = render_page(kind, 1, long_side=600)
        h, w = page.shape[:2]
        assert max(h, w) == 600 and (w > h) == landscape
        short, long_ = PAPER_MM[paper]
        assert min(h, w) / max(h, w) == pytest.approx(short / long_, abs=0.01)
        # Printed content: some dark ink on light paper.
        gray = page.mean(axis=2)
        assert np.median(gray) > 200 and (gray < 100).mean() > 0.002


def test_scene_quad_matches_the_paper_in_the_image() -> None:
    s = render_scene(7, category="plain", kind="form", jpeg_quality=0, noise=0.0)
    q = s.quad.as_array()
    centre = q.mean(axis=0).astype(int)
    inner = s.image[centre[1] - 5:centre[1] + 5, centre[0] - 5:centre[0] + 5]
    outside = s.image[5:15, 5:15] if q[:, 0].min() > 40 else s.image[-15:-5, -15:-5]
    assert inner.mean() > outside.mean()  # paper is lighter than the plain desk
    top_mid = ((q[0] + q[1]) / 2).astype(int)
    above = s.image[max(0, top_mid[1] - 8), top_mid[0]].mean()
    below = s.image[top_mid[1] + 8, top_mid[0]].mean()
    assert below > above + 30  # the true top edge separates desk from paper


def test_options_are_applied_and_unknown_ones_rejected() -> None:
    s = render_scene(5, kind="id_front", desk="wood", upside_down=True, fingers=2)
    assert s.kind == "id_front" and s.paper == "id_card" and s.upside_down and s.params.desk == "wood"
    assert s.params.fingers == 2
    with pytest.raises(TypeError):
        render_scene(5, colour="red")


def test_high_resolution_still_keeps_the_page_where_it_is_at_lower_resolution() -> None:
    big = render_scene(2, 2400, 1800)
    assert big.image.shape == (1800, 2400, 3)
    small = render_scene(2, 1200, 900)
    # Same scene at another size of the same shape: the page sits at the same place relative to the frame.
    assert np.allclose((big.quad.as_array() + 0.5) / 2 - 0.5, small.quad.as_array(), atol=1.0)
    # Render time is a benchmark figure (bench/bench_docscan.py), not a unit test: the machine is shared.
